from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import utcnow


class ModuleVersion(db.Model):
    """One version of a module's content, kept forever so history shows what was read."""

    __tablename__ = "module_version"
    __table_args__ = (
        sa.UniqueConstraint("slug", "content_hash"),
        sa.UniqueConstraint("slug", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(200))
    # The module as loaded, with sanitised HTML: rendered once per version.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SectionRead(db.Model):
    __tablename__ = "section_read"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_version_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_version_id: Mapped[int] = mapped_column(sa.ForeignKey("module_version.id"), index=True)
    section_id: Mapped[str] = mapped_column(sa.String(120))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
