"""Login, logout, reset and invitation as a person meets them in the browser."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, link_from
from trainer.auth.models import User
from trainer.extensions import db


def _strip_token(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", html)


def test_login_redirects_to_own_start_page(client, make_user):
    user = make_user("volunteer")
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/me"


def test_wrong_password_and_unknown_email_look_identical(client, make_user):
    make_user(email="known@example.org")
    a = client.post("/login", data={"email": "known@example.org", "password": "wrong password!!"})
    b = client.post("/login", data={"email": "unknown@example.org", "password": "wrong password!!"})
    assert a.status_code == b.status_code == 403
    body_a = _strip_token(a.get_data(as_text=True)).replace("known@example.org", "EMAIL")
    body_b = _strip_token(b.get_data(as_text=True)).replace("unknown@example.org", "EMAIL")
    assert body_a == body_b


def test_throttled_login_answers_429(client, make_user):
    user = make_user()
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "wrong password!!"})
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 429 and "För många" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "\\\\evil.example",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/%09/evil.example",
    ],
)
def test_next_only_accepts_local_paths(client, make_user, target):
    user = make_user()
    r = client.post("/login?next=" + target, data={"email": user.email, "password": PASSWORD})
    assert (
        r.headers["Location"] in ("/me",)
        or r.headers["Location"].startswith("/")
        and "evil" not in r.headers["Location"]
    )


def test_next_local_path_is_followed(client, make_user):
    user = make_user()
    r = client.post("/login?next=/account", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"] == "/account"


def test_logout_ends_the_session_everywhere(app, make_user, login):
    user = make_user()
    a, b = app.test_client(), app.test_client()
    login(user, c=a)
    login(user, c=b)
    a.post("/logout")
    assert b.get("/me").status_code == 302


def test_password_change_logs_out_other_devices_but_not_this_one(app, make_user, login):
    user = make_user()
    a, b = app.test_client(), app.test_client()
    login(user, c=a)
    login(user, c=b)
    r = a.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "new password for me",
            "confirm": "new password for me",
        },
    )
    assert r.status_code == 302
    assert a.get("/me").status_code == 200
    assert b.get("/me").status_code == 302


def test_deactivation_ends_sessions(app, make_user, login):
    admin, user = make_user("admin"), make_user()
    c = app.test_client()
    login(user, c=c)
    login(admin).post(f"/admin/users/{user.id}/deactivate")
    assert c.get("/me").status_code == 302


def test_remember_me_cookie_is_set_only_when_asked(app, make_user):
    user = make_user()
    c = app.test_client()
    r = c.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert "trainer_remember=" in " ".join(r.headers.getlist("Set-Cookie"))
    c2 = app.test_client()
    r2 = c2.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "trainer_remember=" not in " ".join(r2.headers.getlist("Set-Cookie"))


def test_password_reset_by_email_link(client, make_user, outbox):
    user = make_user(email="reset@example.org")
    r = client.post("/password/reset", data={"email": "RESET@example.org"})
    assert r.status_code == 200
    mails = outbox()
    assert len(mails) == 1 and "To: reset@example.org" in mails[0]
    link = link_from(mails[0])
    assert client.get(link).status_code == 200
    r = client.post(link, data={"password": "my fresh password", "confirm": "my fresh password"})
    assert r.status_code == 302
    assert (
        client.post(
            link, data={"password": "another password!", "confirm": "another password!"}
        ).status_code
        == 400
    )
    db.session.refresh(user)
    c = client.application.test_client()
    assert (
        c.post("/login", data={"email": user.email, "password": "my fresh password"}).status_code
        == 302
    )


def test_reset_for_unknown_email_looks_the_same_and_sends_nothing(client, make_user, outbox):
    make_user(email="known@example.org")
    a = client.post("/password/reset", data={"email": "known@example.org"})
    b = client.post("/password/reset", data={"email": "unknown@example.org"})
    assert a.get_data() == b.get_data()
    assert len(outbox()) == 1


def test_bad_token_page_is_clear(client):
    r = client.get("/invite/not-a-real-token")
    assert r.status_code == 400 and "Länken fungerar inte" in r.get_data(as_text=True)


def test_account_details_can_be_changed(client, make_user, login):
    user = make_user()
    login(user)
    r = client.post(
        "/account",
        data={"full_name": "Ny Namnsson", "display_name": "Ny", "phone": "", "locale": "en"},
    )
    assert r.status_code == 302
    stored = db.session.scalar(sa.select(User).where(User.id == user.id))
    assert (stored.full_name, stored.display_name, stored.locale) == ("Ny Namnsson", "Ny", "en")
    assert "My account" in client.get("/account").get_data(
        as_text=True
    ) or "Mitt konto" in client.get("/account").get_data(as_text=True)
