"""Exports and account changes ask for the password again when the session was restored
from the remember-me cookie (security.md A8)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from trainer.auth.models import UserRole
from trainer.auth.policy import NEEDS_FRESH_LOGIN, POLICY
from trainer.extensions import db


def restored_from_cookie(client, app):
    """Drop the session cookie and keep the remember-me cookie, as after a browser restart."""
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])


def test_every_fresh_endpoint_is_in_the_policy():
    assert NEEDS_FRESH_LOGIN <= set(POLICY)


def test_a_fresh_login_exports_directly(client, login, make_user):
    login(make_user("trainer"))
    assert client.get("/trainer/matrix.csv").status_code == 200


def test_remembered_session_confirms_before_export(app, client, login, make_user):
    trainer = make_user("trainer")
    login(trainer, remember=True)
    restored_from_cookie(client, app)
    assert client.get("/trainer").status_code == 200  # reading pages needs no new password
    r = client.get("/trainer/matrix.csv?stage=ready")
    assert r.status_code == 302 and "/login/confirm?next=" in r.headers["Location"]
    page = client.get(r.headers["Location"])
    assert "Bekräfta att det är du" in page.get_data(as_text=True)
    bad = client.post(r.headers["Location"], data={"password": "wrong password here"})
    assert bad.status_code == 403 and "Fel lösenord." in bad.get_data(as_text=True)
    ok = client.post(r.headers["Location"], data={"password": PASSWORD})
    assert ok.status_code == 302 and ok.headers["Location"] == "/trainer/matrix.csv?stage=ready"
    assert client.get("/trainer/matrix.csv?stage=ready").status_code == 200


def test_remembered_admin_confirms_before_changing_roles(app, client, login, make_user):
    admin = make_user("admin")
    person = make_user("volunteer")
    login(admin, remember=True)
    restored_from_cookie(client, app)
    r = client.post(
        f"/admin/users/{person.id}/roles",
        data={"roles": ["volunteer", "admin"]},
        headers={"Referer": f"http://localhost/admin/users/{person.id}"},
    )
    assert r.status_code == 302 and "/login/confirm" in r.headers["Location"]
    assert "next=/admin/users/" in r.headers["Location"]
    roles = db.session.scalars(sa.select(UserRole.role).where(UserRole.user_id == person.id)).all()
    assert roles == ["volunteer"]  # nothing changed


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example"])
def test_confirm_never_leaves_the_site(app, client, login, make_user, target):
    login(make_user("trainer"), remember=True)
    restored_from_cookie(client, app)
    r = client.post(f"/login/confirm?next={target}", data={"password": PASSWORD})
    assert r.status_code == 302 and "evil" not in r.headers["Location"]
