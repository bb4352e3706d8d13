"""A person's own data, all of it, as JSON (GDPR art. 15 and 20). Driven by the registry,
so a new table or column cannot be forgotten."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from trainer.audit import services as audit
from trainer.auth.models import User
from trainer.extensions import db
from trainer.privacy.registry import REGISTRY, Table
from trainer.timeutil import utcnow


def _rows_of(table: sa.Table, spec: Table, user: User) -> list[dict[str, Any]]:
    cols = [table.c[name] for name, kind in spec.columns().items() if kind == "personal"]
    if not cols:
        return []
    if spec.login_key:
        where = table.c.key == f"acct:{user.email}"
    elif spec.via:
        column, parent_name = spec.via
        parent = db.metadata.tables[parent_name]
        parent_owner = REGISTRY[parent_name].owner
        where = table.c[column].in_(sa.select(parent.c.id).where(parent.c[parent_owner] == user.id))
    elif spec.owner:
        where = sa.or_(*(table.c[c] == user.id for c in spec.owner.split("|")))
    else:
        return []
    order = [table.c.id] if "id" in table.c else []
    result = db.session.execute(sa.select(*cols).where(where).order_by(*order))
    return [dict(row._mapping) for row in result]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_for(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """Every personal row that belongs to her, by table; secrets left out. The export is
    itself written to the audit log."""
    now = now or utcnow()
    data: dict[str, Any] = {"exported_at": now.isoformat() + "Z", "tables": {}}
    for name, spec in REGISTRY.items():
        rows = _rows_of(db.metadata.tables[name], spec, user)
        if rows:
            data["tables"][name] = [{k: _plain(v) for k, v in r.items()} for r in rows]
    audit.record("privacy.export", actor_id=user.id, target_user_id=user.id, now=now)
    return data
