"""The trainers' pages, the certificate and the public verification page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.certification.test_services import finish
from trainer.audit.models import AuditEvent
from trainer.auth.models import User
from trainer.certification import services as certification
from trainer.certification.models import Certification
from trainer.demo import complete_module
from trainer.extensions import db
from trainer.learning.services import catalog
from trainer.quizzes.models import Reflection
from trainer.timeutil import utcnow


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", name="Tove Utbildare")


def certify(volunteer, trainer, now=None):
    now = now or utcnow()
    finish(volunteer, now)
    certification.decide(trainer, volunteer.id, "approved", now=now)
    db.session.commit()
    return db.session.scalar(sa.select(Certification).where(Certification.user_id == volunteer.id))


def test_matrix_shows_states_and_filters(client, login, make_user, trainer):
    ready = make_user(name="Rut Redo")
    finish(ready)
    learner = make_user(name="Lisa Läser")
    complete_module(learner, catalog().modules[0].slug, utcnow(), passed=False)
    db.session.commit()
    login(trainer)
    page = client.get("/trainer/matrix").get_data(as_text=True)
    assert "Rut Redo" in page and "Lisa Läser" in page and "Klar för godkännande" in page
    page = client.get("/trainer/matrix?stage=ready").get_data(as_text=True)
    assert "Rut Redo" in page and "Lisa Läser" not in page
    page = client.get("/trainer/matrix?q=lisa").get_data(as_text=True)
    assert "Lisa Läser" in page and "Rut Redo" not in page
    month = utcnow().strftime("%Y-%m")
    assert "Rut Redo" in client.get(f"/trainer/matrix?intake={month}").get_data(as_text=True)
    assert "Rut Redo" not in client.get("/trainer/matrix?intake=2001-01").get_data(as_text=True)
    # Sorting by progress, most first: Rut before Lisa.
    page = client.get("/trainer/matrix?sort=progress&dir=desc").get_data(as_text=True)
    assert page.index("Rut Redo") < page.index("Lisa Läser")
    # Nonsense in the arguments falls back to defaults, never a 500.
    assert client.get("/trainer/matrix?sort=x&stage=y&page=z&intake=abc").status_code == 200


def test_matrix_pages_50_rows_with_constant_queries(app, client, login, trainer, count_queries):
    from trainer.auth.models import UserRole

    def add(n, start):
        for i in range(start, start + n):
            u = User(email=f"v{i}@example.org", full_name=f"Volontär {i:04d}", display_name=f"V{i}")
            u.roles.append(UserRole(role="volunteer"))
            db.session.add(u)
        db.session.commit()

    add(5, 0)
    login(trainer)
    client.get("/trainer/matrix")  # warm the module-version cache
    with count_queries() as few:
        assert client.get("/trainer/matrix").status_code == 200
    add(595, 5)  # past SQLAlchemy's batch of 500 for eager loads
    with count_queries() as many:
        page = client.get("/trainer/matrix").get_data(as_text=True)
    assert few.count == many.count
    assert page.count('<th scope="row">') == 50
    assert "Sida 1 av 12" in page
    last = client.get("/trainer/matrix?page=12").get_data(as_text=True)
    assert "Volontär 0599" in last and last.count('<th scope="row">') == 50


def test_csv_export_is_excel_ready_and_audited(client, login, make_user, trainer):
    make_user(name="=cmd|' /C calc'!A0")
    hidden = make_user(name="Hemlig Person", protected_identity=True)
    login(trainer)
    r = client.get("/trainer/matrix.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    body = r.data.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    names = [row[0] for row in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in names
    assert "Hemlig Person" not in body and f"Skyddad identitet (nr {hidden.id})" in names
    assert all(len(row) == len(rows[0]) for row in rows)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.matrix"))
    assert event.actor_id == trainer.id and "2 rader" in event.detail


def test_volunteer_record_is_audited_and_shows_history(client, login, make_user, trainer):
    v = make_user(name="Rut Redo")
    finish(v)
    certification.add_note(trainer, v.id, "Introträff 3 mars.")
    db.session.commit()
    login(trainer)
    page = client.get(f"/trainer/volunteers/{v.id}").get_data(as_text=True)
    assert "Rut Redo" in page and "Introträff 3 mars." in page
    assert "Quizförsök" in page and "Tystnadslöfte" in page
    assert "Jag tänker att det viktigaste" in page  # her reflection
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "volunteer.view")
    ).all()
    assert [(e.actor_id, e.target_user_id) for e in events] == [(trainer.id, v.id)]
    assert client.get("/trainer/volunteers/999999").status_code == 404


def test_approve_from_the_page_and_see_the_certificate(client, login, make_user, trainer):
    v = make_user(name="Rut Redo")
    finish(v)
    login(trainer)
    r = client.post(f"/trainer/volunteers/{v.id}/decision", data={"decision": "approved"})
    assert r.status_code == 302
    cert = db.session.scalar(sa.select(Certification))
    assert cert.user_id == v.id
    client.post("/logout")
    login(v)
    me = client.get("/me").get_data(as_text=True)
    assert "Du är godkänd som volontär" in me
    page = client.get("/certificate").get_data(as_text=True)
    assert "Rut Redo" in page and certification.format_code(cert.code) in page
    assert "Tove Utbildare" in page and "/verify/" in page
    for m in catalog().modules:
        assert m.title in page


def test_repeat_decision_shows_her_what_to_repeat(client, login, make_user, trainer):
    v = make_user()
    finish(v)
    login(trainer)
    r = client.post(f"/trainer/volunteers/{v.id}/decision", data={"decision": "repeat"})
    assert r.status_code == 302 and "Skriv vad hon behöver repetera" in client.get(
        f"/trainer/volunteers/{v.id}"
    ).get_data(as_text=True)
    client.post(
        f"/trainer/volunteers/{v.id}/decision",
        data={"decision": "repeat", "comment": "Läs om avsnittet om skam."},
    )
    client.post("/logout")
    login(v)
    assert "Läs om avsnittet om skam." in client.get("/me").get_data(as_text=True)
    assert "underkänd" not in client.get("/me").get_data(as_text=True).lower()


def test_tampered_decision_is_400_and_stores_nothing(client, login, make_user, trainer):
    v = make_user()
    finish(v)
    login(trainer)
    assert (
        client.post(f"/trainer/volunteers/{v.id}/decision", data={"decision": "ok"}).status_code
        == 400
    )
    assert db.session.scalar(sa.select(sa.func.count(Certification.id))) == 0


def test_a_volunteer_cannot_open_trainer_pages(client, login, make_user):
    v = make_user()
    login(v)
    for url in (
        "/trainer",
        "/trainer/matrix",
        "/trainer/matrix.csv",
        f"/trainer/volunteers/{v.id}",
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            f"/trainer/volunteers/{v.id}/decision", data={"decision": "approved"}
        ).status_code
        == 403
    )


def test_verify_page_minimal_disclosure(client, login, make_user, trainer):
    v = make_user(name="Rut Redo")
    cert = certify(v, trainer)
    url = "/verify/" + certification.format_code(cert.code)
    page = client.get(url).get_data(as_text=True)
    assert "Intyget gäller till och med" in page and "Rut Redo" not in page
    assert "noindex" in page
    for m in catalog().modules:
        assert m.title in page
    login(v)
    client.post(f"/certificate/{cert.id}/show-name", data={"show": "1"})
    client.post("/logout")
    assert "Rut Redo" in client.get(url).get_data(as_text=True)
    certification.revoke(trainer, cert.id, "Skäl", now=utcnow())
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "återkallat" in page and "gäller till och med" not in page
    r = client.get("/verify/AAAA-BBBB-CCCC-DDDD")
    assert r.status_code == 404 and "Vi hittar inget intyg" in r.get_data(as_text=True)
    r = client.post("/verify", data={"code": " " + cert.code.lower() + " "})
    assert r.status_code == 302 and r.headers["Location"].endswith(url)


def test_expired_certificate_shows_as_expired(client, login, make_user, trainer):
    v = make_user()
    cert = certify(v, trainer, utcnow() - timedelta(days=800))
    assert "har gått ut" in client.get("/verify/" + cert.code).get_data(as_text=True)
    login(v)
    assert "gick ut" in client.get("/me").get_data(as_text=True)


def test_she_cannot_change_someone_elses_certificate(client, login, make_user, trainer):
    v = make_user()
    cert = certify(v, trainer)
    login(make_user())
    client.post(f"/certificate/{cert.id}/show-name", data={"show": "1"})
    db.session.refresh(cert)
    assert cert.show_name is False


def test_todo_lists_ready_reflections_and_stalled(client, login, make_user, trainer, count_queries):
    ready = make_user(name="Rut Redo")
    finish(ready)
    stalled = make_user(name="Sara Stilla")
    stalled.created_at = utcnow() - timedelta(days=45)
    db.session.commit()
    login(trainer)
    with count_queries() as q:
        page = client.get("/trainer").get_data(as_text=True)
    assert q.count <= 14
    ready_part = page.split('id="ready-h"')[1].split("</section>")[0]
    stalled_part = page.split('id="stalled-h"')[1].split("</section>")[0]
    refl_part = page.split('id="refl-h"')[1].split("</section>")[0]
    assert "Rut Redo" in ready_part and "Sara Stilla" not in ready_part
    assert "Sara Stilla" in stalled_part and "Rut Redo" not in stalled_part
    assert "Rut Redo" in refl_part
    client.post(f"/trainer/volunteers/{ready.id}/reflections-read")
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Reflection.id)).where(Reflection.read_at.is_(None))
        )
        == 0
    )
    page = client.get("/trainer").get_data(as_text=True)
    assert "Inga olästa reflektioner." in page


def test_question_statistics(client, login, make_user, trainer):
    slug = catalog().modules[0].slug
    for passed in (True, False, False):
        complete_module(make_user(), slug, utcnow(), passed=passed)
    db.session.commit()
    login(trainer)
    page = client.get(f"/trainer/questions/{slug}").get_data(as_text=True)
    assert "3 rättade försök" in page
    assert "33 %" in page  # each question right once out of three
    first_wrong = next(o for o in catalog().modules[0].questions[0].options if not o.correct)
    assert first_wrong.text in page
    assert client.get("/trainer/questions/nope").status_code == 404
