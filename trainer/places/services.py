"""Districts and places: editable data the board keeps. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from trainer.audit.services import record
from trainer.auth.models import User
from trainer.errors import Conflict, NotAllowed, NotFound, TrainerError
from trainer.extensions import db
from trainer.places.models import BOTKYRKA_DISTRICTS, PLACE_KINDS, District, Place
from trainer.timeutil import utcnow


def ensure_districts() -> None:
    """Insert Botkyrka's districts that are missing (where tables come from create_all)."""
    have = set(db.session.scalars(sa.select(District.name)))
    for n, name in enumerate(BOTKYRKA_DISTRICTS, start=1):
        if name not in have:
            db.session.add(District(name=name, position=n))
    db.session.flush()


def districts(*, include_archived: bool = False) -> list[District]:
    q = sa.select(District).order_by(District.position, District.name)
    if not include_archived:
        q = q.where(District.archived_at.is_(None))
    return list(db.session.scalars(q))


def places(*, include_archived: bool = False) -> list[Place]:
    """Places with their district (one query), by district then name."""
    q = sa.select(Place).join(District).order_by(District.position, Place.name)
    if not include_archived:
        q = q.where(Place.archived_at.is_(None))
    return list(db.session.scalars(q))


def get_district(district_id: int) -> District:
    d = db.session.get(District, district_id)
    if d is None:
        raise NotFound(_("Kommundelen finns inte."))
    return d


def get_place(place_id: int) -> Place:
    p = db.session.get(Place, place_id)
    if p is None:
        raise NotFound(_("Platsen finns inte."))
    return p


def _board(actor: User) -> None:
    if not actor.has_role("board", "admin"):
        raise NotAllowed(_("Bara styrelsen kan ändra platsregistret."))


def _name(raw: str, limit: int) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise TrainerError(_("Skriv ett namn."))
    if len(name) > limit:
        raise TrainerError(_("Namnet får ha högst %(n)d tecken.", n=limit))
    return name


def add_district(actor: User, name: str) -> District:
    _board(actor)
    name = _name(name, 80)
    if db.session.scalar(sa.select(District.id).where(District.name == name)):
        raise Conflict(_("Kommundelen finns redan."))
    last = db.session.scalar(sa.select(sa.func.max(District.position))) or 0
    d = District(name=name, position=last + 1)
    db.session.add(d)
    db.session.flush()
    record("district.created", actor_id=actor.id, detail=name)
    return d


def add_place(actor: User, name: str, district_id: int, kind: str) -> Place:
    _board(actor)
    name = _name(name, 120)
    if kind not in PLACE_KINDS:
        raise TrainerError(_("Välj vad det är för plats."))
    district = get_district(district_id)
    if db.session.scalar(
        sa.select(Place.id).where(Place.district_id == district.id, Place.name == name)
    ):
        raise Conflict(_("Platsen finns redan i %(d)s.", d=district.name))
    p = Place(name=name, district_id=district.id, kind=kind)
    db.session.add(p)
    db.session.flush()
    record("place.created", actor_id=actor.id, detail=f"{name} ({district.name})")
    return p


def set_place_archived(
    actor: User, place_id: int, archived: bool, *, now: datetime | None = None
) -> Place:
    """An archived place is no longer offered for new activities; old ones keep it."""
    _board(actor)
    p = get_place(place_id)
    p.archived_at = (now or utcnow()) if archived else None
    record("place.archived" if archived else "place.restored", actor_id=actor.id, detail=p.name)
    db.session.flush()
    return p


def update_place(actor: User, place_id: int, name: str, district_id: int, kind: str) -> Place:
    """Rename a place, move it to another district or change its kind. Activities that
    named it keep naming it."""
    _board(actor)
    p = get_place(place_id)
    name = _name(name, 120)
    if kind not in PLACE_KINDS:
        raise TrainerError(_("Välj vad det är för plats."))
    district = get_district(district_id)
    clash = db.session.scalar(
        sa.select(Place.id).where(
            Place.district_id == district.id, Place.name == name, Place.id != p.id
        )
    )
    if clash:
        raise Conflict(_("Platsen finns redan i %(d)s.", d=district.name))
    before = f"{p.name} ({p.district.name}, {p.kind})"
    p.name, p.district_id, p.kind = name, district.id, kind
    db.session.flush()
    record(
        "place.changed", actor_id=actor.id, detail=f"{before} -> {name} ({district.name}, {kind})"
    )
    return p


def update_district(
    actor: User, district_id: int, name: str, archived: bool, *, now=None
) -> District:
    """Rename a district, or archive it (no longer offered for new activities and places;
    the reach page leaves it out)."""
    _board(actor)
    d = get_district(district_id)
    name = _name(name, 80)
    if db.session.scalar(sa.select(District.id).where(District.name == name, District.id != d.id)):
        raise Conflict(_("Kommundelen finns redan."))
    before = d.name
    d.name = name
    d.archived_at = (d.archived_at or now or utcnow()) if archived else None
    db.session.flush()
    record(
        "district.changed", actor_id=actor.id, detail=f"{before} -> {name}; arkiverad={archived}"
    )
    return d
