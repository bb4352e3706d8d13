"""Plain helpers that put rows straight into the database, for workgroup and activity tests."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from trainer.activities import rules
from trainer.activities.models import Activity, ActivityTransition, SignUp
from trainer.certification.models import Certification
from trainer.extensions import db
from trainer.places.models import District, Place
from trainer.timeutil import utcnow
from trainer.workgroups.models import Membership, Workgroup


def certify(user, *, now: datetime | None = None, valid_days: int = 700, revoked: bool = False):
    """A certification issued a while ago, valid for `valid_days` more (negative: expired)."""
    now = now or utcnow()
    cert = Certification(
        user_id=user.id,
        issued_at=now - timedelta(days=30),
        valid_until=now + timedelta(days=valid_days),
        modules={},
        pledge_version=1,
        code=secrets.token_hex(8).upper(),
        revoked_at=now - timedelta(days=1) if revoked else None,
    )
    db.session.add(cert)
    db.session.commit()
    return cert


def group(slug: str = "tantjour") -> Workgroup:
    return db.session.scalar(sa.select(Workgroup).where(Workgroup.slug == slug))


def join(user, grp: Workgroup, role: str = "member", state: str = "active") -> Membership:
    m = Membership(
        workgroup_id=grp.id,
        user_id=user.id,
        role=role,
        state=state,
        joined_at=utcnow() if state == "active" else None,
        requested_at=utcnow() if state == "requested" else None,
    )
    db.session.add(m)
    db.session.commit()
    return m


def district(name: str = "Tumba") -> District:
    return db.session.scalar(sa.select(District).where(District.name == name))


def place(name: str = "Tumba bibliotek", district_name: str = "Tumba", kind="annat") -> Place:
    p = Place(name=name, district_id=district(district_name).id, kind=kind)
    db.session.add(p)
    db.session.commit()
    return p


def activity(
    grp: Workgroup,
    creator,
    *,
    state: str = rules.APPROVED,
    starts_in: timedelta = timedelta(days=7),
    hours: int = 2,
    min_volunteers: int | None = None,
    max_volunteers: int = 4,
    audience: str = rules.CERTIFIED,
    kind: str = "informationsbord",
    title: str = "Informationsbord i Tumba centrum",
    now: datetime | None = None,
    submitted_by=None,
) -> Activity:
    """An activity put straight into `state` (transitions are tested through the services)."""
    now = now or utcnow()
    a = Activity(
        workgroup_id=grp.id,
        title=title,
        description="Vi berättar om jouren.",
        kind=kind,
        in_person=True,
        district_id=district().id,
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(hours=hours),
        min_volunteers=min(2, max_volunteers) if min_volunteers is None else min_volunteers,
        max_volunteers=max_volunteers,
        audience=audience,
        state=state,
        created_by_id=creator.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(a)
    db.session.flush()
    if submitted_by is not None:
        db.session.add(
            ActivityTransition(
                activity_id=a.id,
                from_state=rules.DRAFT,
                to_state=rules.SUBMITTED,
                actor_id=submitted_by.id,
                created_at=now,
            )
        )
    db.session.commit()
    return a


def signup(act: Activity, user, state: str = rules.CONFIRMED, **fields) -> SignUp:
    now = utcnow()
    s = SignUp(
        activity_id=act.id,
        user_id=user.id,
        state=state,
        created_at=now,
        confirmed_at=now if state == rules.CONFIRMED else None,
        waitlisted_at=now if state == rules.WAITING else None,
        **fields,
    )
    db.session.add(s)
    db.session.commit()
    return s
