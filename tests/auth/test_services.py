"""Accounts without HTTP: login, throttling, tokens, roles, deactivation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from trainer.audit.models import AuditEvent
from trainer.auth import services
from trainer.auth.passwords import password_problem
from trainer.errors import Conflict, NotAllowed, Throttled, TrainerError
from trainer.extensions import db
from trainer.timeutil import utcnow


def test_login_is_case_insensitive_on_email(make_user):
    user = make_user(email="Anna@Example.org")
    assert services.authenticate("  ANNA@example.ORG ", PASSWORD, "1.1.1.1") == user


@pytest.mark.parametrize(
    "email,password",
    [
        ("person1@example.org", "wrong password here"),
        ("nobody@example.org", PASSWORD),
    ],
)
def test_wrong_password_and_unknown_email_give_the_same_error(make_user, email, password):
    make_user()
    with pytest.raises(NotAllowed) as info:
        services.authenticate(email, password, "1.1.1.1")
    assert str(info.value) == "Fel e-postadress eller lösenord."


def test_deactivated_account_cannot_log_in(make_user):
    admin = make_user("admin")
    user = make_user()
    services.deactivate(user, actor=admin)
    with pytest.raises(NotAllowed):
        services.authenticate(user.email, PASSWORD, "1.1.1.1")


def test_account_is_throttled_after_five_failures_even_with_the_right_password(make_user):
    user = make_user()
    for i in range(5):
        with pytest.raises(NotAllowed):
            services.authenticate(user.email, "wrong password!", f"10.0.0.{i}")
    with pytest.raises(Throttled):
        services.authenticate(user.email, PASSWORD, "10.0.0.99")
    later = utcnow() + timedelta(minutes=16)
    assert services.authenticate(user.email, PASSWORD, "10.0.0.99", now=later) == user


def test_address_is_throttled_across_accounts(app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    make_user()
    for n in range(3):
        with pytest.raises(NotAllowed):
            services.authenticate(f"guess{n}@example.org", "wrong password!", "6.6.6.6")
    with pytest.raises(Throttled):
        services.authenticate("person1@example.org", PASSWORD, "6.6.6.6")


@pytest.mark.parametrize(
    "pw,ok",
    [
        ("a" * 11, False),
        ("a b c d e f g", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("password1234", False),
        ("🌸🌸🌸🌸🌸🌸 blommor", True),
    ],
)
def test_password_rules(app, pw, ok):
    with app.test_request_context():
        assert (password_problem(pw) is None) == ok


def test_password_hash_is_argon2id_and_salted(make_user):
    a, b = make_user(), make_user()
    assert a.password_hash.startswith("$argon2id$")
    assert a.password_hash != b.password_hash


def test_duplicate_email_is_refused(make_user):
    make_user(email="a@example.org")
    with pytest.raises(Conflict):
        services.create_user("A@example.org", "Other Person")


def test_invite_token_sets_password_once(make_user):
    user = make_user(password=PASSWORD)
    token = services.issue_token(user, "invite")
    services.use_token(token, "invite", "a brand new password")
    db.session.commit()
    assert services.authenticate(user.email, "a brand new password", "x") == user
    with pytest.raises(TrainerError):
        services.use_token(token, "invite", "another new password")


def test_expired_and_wrong_purpose_tokens_fail(make_user):
    user = make_user()
    token = services.issue_token(user, "reset")
    assert services.find_token(token, "invite") is None
    assert services.find_token(token, "reset", now=utcnow() + timedelta(minutes=61)) is None
    assert services.find_token("made-up-token", "reset") is None
    assert services.find_token(token, "reset") is not None


def test_password_change_ends_other_sessions(make_user):
    user = make_user()
    before = user.get_id()
    services.change_password(user, PASSWORD, "completely different pw")
    assert user.get_id() != before


def test_role_change_is_recorded(make_user):
    admin = make_user("admin")
    user = make_user("volunteer")
    services.set_roles(user, ["volunteer", "trainer"], actor=admin)
    db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "roles.changed"))
    assert event.actor_id == admin.id and event.target_user_id == user.id
    assert event.detail == "volunteer -> trainer,volunteer"


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(make_user):
    admin = make_user("admin")
    with pytest.raises(NotAllowed):
        services.set_roles(admin, ["volunteer"], actor=admin)
    with pytest.raises(NotAllowed):
        services.deactivate(admin, actor=admin)
