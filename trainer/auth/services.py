"""Accounts: creation, login with throttling, tokens, roles, deactivation.

Functions flush and never commit: the view (or CLI command) owns the transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from trainer.audit.services import record
from trainer.auth.models import ROLES, AuthToken, LoginFailure, User, UserRole
from trainer.auth.passwords import hash_password, password_problem, verify_password
from trainer.errors import Conflict, NotAllowed, Throttled, TrainerError
from trainer.extensions import db
from trainer.timeutil import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    full_name: str,
    *,
    roles: list[str] | tuple[str, ...] = ("volunteer",),
    display_name: str | None = None,
    password: str | None = None,
    phone: str | None = None,
    actor: User | None = None,
) -> User:
    """Create an account. Raises Conflict when the email is taken."""
    email = normalise_email(email)
    if get_user_by_email(email):
        raise Conflict(_("Det finns redan ett konto med den e-postadressen."))
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise TrainerError(_("Okänd roll: %(r)s", r=", ".join(sorted(unknown))))
    user = User(
        email=email,
        full_name=full_name.strip(),
        display_name=(display_name or full_name.split()[0] if full_name.strip() else email).strip(),
        phone=phone or None,
    )
    if password is not None:
        set_password(user, password)
    user.roles = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    record(
        "user.created",
        actor_id=actor.id if actor else None,
        target_user_id=user.id,
        detail="roles=" + ",".join(sorted(set(roles))),
    )
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password after checking the rules; ends every other session."""
    problem = password_problem(password)
    if problem:
        raise TrainerError(problem)
    user.password_hash = hash_password(password)
    if user.id is not None:
        user.session_version += 1


def _recent_failures(key: str, now: datetime) -> int:
    since = now - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return (
        db.session.scalar(
            sa.select(sa.func.count(LoginFailure.id)).where(
                LoginFailure.key == key, LoginFailure.created_at >= since
            )
        )
        or 0
    )


def authenticate(email: str, password: str, address: str, *, now: datetime | None = None) -> User:
    """Return the user for a correct email and password, or raise.

    Unknown email, wrong password and deactivated account give the same error, so nobody
    can learn which emails have accounts. Too many failures per account or per address
    raise Throttled before the password is checked.
    """
    now = now or utcnow()
    email = normalise_email(email)
    acct_key, addr_key = f"acct:{email}", f"addr:{address}"
    cfg = current_app.config
    if (
        _recent_failures(acct_key, now) >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(addr_key, now) >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        record("login.throttled", actor_id=None, detail=f"addr={address}")
        raise Throttled(_("För många misslyckade försök. Vänta en kvart och försök igen."))
    user = get_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        db.session.add_all(
            [LoginFailure(key=acct_key, created_at=now), LoginFailure(key=addr_key, created_at=now)]
        )
        record("login.failed", actor_id=None, target_user_id=user.id if user else None)
        raise NotAllowed(_("Fel e-postadress eller lösenord."))
    record("login.ok", actor_id=user.id, target_user_id=user.id)
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-cookie the person has."""
    user.session_version += 1


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: str, *, now: datetime | None = None) -> str:
    """Create a single-use token (256 bits) and return it; only its hash is stored."""
    now = now or utcnow()
    if purpose == "invite":
        life = timedelta(days=current_app.config["INVITE_VALID_DAYS"])
    elif purpose == "reset":
        life = timedelta(minutes=current_app.config["RESET_VALID_MINUTES"])
    else:
        raise ValueError(purpose)
    token = secrets.token_urlsafe(32)
    db.session.add(
        AuthToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + life,
        )
    )
    db.session.flush()
    return token


def find_token(token: str, purpose: str, *, now: datetime | None = None) -> AuthToken | None:
    """The unused, unexpired token of that purpose, or None."""
    now = now or utcnow()
    row = db.session.scalar(sa.select(AuthToken).where(AuthToken.token_hash == _token_hash(token)))
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at < now:
        return None
    if not row.user.active:
        return None
    return row


def use_token(token: str, purpose: str, new_password: str, *, now: datetime | None = None) -> User:
    """Set the password from an invitation or reset link; the token can't be used again."""
    now = now or utcnow()
    row = find_token(token, purpose, now=now)
    if row is None:
        raise TrainerError(_("Länken är för gammal eller redan använd. Be om en ny länk."))
    set_password(row.user, new_password)
    # Claim the token with a conditional update so two parallel uses cannot both succeed.
    claimed = db.session.execute(
        sa.update(AuthToken)
        .where(AuthToken.id == row.id, AuthToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise TrainerError(_("Länken är för gammal eller redan använd. Be om en ny länk."))
    # Any other outstanding tokens of the same purpose die with this one.
    db.session.execute(
        sa.update(AuthToken)
        .where(
            AuthToken.user_id == row.user_id,
            AuthToken.purpose == purpose,
            AuthToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    record(f"password.set_by_{purpose}", actor_id=row.user_id, target_user_id=row.user_id)
    return row.user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise TrainerError(_("Det nuvarande lösenordet stämmer inte."))
    set_password(user, new)
    record("password.changed", actor_id=user.id, target_user_id=user.id)


def set_roles(user: User, roles: list[str], *, actor: User) -> None:
    """Replace a person's roles; the change is recorded."""
    wanted = set(roles)
    if wanted - set(ROLES):
        raise TrainerError(_("Okänd roll."))
    if user.id == actor.id and "admin" in user.role_names and "admin" not in wanted:
        raise NotAllowed(_("Du kan inte ta bort din egen administratörsroll."))
    before = user.role_names
    if before == wanted:
        return
    user.roles = [r for r in user.roles if r.role in wanted] + [
        UserRole(role=r) for r in sorted(wanted - before)
    ]
    record(
        "roles.changed",
        actor_id=actor.id,
        target_user_id=user.id,
        detail=f"{','.join(sorted(before))} -> {','.join(sorted(wanted))}",
    )


def deactivate(user: User, *, actor: User, now: datetime | None = None) -> None:
    if user.id == actor.id:
        raise NotAllowed(_("Du kan inte stänga av ditt eget konto."))
    user.active = False
    user.deactivated_at = now or utcnow()
    end_all_sessions(user)
    record("user.deactivated", actor_id=actor.id, target_user_id=user.id)


def reactivate(user: User, *, actor: User) -> None:
    user.active = True
    user.deactivated_at = None
    record("user.reactivated", actor_id=actor.id, target_user_id=user.id)


def prune_login_failures(now: datetime | None = None) -> int:
    """Delete failures older than a day; they only matter for throttling."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    return db.session.execute(
        sa.delete(LoginFailure).where(LoginFailure.created_at < cutoff)
    ).rowcount


def set_protected_identity(user: User, protected: bool, *, actor: User) -> None:
    """Mark or unmark a person as living with protected identity (skyddade personuppgifter)."""
    if user.protected_identity == protected:
        return
    user.protected_identity = protected
    record(
        "user.protected_identity",
        actor_id=actor.id,
        target_user_id=user.id,
        detail=str(protected).lower(),
    )
