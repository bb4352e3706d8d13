"""Certification rules as pure functions: readiness, derived status, a volunteer's stage.

Nothing here reads the clock or the database: `now` and the facts are passed in.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

APPROVED = "approved"
REPEAT = "repeat"
DECISIONS = (APPROVED, REPEAT)

# Derived status of one certification.
VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"
REVOKED = "revoked"

# A volunteer's stage, for the matrix filters and the board's pipeline.
IN_TRAINING = "in_training"
READY = "ready"
ASKED_TO_REPEAT = "repeat"
CERTIFIED = "certified"
STAGES = (IN_TRAINING, READY, ASKED_TO_REPEAT, CERTIFIED, EXPIRING, EXPIRED, REVOKED)

EXPIRING_DAYS = 60


def add_months(when: datetime, months: int) -> datetime:
    """The same day `months` later; the 31st becomes the month's last day when needed."""
    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def certification_status(
    *,
    valid_until: datetime,
    revoked_at: datetime | None,
    now: datetime,
    expiring_days: int = EXPIRING_DAYS,
) -> str:
    """valid, expiring (within `expiring_days`), expired or revoked."""
    if revoked_at is not None and revoked_at <= now:
        return REVOKED
    if now >= valid_until:
        return EXPIRED
    if valid_until - now <= timedelta(days=expiring_days):
        return EXPIRING
    return VALID


def is_current(status: str) -> bool:
    """Does a certification with this status make her eligible (workgroups, activities)?"""
    return status in (VALID, EXPIRING)


@dataclass(frozen=True)
class Readiness:
    """What is left before she can be signed off; `ready` when nothing is."""

    missing_modules: tuple[str, ...] = ()  # slugs, in course order
    pledge_missing: bool = False
    already_certified: bool = False

    @property
    def ready(self) -> bool:
        return not self.missing_modules and not self.pledge_missing and not self.already_certified


def readiness(
    *,
    required: Iterable[str],
    passed_current: set[str],
    pledge_accepted: bool,
    current_status: str | None,
) -> Readiness:
    """She is ready when every required module is passed on its current version (since her
    last certification ran out, if one did), the current pledge is accepted, and she holds no
    certification that is still current."""
    return Readiness(
        missing_modules=tuple(s for s in required if s not in passed_current),
        pledge_missing=not pledge_accepted,
        already_certified=current_status is not None and is_current(current_status),
    )


def retake_since(
    *, valid_until: datetime | None, revoked_at: datetime | None, now: datetime
) -> datetime | None:
    """After her last certification expired or was revoked, only quizzes passed after that
    moment count towards a new sign-off. None while it is current, or if she has none."""
    if valid_until is None:
        return None
    if revoked_at is not None and revoked_at <= now:
        return revoked_at
    if now >= valid_until:
        return valid_until
    return None


@dataclass(frozen=True)
class StageFacts:
    ready: bool
    cert_status: str | None = None  # status of her latest certification, if any
    # Her latest decision is "behöver repetera", newer than her latest certification, and
    # she has passed no quiz since.
    repeat_pending: bool = False


def repeat_pending(
    *,
    last_decision: str | None,
    decided_at: datetime | None,
    last_issued_at: datetime | None,
    last_pass_at: datetime | None,
) -> bool:
    if last_decision != REPEAT or decided_at is None:
        return False
    if last_issued_at is not None and last_issued_at > decided_at:
        return False
    return last_pass_at is None or last_pass_at <= decided_at


def stage(f: StageFacts) -> str:
    """One word for where she stands. A current certification wins; then a pending "behöver
    repetera"; then readiness (also for a renewal); then an expired or revoked one."""
    if f.cert_status in (VALID, EXPIRING):
        return CERTIFIED if f.cert_status == VALID else EXPIRING
    if f.repeat_pending:
        return ASKED_TO_REPEAT
    if f.ready:
        return READY
    if f.cert_status in (EXPIRED, REVOKED):
        return f.cert_status
    return IN_TRAINING
