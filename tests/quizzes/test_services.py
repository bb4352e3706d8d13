"""Reading, locking, attempts, versions and tampering, through the services."""

from __future__ import annotations

import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from trainer.content.loader import load_catalog
from trainer.demo import answer_form, complete_module, read_all
from trainer.errors import NotAllowed, NotFound
from trainer.extensions import db
from trainer.learning import services as learning
from trainer.learning.models import ModuleVersion
from trainer.quizzes import services as quizzes
from trainer.quizzes.models import QuizAttempt
from trainer.timeutil import utcnow

ROOT = Path(__file__).resolve().parents[2]


def test_module_with_unpassed_requirement_is_locked(app, make_user):
    user = make_user()
    with pytest.raises(NotAllowed) as info:
        quizzes.start_attempt(user, "normaliseringsprocessen")
    assert "Introduktion till volontärskapet" in str(info.value)
    statuses, _ = learning.overview(user)
    assert [s.state for s in statuses][:2] == ["not_started", "locked"]


def test_quiz_opens_only_when_every_section_is_read(app, make_user):
    user = make_user()
    version, module = learning.current_module("introduktion")
    learning.mark_read(user, version.id, module.sections[0].id)
    with pytest.raises(NotAllowed):
        quizzes.start_attempt(user, "introduktion")
    read_all(user, "introduktion", utcnow())
    assert quizzes.start_attempt(user, "introduktion").state == "open"


def test_pass_unlocks_the_next_module(app, make_user):
    user = make_user()
    attempt = complete_module(user, "introduktion", utcnow())
    assert attempt.passed and attempt.score == 1.0
    statuses, resume = learning.overview(user)
    assert statuses[0].state == "passed" and statuses[1].state == "not_started"
    assert resume.slug == statuses[1].slug


def test_failed_attempt_respects_cooldown_and_every_attempt_is_kept(app, make_user):
    user = make_user()
    now = utcnow()
    failed = complete_module(user, "introduktion", now, passed=False)
    assert failed.passed is False
    with pytest.raises(NotAllowed):
        quizzes.start_attempt(user, "introduktion", now=now + timedelta(minutes=1))
    second = quizzes.start_attempt(user, "introduktion", now=now + timedelta(minutes=6))
    quizzes.submit_attempt(user, second.id, answer_form(second), now=now + timedelta(minutes=7))
    assert (
        db.session.scalar(
            sa.select(sa.func.count(QuizAttempt.id)).where(QuizAttempt.user_id == user.id)
        )
        == 2
    )


def test_double_submit_gives_the_first_result(app, make_user):
    user = make_user()
    read_all(user, "introduktion", utcnow())
    attempt = quizzes.start_attempt(user, "introduktion")
    first = quizzes.submit_attempt(user, attempt.id, answer_form(attempt, correct=False))
    again = quizzes.submit_attempt(user, attempt.id, answer_form(attempt, correct=True))
    assert first.id == again.id and again.passed is False


def test_another_persons_attempt_is_not_found(app, make_user):
    owner, other = make_user(), make_user()
    read_all(owner, "introduktion", utcnow())
    attempt = quizzes.start_attempt(owner, "introduktion")
    with pytest.raises(NotFound):
        quizzes.submit_attempt(other, attempt.id, answer_form(attempt))
    db.session.refresh(attempt)
    assert attempt.state == "open"


def test_tampered_field_is_rejected_and_changes_nothing(app, make_user):
    user = make_user()
    read_all(user, "introduktion", utcnow())
    attempt = quizzes.start_attempt(user, "introduktion")
    db.session.commit()
    form = answer_form(attempt, correct=False) | {"score": ["1.0"]}
    with pytest.raises(quizzes.BadSubmission):
        quizzes.submit_attempt(user, attempt.id, form)
    db.session.rollback()
    db.session.refresh(attempt)
    assert attempt.state == "open" and attempt.score is None


def test_attempt_is_graded_against_the_version_it_started_on(app, make_user, tmp_path):
    user = make_user()
    read_all(user, "introduktion", utcnow())
    attempt = quizzes.start_attempt(user, "introduktion")
    old_version = attempt.module_version_id
    # The course files change while she is answering: a new version appears.
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "courses", courses)
    quiz = courses / "01-introduktion" / "quiz.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8")
        .replace("correct: true", "correct: TRUE_MARK", 1)
        .replace("correct: TRUE_MARK", "correct: true"),
        encoding="utf-8",
    )
    md = courses / "01-introduktion" / "module.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nEtt tillägg.\n", encoding="utf-8")
    app.extensions["trainer.catalog"] = load_catalog(courses)
    new_ids = learning.sync_versions()
    assert new_ids["introduktion"] != old_version
    versions = db.session.scalars(
        sa.select(ModuleVersion.version).where(ModuleVersion.slug == "introduktion")
    ).all()
    assert sorted(versions) == [1, 2]
    graded = quizzes.submit_attempt(user, attempt.id, answer_form(attempt))
    assert graded.module_version_id == old_version and graded.passed
    # A pass on the old version does not count for the new one.
    assert "introduktion" not in learning.passed_slugs(user)


def test_questions_are_served_in_random_order(app, make_user):
    a, b = make_user(), make_user()
    for u in (a, b):
        read_all(u, "introduktion", utcnow())
    x = quizzes.start_attempt(a, "introduktion", rng=random.Random(1))
    y = quizzes.start_attempt(b, "introduktion", rng=random.Random(2))
    assert [s["q"] for s in x.served] != [s["q"] for s in y.served]


def test_reflection_answer_is_kept_and_editable(app, make_user):
    user = make_user()
    complete_module(user, "introduktion", utcnow())
    texts = quizzes.reflections_for(user, "introduktion")
    assert len(texts) == 1 and "lyssna" in next(iter(texts.values()))
