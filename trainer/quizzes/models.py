from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.learning.models import ModuleVersion
from trainer.timeutil import utcnow


class QuizAttempt(db.Model):
    """One try at a quiz; the questions and option order served are stored with it."""

    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_version_id: Mapped[int] = mapped_column(sa.ForeignKey("module_version.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(10), default="open")  # open | graded
    served: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)  # [{"q": id, "o": [idx, ...]}]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]
    passed: Mapped[bool | None]

    module_version: Mapped[ModuleVersion] = relationship(lazy="joined")
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", lazy="selectin"
    )


class AttemptAnswer(db.Model):
    __tablename__ = "attempt_answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(sa.String(120))
    chosen: Mapped[list[int]] = mapped_column(sa.JSON)  # option indexes in the version's order
    correct: Mapped[bool | None]  # None for reflections

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class Reflection(db.Model):
    """A free-text answer, read by trainers; editable by her until she is certified."""

    __tablename__ = "reflection"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_slug", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(sa.String(80))
    question_id: Mapped[str] = mapped_column(sa.String(120))
    module_version_id: Mapped[int] = mapped_column(sa.ForeignKey("module_version.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
