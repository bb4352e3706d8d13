"""A person's own data, all of it, as JSON (GDPR art. 15 and 20). Driven by the registry,
so a new table or column cannot be forgotten."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from trainer.audit import services as audit
from trainer.auth.models import User
from trainer.extensions import db
from trainer.privacy.registry import REGISTRY, Table
from trainer.timeutil import utcnow


def _rows_of(table: sa.Table, spec: Table, user: User) -> list[dict[str, Any]]:
    cols = [table.c[name] for name, kind in spec.columns().items() if kind == "personal"]
    if not cols:
        return []
    if spec.login_key:
        where = table.c.key == f"acct:{user.email}"
    elif spec.via:
        column, parent_name = spec.via
        parent = db.metadata.tables[parent_name]
        parent_owner = REGISTRY[parent_name].owner
        where = table.c[column].in_(sa.select(parent.c.id).where(parent.c[parent_owner] == user.id))
    elif spec.owner:
        where = sa.or_(*(table.c[c] == user.id for c in spec.owner.split("|")))
    else:
        return []
    order = [table.c.id] if "id" in table.c else []
    result = db.session.execute(sa.select(*cols).where(where).order_by(*order))
    return [dict(row._mapping) for row in result]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_for(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """Every personal row that belongs to her, by table; secrets left out. The export is
    itself written to the audit log."""
    now = now or utcnow()
    data: dict[str, Any] = {"exported_at": now.isoformat() + "Z", "tables": {}}
    for name, spec in REGISTRY.items():
        rows = _rows_of(db.metadata.tables[name], spec, user)
        if rows:
            data["tables"][name] = [{k: _plain(v) for k, v in r.items()} for r in rows]
    audit.record("privacy.export", actor_id=user.id, target_user_id=user.id, now=now)
    return data


# --- erasure (GDPR art. 17) ----------------------------------------------------------------


def erase(actor: User, user_id: int, *, now: datetime | None = None) -> User:
    """Erase a person's data but keep the statistics others rely on.

    Her account row stays as an anonymous placeholder (so quiz statistics, attendance
    counts, activities and evaluations keep their numbers); everything that names her or
    that she wrote about herself goes: contact details, password, roles, tokens, her
    interest registration, reflections, notes and comments about her, and her failed-login
    keys. Her certifications are revoked so their codes no longer verify. Admins only;
    nobody erases herself here. The audit log keeps that it happened, not who she was.
    """
    from flask_babel import gettext as _

    from trainer.activities.models import CalendarToken, SignUp
    from trainer.applicants.models import Applicant
    from trainer.audit.models import AuditEvent
    from trainer.auth.models import AuthToken, LoginFailure, UserRole
    from trainer.certification.models import Certification, SignOffDecision, TrainerNote
    from trainer.errors import NotAllowed, NotFound
    from trainer.quizzes.models import Reflection
    from trainer.workgroups.models import Membership

    now = now or utcnow()
    if not actor.has_role("admin"):
        raise NotAllowed(_("Bara en administratör kan radera en person."))
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Personen finns inte."))
    if user.id == actor.id:
        raise NotAllowed(_("Du kan inte radera dig själv. Be en annan administratör."))
    email = user.email
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key == f"acct:{email}"))
    for model in (UserRole, AuthToken, CalendarToken, Reflection, TrainerNote):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    db.session.execute(sa.delete(Applicant).where(Applicant.user_id == user.id))
    db.session.execute(sa.delete(Applicant).where(Applicant.email == email))
    db.session.execute(
        sa.update(SignOffDecision)
        .where(SignOffDecision.user_id == user.id)
        .values(comment="", note="")
    )
    db.session.execute(
        sa.update(SignUp).where(SignUp.user_id == user.id).values(reflection="", cancel_message="")
    )
    db.session.execute(
        sa.update(Certification)
        .where(Certification.user_id == user.id)
        .values(
            revoked_at=sa.func.coalesce(Certification.revoked_at, now),
            revoke_reason="",
            show_name=False,
        )
    )
    db.session.execute(
        sa.update(Membership)
        .where(Membership.user_id == user.id, Membership.state.in_(("active", "requested")))
        .values(state="left", ended_at=now)
    )
    # The log keeps what happened and when, not what was written about her.
    db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.target_user_id == user.id).values(detail="")
    )
    user.email = f"raderad-{user.id}@invalid"
    user.full_name = _("Raderad person")
    user.display_name = _("Raderad")
    user.phone = None
    user.password_hash = None
    user.locale = None
    user.active = False
    user.protected_identity = False
    user.deactivated_at = now
    user.session_version += 1
    db.session.flush()
    db.session.expire(user, ["roles"])
    audit.record("privacy.erased", actor_id=actor.id, target_user_id=user.id, now=now)
    return user
