"""Interest registrations: create, invite, decline. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from trainer.applicants.models import Applicant
from trainer.audit.services import record
from trainer.auth import services as auth
from trainer.auth.models import User
from trainer.errors import Conflict, NotAllowed, NotFound
from trainer.extensions import db
from trainer.mail import send_mail
from trainer.timeutil import utcnow
from trainer.workgroups.services import active_workgroups


def register_interest(
    *,
    name: str,
    email: str,
    phone: str | None,
    interest_ids: list[int],
    heard_from: str,
    motivation: str,
    now: datetime | None = None,
) -> Applicant | None:
    """Store an interest registration. A known email changes nothing and returns None,
    and the caller shows the same thank-you page either way."""
    email = auth.normalise_email(email)
    if auth.get_user_by_email(email) or db.session.scalar(
        sa.select(Applicant.id).where(Applicant.email == email)
    ):
        return None
    now = now or utcnow()
    groups = [g for g in active_workgroups() if g.id in set(interest_ids)]
    applicant = Applicant(
        name=name.strip(),
        email=email,
        phone=(phone or "").strip() or None,
        heard_from=(heard_from or "").strip(),
        motivation=motivation.strip(),
        consent_at=now,
        created_at=now,
        interests=groups,
    )
    db.session.add(applicant)
    db.session.flush()
    return applicant


def list_applicants() -> list[Applicant]:
    return list(
        db.session.scalars(
            sa.select(Applicant).order_by(Applicant.invited_at.is_not(None), Applicant.created_at)
        )
    )


def invite_applicant(applicant_id: int, *, actor: User, now: datetime | None = None) -> User:
    """Create the applicant's volunteer account and e-mail a link to set a password."""
    applicant = db.session.get(Applicant, applicant_id)
    if applicant is None:
        raise NotFound(_("Anmälan finns inte längre."))
    if applicant.user_id is not None:
        raise Conflict(_("%(name)s är redan inbjuden.", name=applicant.name))
    user = invite_person(
        applicant.email, applicant.name, ["volunteer"], actor=actor, phone=applicant.phone, now=now
    )
    applicant.user_id = user.id
    applicant.invited_at = now or utcnow()
    return user


def invite_person(
    email: str,
    name: str,
    roles: list[str],
    *,
    actor: User,
    phone: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create an account without a password and send the invitation e-mail.
    Only an admin may invite another admin."""
    if "admin" in roles and not actor.has_role("admin"):
        raise NotAllowed(_("Bara en administratör kan bjuda in en administratör."))
    user = auth.create_user(email, name, roles=roles, phone=phone, actor=actor)
    token = auth.issue_token(user, "invite", now=now)
    record("user.invited", actor_id=actor.id, target_user_id=user.id)
    send_mail(
        user.email,
        _("Välkommen som volontär – välj ditt lösenord"),
        "invite",
        user=user,
        link=url_for("auth.invite", token=token),
    )
    return user


def decline_applicant(applicant_id: int, *, actor: User) -> None:
    """Decline and delete the registration: nothing of it is kept."""
    applicant = db.session.get(Applicant, applicant_id)
    if applicant is None:
        raise NotFound(_("Anmälan finns inte längre."))
    if applicant.user_id is not None:
        raise Conflict(_("Personen är redan inbjuden och har ett konto."))
    db.session.delete(applicant)
    record("applicant.declined", actor_id=actor.id, detail=f"applicant={applicant_id}")
