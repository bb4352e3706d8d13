"""The confidentiality pledge: which version is current, and who accepted it when."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from trainer.auth.models import User
from trainer.certification.models import PledgeAcceptance
from trainer.content.schema import Pledge
from trainer.errors import NotFound, TrainerError
from trainer.extensions import db
from trainer.learning.services import catalog
from trainer.timeutil import utcnow


def current_pledge() -> Pledge:
    pledge = catalog().pledge
    if pledge is None:
        raise NotFound(_("Tystnadslöftet finns inte."))
    return pledge


def accepted_current(user: User) -> PledgeAcceptance | None:
    """Her acceptance of the current version, or None."""
    return db.session.scalar(
        sa.select(PledgeAcceptance).where(
            PledgeAcceptance.user_id == user.id,
            PledgeAcceptance.version == current_pledge().version,
        )
    )


def accept_pledge(user: User, version: int, *, now: datetime | None = None) -> PledgeAcceptance:
    """Record acceptance of the version she was shown; an older version is refused."""
    pledge = current_pledge()
    if version != pledge.version:
        raise TrainerError(_("Tystnadslöftet har ändrats. Läs den nya versionen och godkänn igen."))
    existing = accepted_current(user)
    if existing:
        return existing
    row = PledgeAcceptance(user_id=user.id, version=version, accepted_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # accepted twice at once
        return accepted_current(user)
    return row
