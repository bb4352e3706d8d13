from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.timeutil import utcnow


class PledgeAcceptance(db.Model):
    """She accepted version N of the pledge at this time; a new version asks again."""

    __tablename__ = "pledge_acceptance"
    __table_args__ = (sa.UniqueConstraint("user_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignOffDecision(db.Model):
    """A trainer's decision on a volunteer: "approved" (godkänd) or "repeat" (behöver repetera).

    Kept forever: the volunteer's record shows every decision with its comment.
    """

    __tablename__ = "signoff_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(sa.String(10))  # approved | repeat
    comment: Mapped[str] = mapped_column(sa.Text, default="")  # what to repeat
    note: Mapped[str] = mapped_column(sa.Text, default="")  # e.g. date of the intro meeting
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Certification(db.Model):
    """Issued when a trainer approves a ready volunteer. Its status (valid, expiring,
    expired, revoked) is derived from the dates, never stored."""

    __tablename__ = "certification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("signoff_decision.id", ondelete="SET NULL")
    )
    trainer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime]
    valid_until: Mapped[datetime] = mapped_column(index=True)
    # {slug: {"version": n, "title": "..."}} for every module the certification covers.
    modules: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    pledge_version: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)  # random, for /verify
    show_name: Mapped[bool] = mapped_column(default=False)  # her choice, for /verify
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(sa.Text, default="")

    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id], lazy="joined")


class TrainerNote(db.Model):
    """A trainer's note on a volunteer, seen only by staff."""

    __tablename__ = "trainer_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
