"""Districts (kommundelar) and places. Both are editable data, not code: the first
migration with them inserts Botkyrka's six districts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import utcnow

# Botkyrka's six districts (botkyrka.se), in the order the municipality lists them.
BOTKYRKA_DISTRICTS = (
    "Alby",
    "Fittja",
    "Hallunda-Norsborg",
    "Tullinge",
    "Tumba",
    "Vårsta-Grödinge",
)

# Kinds of place; the labels are in trainer/places/labels.py.
PLACE_KINDS = (
    "hogstadieskola",
    "gymnasium",
    "fritidsgard",
    "motesplats-aldre",
    "forening",
    "annat",
)


class District(db.Model):
    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)  # sort order
    archived_at: Mapped[datetime | None]


class Place(db.Model):
    """A school, youth centre, meeting place or association an activity can be held at."""

    __tablename__ = "place"
    __table_args__ = (sa.UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("district.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))  # one of PLACE_KINDS
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    district: Mapped[District] = relationship(lazy="joined")
