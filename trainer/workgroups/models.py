from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.timeutil import utcnow

# The five groups of the plan (verksamhetsplan 2025). The initial migration inserts them.
PLAN_WORKGROUPS = (
    (
        "utatriktad-verksamhet",
        "Utåtriktad verksamhet",
        "Se till att alla som bor och arbetar i Botkyrka känner till jouren, höja kunskapen om "
        "våld i alla dess former och skapa opinion mot våldet, i kommunens alla delar.",
    ),
    (
        "rekrytering-och-utbildning",
        "Rekrytering och utbildning av volontärer",
        "Hitta fler volontärer och ge dem den utbildning de behöver för att göra ett bra arbete.",
    ),
    (
        "skolor-och-fritid",
        "Information på skolor och fritidsverksamheter",
        "Informera unga om våld i nära relationer på skolor och fritidsgårdar, för att förebygga "
        "hot och våld.",
    ),
    (
        "tantjour",
        "Tantjour",
        "Informera äldre kvinnor om våld i nära relationer, på de platser där äldre träffas.",
    ),
    (
        "sociala-medier",
        "Sociala medier",
        "Sprida kunskap om jouren och om våld i nära relationer i jourens kanaler i sociala medier.",
    ),
)


class Workgroup(db.Model):
    __tablename__ = "workgroup"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]


class Membership(db.Model):
    """One person in one group. A single row per (group, person): asking again after a
    decline, or coming back after leaving, moves the same row back to "requested"."""

    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("workgroup_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workgroup_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workgroup.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")  # lead | member
    state: Mapped[str] = mapped_column(sa.String(10))  # requested | active | declined | left
    requested_at: Mapped[datetime | None]
    joined_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]  # declined or left
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    workgroup: Mapped[Workgroup] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
