"""Readiness, decisions, certification, revocation and expiry through the service layer."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from trainer.audit.models import AuditEvent
from trainer.certification import rules, services
from trainer.certification.models import Certification, SignOffDecision
from trainer.demo import complete_module
from trainer.errors import Conflict, NotAllowed, TrainerError
from trainer.extensions import db
from trainer.learning.services import catalog
from trainer.quizzes.models import Reflection

NOW = datetime(2026, 3, 2, 10, 0)


def finish(user, now=NOW, *, skip=(), pledge=True):
    for m in catalog().modules:
        if m.slug not in skip:
            complete_module(user, m.slug, now)
    if pledge:
        services.accept_pledge(user, services.current_pledge().version, now=now)
    db.session.commit()


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", name="Tove Utbildare")


@pytest.fixture
def ready(make_user):
    user = make_user(name="Rut Redo")
    finish(user)
    return user


def test_ready_when_all_passed_and_pledge_accepted(app, make_user):
    user = make_user()
    finish(user, skip=("sarskild-sarbarhet",))
    where = services.standing(user, NOW)
    assert not where.readiness.ready and where.readiness.missing_modules == ("sarskild-sarbarhet",)
    assert where.stage == rules.IN_TRAINING
    complete_module(user, "sarskild-sarbarhet", NOW)
    db.session.commit()
    assert services.standing(user, NOW).stage == rules.READY


def test_pledge_is_required(app, make_user):
    user = make_user()
    finish(user, pledge=False)
    r = services.standing(user, NOW).readiness
    assert r.pledge_missing and not r.missing_modules and not r.ready


def test_a_new_module_version_after_she_passed_makes_her_not_ready(app, ready):
    assert services.standing(ready, NOW).readiness.ready
    cat = catalog()
    changed = dataclasses.replace(cat.modules[1], content_hash="x" * 64)
    app.extensions["trainer.catalog"] = dataclasses.replace(
        cat, modules=(cat.modules[0], changed, *cat.modules[2:])
    )
    where = services.standing(ready, NOW)
    assert where.readiness.missing_modules == (changed.slug,)
    assert where.cells[changed.slug].state == "retake"  # passed the old version only


def test_approve_issues_certification(app, ready, trainer):
    services.decide(trainer, ready.id, "approved", note="Introträff 12 februari", now=NOW)
    db.session.commit()
    cert = db.session.scalar(sa.select(Certification))
    assert cert.user_id == ready.id and cert.trainer_id == trainer.id
    assert cert.issued_at == NOW and cert.valid_until == datetime(2028, 3, 2, 10, 0)
    assert set(cert.modules) == {m.slug for m in catalog().modules}
    assert all(m["version"] == 1 for m in cert.modules.values())
    assert len(cert.code) == 16 and cert.show_name is False
    assert services.standing(ready, NOW).stage == rules.CERTIFIED
    assert services.is_certified(ready, NOW)
    events = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "certification.approved" in events


def test_validity_months_are_configurable(app, ready, trainer):
    app.config["CERTIFICATION_MONTHS"] = 12
    services.decide(trainer, ready.id, "approved", now=NOW)
    assert db.session.scalar(sa.select(Certification.valid_until)) == datetime(2027, 3, 2, 10, 0)


def test_codes_are_unique_and_random(app, make_user, trainer):
    codes = {services.new_code() for _ in range(200)}
    assert len(codes) == 200


def test_not_ready_cannot_be_approved(app, make_user, trainer):
    user = make_user()
    finish(user, skip=("varningssignaler",))
    with pytest.raises(Conflict, match="Varningssignaler|varningssignaler|moduler kvar"):
        services.decide(trainer, user.id, "approved", now=NOW)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Certification.id))) == 0


def test_cannot_certify_herself(app, make_user):
    me = make_user("volunteer", "trainer")
    finish(me)
    with pytest.raises(NotAllowed):
        services.decide(me, me.id, "approved", now=NOW)


def test_only_trainers_decide(app, ready, make_user):
    board = make_user("board")
    with pytest.raises(NotAllowed):
        services.decide(board, ready.id, "approved", now=NOW)


def test_already_certified_is_not_approved_twice(app, ready, trainer):
    services.decide(trainer, ready.id, "approved", now=NOW)
    with pytest.raises(Conflict):
        services.decide(trainer, ready.id, "approved", now=NOW + timedelta(days=1))


def test_asked_to_repeat_needs_a_comment_and_stands_until_she_passes_again(app, ready, trainer):
    with pytest.raises(TrainerError):
        services.decide(trainer, ready.id, "repeat", comment="  ", now=NOW)
    later = NOW + timedelta(days=1)
    services.decide(trainer, ready.id, "repeat", comment="Läs om avsnittet om skuld.", now=later)
    db.session.commit()
    assert db.session.scalar(sa.select(SignOffDecision.decision)) == "repeat"
    assert services.standing(ready, later).stage == rules.ASKED_TO_REPEAT
    assert db.session.scalar(sa.select(sa.func.count(Certification.id))) == 0
    complete_module(ready, "normaliseringsprocessen", later + timedelta(hours=2))
    db.session.commit()
    assert services.standing(ready, later + timedelta(hours=3)).stage == rules.READY


def test_unknown_decision_is_refused(app, ready, trainer):
    with pytest.raises(TrainerError):
        services.decide(trainer, ready.id, "underkänd", now=NOW)


def test_revoke_with_reason(app, ready, trainer, make_user):
    services.decide(trainer, ready.id, "approved", now=NOW)
    cert = db.session.scalar(sa.select(Certification))
    with pytest.raises(TrainerError):
        services.revoke(trainer, cert.id, "", now=NOW)
    services.revoke(trainer, cert.id, "Bröt mot tystnadslöftet.", now=NOW + timedelta(days=3))
    db.session.commit()
    assert services.status_of(cert, NOW + timedelta(days=4)) == rules.REVOKED
    assert not services.is_certified(ready, NOW + timedelta(days=4))
    assert services.standing(ready, NOW + timedelta(days=4)).stage == rules.REVOKED
    with pytest.raises(Conflict):
        services.revoke(trainer, cert.id, "igen", now=NOW + timedelta(days=5))


def test_cannot_revoke_own_certification(app, make_user, trainer):
    me = make_user("volunteer", "trainer")
    finish(me)
    services.decide(trainer, me.id, "approved", now=NOW)
    cert = db.session.scalar(sa.select(Certification))
    with pytest.raises(NotAllowed):
        services.revoke(me, cert.id, "vill inte", now=NOW)


def test_expiry_by_date_and_renewal_needs_new_passes(app, ready, trainer):
    services.decide(trainer, ready.id, "approved", now=NOW)
    db.session.commit()
    cert = db.session.scalar(sa.select(Certification))
    assert services.standing(ready, cert.valid_until - timedelta(days=59)).stage == rules.EXPIRING
    after = cert.valid_until + timedelta(days=1)
    where = services.standing(ready, after)
    assert where.stage == rules.EXPIRED and not where.readiness.ready
    assert where.since == cert.valid_until
    assert all(c.state == "retake" for c in where.cells.values())
    assert not services.is_certified(ready, after)
    finish(ready, after)  # she takes the current quizzes again
    assert services.standing(ready, after).stage == rules.READY
    services.decide(trainer, ready.id, "approved", now=after)
    assert services.standing(ready, after).stage == rules.CERTIFIED


def test_reflections_lock_once_certified(app, ready, trainer):
    slug = next(m.slug for m in catalog().modules if any(not q.graded for q in m.questions))
    before = db.session.scalar(sa.select(Reflection.text).where(Reflection.module_slug == slug))
    services.decide(trainer, ready.id, "approved", now=NOW)
    db.session.commit()
    from trainer.demo import answer_form
    from trainer.quizzes import services as quizzes

    attempt = quizzes.start_attempt(ready, slug, now=NOW + timedelta(days=1))
    form = answer_form(attempt)
    form = {k: (["Ändrad text"] if k.startswith("r-") else v) for k, v in form.items()}
    assert any(k.startswith("r-") for k in form)
    quizzes.submit_attempt(ready, attempt.id, form, now=NOW + timedelta(days=1))
    db.session.commit()
    after = db.session.scalar(sa.select(Reflection.text).where(Reflection.module_slug == slug))
    assert after == before


def test_current_certified_ids(app, ready, make_user, trainer):
    other = make_user()
    services.decide(trainer, ready.id, "approved", now=NOW)
    db.session.commit()
    assert services.current_certified_ids(NOW) == {ready.id}
    assert services.current_certified_ids(NOW, [other.id]) == set()
    assert services.current_certified_ids(NOW + timedelta(days=800)) == set()


def test_verification_code_lookup_ignores_case_and_dashes(app, ready, trainer):
    services.decide(trainer, ready.id, "approved", now=NOW)
    cert = db.session.scalar(sa.select(Certification))
    pretty = services.format_code(cert.code).lower()
    assert "-" in pretty and services.by_code(pretty) == cert
    assert services.by_code("nope") is None and services.by_code("") is None


def test_standings_query_count_is_constant(app, make_user, count_queries):
    users = [make_user() for _ in range(3)]
    finish(users[0])
    with count_queries() as few:
        services.standings(NOW)
    for _ in range(12):
        finish(make_user(), skip=("sarskild-sarbarhet",))
    with count_queries() as many:
        assert len(services.standings(NOW)) == 15
    assert few.count == many.count <= 8
