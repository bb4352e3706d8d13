"""Erasure: nothing that names her is left anywhere, and the statistics keep their numbers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.certification.test_services import NOW, finish
from trainer.certification import services as certification
from trainer.certification.models import Certification
from trainer.errors import NotAllowed
from trainer.extensions import db
from trainer.learning.services import catalog
from trainer.privacy import services
from trainer.trainers.services import question_stats, versions_of

CANARY = ("Kanarie", "kanarie@example.org", "070-999 88 77")


def text_hits(needles) -> list[str]:
    """Every string column of every table, searched for the needles."""
    hits = []
    for table in db.metadata.sorted_tables:
        for col in table.columns:
            if isinstance(col.type, sa.String | sa.Text | sa.JSON):
                for (value,) in db.session.execute(sa.select(col)):
                    text = str(value or "").lower()
                    hits += [f"{table.name}.{col.name}" for n in needles if n.lower() in text]
    return hits


@pytest.fixture
def canary(app, make_user):
    trainer = make_user("trainer")
    name, email, phone = CANARY
    user = make_user(name=f"{name} Fågelsdotter", email=email, phone=phone)
    finish(user)
    certification.add_note(trainer, user.id, "Kanarie kom till introträffen.")
    certification.decide(trainer, user.id, "approved", note="Kanarie: introträff", now=NOW)
    db.session.commit()
    return user


def test_erase_leaves_nothing_that_names_her(app, canary, make_user):
    admin = make_user("admin")
    slug = catalog().modules[0].slug
    before = question_stats(versions_of(slug)[0])
    assert text_hits(["kanarie", "070-999"])  # the canary is there to be found
    services.erase(admin, canary.id, now=NOW)
    db.session.commit()
    assert text_hits(["kanarie", "070-999"]) == []
    after = question_stats(versions_of(slug)[0])
    assert [(s.question_id, s.answered, s.correct) for s in after[2]] == [
        (s.question_id, s.answered, s.correct) for s in before[2]
    ]
    assert after[1] == before[1]
    cert = db.session.scalar(sa.select(Certification).where(Certification.user_id == canary.id))
    assert cert.revoked_at is not None and not certification.is_certified(canary, NOW)
    assert canary.active is False and canary.password_hash is None and canary.roles == []


def test_only_an_admin_and_never_herself(app, canary, make_user):
    with pytest.raises(NotAllowed):
        services.erase(make_user("board"), canary.id)
    admin = make_user("admin")
    with pytest.raises(NotAllowed):
        services.erase(admin, admin.id)


def test_erase_from_the_admin_page_needs_the_checkbox(client, login, canary, make_user):
    login(make_user("admin"))
    client.post(f"/admin/users/{canary.id}/erase", data={})
    db.session.refresh(canary)
    assert canary.full_name.startswith("Kanarie")
    r = client.post(f"/admin/users/{canary.id}/erase", data={"understood": "y"})
    assert r.status_code == 302
    db.session.refresh(canary)
    assert canary.full_name == "Raderad person"
