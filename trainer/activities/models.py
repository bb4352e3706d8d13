"""Activities, their transitions, sign-ups, waiting-list offers, evaluations, calendar tokens.

Times are naive UTC (see trainer/timeutil.py). The states and who may move an activity
between them are in trainer/activities/rules.py.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.places.models import District, Place
from trainer.timeutil import utcnow
from trainer.workgroups.models import Workgroup


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (
        sa.CheckConstraint(
            "min_volunteers >= 1 AND min_volunteers <= max_volunteers", name="volunteers"
        ),
        sa.CheckConstraint("ends_at > starts_at", name="time_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workgroup_id: Mapped[int] = mapped_column(sa.ForeignKey("workgroup.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(30))  # rules.KINDS
    # Volunteers meet the public in person (always true for some kinds, see rules).
    in_person: Mapped[bool] = mapped_column(default=True)
    district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("district.id", ondelete="SET NULL"), index=True
    )
    place_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("place.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    min_volunteers: Mapped[int]
    max_volunteers: Mapped[int]
    audience: Mapped[str] = mapped_column(sa.String(10))  # members | certified
    state: Mapped[str] = mapped_column(sa.String(20), index=True)
    # Bumped when the time or place changes: the SEQUENCE of the calendar event.
    revision: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    workgroup: Mapped[Workgroup] = relationship(lazy="joined")
    district: Mapped[District | None] = relationship(lazy="joined")
    place: Mapped[Place | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()


class ActivityTransition(db.Model):
    """Who moved an activity from one state to another, when, and why."""

    __tablename__ = "activity_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str | None] = mapped_column(sa.String(20))  # None when created
    to_state: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class SignUp(db.Model):
    """One person and one activity: signed up (confirmed), on the waiting list, or
    cancelled. One row per pair, so a parallel double sign-up cannot store two."""

    __tablename__ = "signup"
    __table_args__ = (sa.UniqueConstraint("activity_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(sa.String(10))  # confirmed | waiting | cancelled
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    waitlisted_at: Mapped[datetime | None]  # her place in the queue
    cancelled_at: Mapped[datetime | None]
    # After the cut-off she cannot cancel herself: her message goes to the lead instead.
    cancel_requested_at: Mapped[datetime | None]
    cancel_message: Mapped[str] = mapped_column(sa.Text, default="")
    attended: Mapped[bool | None]  # marked by the lead afterwards
    reflection: Mapped[str] = mapped_column(sa.Text, default="")
    reflected_at: Mapped[datetime | None]

    activity: Mapped[Activity] = relationship()
    user: Mapped[User] = relationship()


class WaitlistOffer(db.Model):
    """A freed place offered to the first on the waiting list, claimed through a link.
    Only the hash of the link's token is stored. While open and unexpired it holds the
    place."""

    __tablename__ = "waitlist_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("signup.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(sa.String(10))  # open | claimed | expired | withdrawn
    closed_at: Mapped[datetime | None]

    signup: Mapped[SignUp] = relationship()


class Evaluation(db.Model):
    """The lead's evaluation of an activity that was carried out."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activity.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    people_reached: Mapped[int] = mapped_column(default=0)
    target_group: Mapped[str] = mapped_column(sa.String(200), default="")
    went_well: Mapped[str] = mapped_column(sa.Text, default="")
    to_improve: Mapped[str] = mapped_column(sa.Text, default="")
    incidents: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity: Mapped[Activity] = relationship()
    author: Mapped[User | None] = relationship()


class CalendarToken(db.Model):
    """The secret in her personal calendar address. Only its hash is stored; a new address
    replaces the old one, which then stops working."""

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
