from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

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
