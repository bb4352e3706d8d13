"""The volunteer's pages: overview, reading section by section, quiz, result; query counts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from trainer.demo import answer_form, complete_module, read_all
from trainer.extensions import db
from trainer.learning import services as learning
from trainer.quizzes.models import QuizAttempt
from trainer.timeutil import utcnow


def test_overview_shows_states_and_reason_for_locks(client, make_user, login):
    login(make_user())
    body = client.get("/me").get_data(as_text=True)
    assert "Min utbildning" in body and "Du har klarat 0 av 6 moduler" in body
    assert "Öppnas när du klarat Introduktion till volontärskapet" in body
    assert "Fortsätt där du slutade" in body


def test_reading_saves_progress_and_moves_on(client, make_user, login):
    user = make_user()
    login(user)
    version, module = learning.current_module("introduktion")
    first, second = module.sections[0].id, module.sections[1].id
    page = client.get(f"/modules/introduktion/{first}")
    assert page.status_code == 200 and module.sections[0].title in page.get_data(as_text=True)
    r = client.post(f"/modules/introduktion/{first}")
    assert r.headers["Location"] == f"/modules/introduktion/{second}"
    assert learning.read_sections(user, version.id) == {first}
    # Another device: "fortsätt" leads to the next unread section.
    assert client.get("/me/continue").headers["Location"] == f"/modules/introduktion/{second}"


def test_content_note_is_shown_before_the_module_starts(client, make_user, login):
    login(make_user())
    _v, module = learning.current_module("introduktion")
    assert module.content_note[:40] in client.get("/modules/introduktion").get_data(as_text=True)


def test_locked_module_and_quiz_are_refused_on_the_server(client, make_user, login):
    login(make_user())
    assert client.get("/modules/normaliseringsprocessen").status_code == 403
    assert client.get("/modules/normaliseringsprocessen/gransforskjutning").status_code == 403
    r = client.get("/modules/introduktion/quiz")
    assert r.status_code == 403 and "Läs alla avsnitt först" in r.get_data(as_text=True)
    assert client.post("/modules/normaliseringsprocessen/quiz").status_code == 403


def test_quiz_fail_then_feedback_then_pass(client, make_user, login):
    user = make_user()
    login(user)
    read_all(user, "introduktion", utcnow())
    db.session.commit()
    assert client.post("/modules/introduktion/quiz").status_code == 302
    page = client.get("/modules/introduktion/quiz").get_data(as_text=True)
    attempt = db.session.scalar(sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    assert f'action="/attempts/{attempt.id}"' in page
    assert "trainers read" in page or "utbildare läser" in page
    r = client.post(f"/attempts/{attempt.id}", data=answer_form(attempt, correct=False))
    assert r.headers["Location"] == f"/attempts/{attempt.id}"
    result = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Ditt resultat: 0 %" in result and "Läs avsnittet" in result
    _v, module = learning.current_module("introduktion")
    wrong_feedback = [o.feedback for o in module.questions[0].options if not o.correct][0]
    assert (
        wrong_feedback[:30] in result.replace("&#39;", "'").replace("&quot;", '"')
        or "Inte rätt" in result
    )


def test_other_persons_result_is_404(client, make_user, login):
    owner = make_user()
    attempt = complete_module(owner, "introduktion", utcnow())
    db.session.commit()
    login(make_user())
    assert client.get(f"/attempts/{attempt.id}").status_code == 404


def test_tampered_quiz_post_is_400(client, make_user, login):
    user = make_user()
    login(user)
    read_all(user, "introduktion", utcnow())
    db.session.commit()
    client.post("/modules/introduktion/quiz")
    attempt = db.session.scalar(sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    r = client.post(f"/attempts/{attempt.id}", data={**answer_form(attempt), "passed": "true"})
    assert r.status_code == 400
    db.session.refresh(attempt)
    assert attempt.state == "open"


def test_section_page_and_quiz_submit_use_a_constant_number_of_queries(
    client, make_user, login, count_queries
):
    user = make_user()
    login(user)
    _v, module = learning.current_module("introduktion")
    counts = []
    for s in module.sections[:3]:
        with count_queries() as q:
            client.get(f"/modules/introduktion/{s.id}")
        counts.append(q.count)
    assert len(set(counts)) == 1 and counts[0] <= 8, counts
    submits, stmts = [], []
    for slug in ("introduktion", "normaliseringsprocessen"):  # quizzes of different lengths
        read_all(user, slug, utcnow())
        db.session.commit()
        client.post(f"/modules/{slug}/quiz")
        attempt = db.session.scalar(
            sa.select(QuizAttempt).where(
                QuizAttempt.user_id == user.id, QuizAttempt.state == "open"
            )
        )
        with count_queries() as q:
            client.post(f"/attempts/{attempt.id}", data=answer_form(attempt))
        submits.append(q.count)
        stmts.append([s[:60] for s in q.statements])
    assert submits[0] == submits[1] and submits[0] <= 18, (submits, stmts)


def test_overview_query_count_does_not_grow_with_progress(client, make_user, login, count_queries):
    user = make_user()
    login(user)
    client.get("/me")  # the first request of a process stores the module versions
    with count_queries() as q1:
        client.get("/me")
    complete_module(user, "introduktion", utcnow())
    complete_module(user, "normaliseringsprocessen", utcnow())
    db.session.commit()
    with count_queries() as q2:
        body = client.get("/me").get_data(as_text=True)
    assert "Du har klarat 2 av 6" in body
    assert q1.count == q2.count, (q1.statements, q2.statements)


def test_html_has_one_h1_and_lang(client, make_user, login):
    login(make_user())
    for path in ("/me", "/modules/introduktion", "/account"):
        body = client.get(path).get_data(as_text=True)
        assert len(re.findall(r"<h1[ >]", body)) == 1, path
        assert '<html lang="sv">' in body
