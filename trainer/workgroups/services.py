"""Workgroups. The plan's five groups are inserted by the first migration."""

from __future__ import annotations

import sqlalchemy as sa

from trainer.extensions import db
from trainer.workgroups.models import PLAN_WORKGROUPS, Workgroup


def ensure_plan_workgroups() -> None:
    """Insert the plan's groups that are missing (used where tables come from create_all)."""
    have = set(db.session.scalars(sa.select(Workgroup.slug)))
    for slug, name, purpose in PLAN_WORKGROUPS:
        if slug not in have:
            db.session.add(Workgroup(slug=slug, name=name, purpose=purpose))
    db.session.flush()
