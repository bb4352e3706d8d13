"""Admins manage people: roles, deactivation, protected identity; every change is logged."""

from __future__ import annotations

import sqlalchemy as sa

from trainer.audit.models import AuditEvent
from trainer.extensions import db


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_admin_changes_roles_and_it_is_recorded(client, make_user, login):
    admin, person = make_user("admin"), make_user("volunteer")
    login(admin)
    r = client.post(f"/admin/users/{person.id}/roles", data={"roles": ["volunteer", "trainer"]})
    assert r.status_code == 302
    db.session.refresh(person)
    assert person.role_names == {"volunteer", "trainer"}
    assert "roles.changed" in actions()


def test_deactivate_and_reactivate_keep_history(client, make_user, login):
    admin, person = make_user("admin"), make_user()
    login(admin)
    client.post(f"/admin/users/{person.id}/deactivate")
    db.session.refresh(person)
    assert not person.active and person.deactivated_at is not None
    client.post(f"/admin/users/{person.id}/reactivate")
    db.session.refresh(person)
    assert person.active
    assert {"user.deactivated", "user.reactivated"} <= set(actions())
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "user.deactivated" in page


def test_protected_identity_flag(client, make_user, login):
    admin, person = make_user("admin"), make_user()
    login(admin)
    client.post(f"/admin/users/{person.id}/protected", data={"protected": "1"})
    db.session.refresh(person)
    assert person.protected_identity
    assert "user.protected_identity" in actions()


def test_opening_a_person_is_audited(client, make_user, login):
    admin, person = make_user("admin"), make_user()
    login(admin)
    client.get(f"/admin/users/{person.id}")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.viewed"))
    assert event.actor_id == admin.id and event.target_user_id == person.id


def test_people_list_uses_constant_queries(client, make_user, login, count_queries):
    login(make_user("admin"))
    client.get("/admin/users")
    with count_queries() as few:
        client.get("/admin/users")
    for _ in range(10):
        make_user("volunteer")
    with count_queries() as many:
        client.get("/admin/users")
    assert few.count == many.count, many.statements
