from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import utcnow
from trainer.workgroups.models import Workgroup

applicant_interest = sa.Table(
    "applicant_interest",
    db.metadata,
    sa.Column("applicant_id", sa.ForeignKey("applicant.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("workgroup_id", sa.ForeignKey("workgroup.id", ondelete="CASCADE"), primary_key=True),
)


class Applicant(db.Model):
    """Someone who registered interest. Declining deletes the row; inviting links a user."""

    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    heard_from: Mapped[str] = mapped_column(sa.String(200), default="")
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    consent_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    invited_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )

    interests: Mapped[list[Workgroup]] = relationship(secondary=applicant_interest, lazy="selectin")
