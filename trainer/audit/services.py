"""Write audit entries. Callers own the transaction."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from trainer.audit.models import AuditEvent
from trainer.extensions import db
from trainer.timeutil import utcnow

log = logging.getLogger("trainer.audit")


def record(
    action: str,
    *,
    actor_id: int | None,
    target_user_id: int | None = None,
    detail: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    """Add one audit entry and log it as a single JSON line."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        target_user_id=target_user_id,
        detail=detail[:500],
        created_at=now or utcnow(),
    )
    db.session.add(event)
    log.info(
        json.dumps(
            {"action": action, "actor": actor_id, "target": target_user_id, "detail": detail[:200]},
            ensure_ascii=False,
        )
    )
    return event
