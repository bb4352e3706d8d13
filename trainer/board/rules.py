"""The board's overview as pure functions: pipeline stage, waiting times, reach.

Plain values in, plain values out: no Flask, no database, `now` passed in.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from datetime import datetime

from trainer.certification import rules as cert_rules

INTEREST = "interest"
INVITED = "invited"
IN_TRAINING = "in_training"
TRAINED = "trained"  # training done, waiting for sign-off
CERTIFIED = "certified"
IN_GROUP = "in_group"
PIPELINE = (INTEREST, INVITED, IN_TRAINING, TRAINED, CERTIFIED, IN_GROUP)


def pipeline_stage(
    *, has_account: bool, started: bool, cert_stage: str | None, in_group: bool
) -> str:
    """Where one person is in the pipeline, furthest stage first."""
    if not has_account:
        return INTEREST
    if cert_stage in (cert_rules.CERTIFIED, cert_rules.EXPIRING):
        return IN_GROUP if in_group else CERTIFIED
    if cert_stage == cert_rules.READY:
        return TRAINED
    if started or cert_stage in (
        cert_rules.ASKED_TO_REPEAT,
        cert_rules.EXPIRED,
        cert_rules.REVOKED,
    ):
        return IN_TRAINING
    return INVITED


def median_days(pairs: Iterable[tuple[datetime, datetime]]) -> float | None:
    """Median whole days from the first to the second moment of each pair; None if none."""
    days = [(end - start).days for start, end in pairs if end >= start]
    return statistics.median(days) if days else None


def month_key(when: datetime) -> str:
    return when.strftime("%Y-%m")


def months_back(now: datetime, months: int) -> datetime:
    return cert_rules.add_months(now, -months)


def quiet_districts(
    districts: Iterable[str], last_activity: Mapping[str, datetime], now: datetime, months: int = 6
) -> list[str]:
    """Districts with no activity carried out in the last `months` months."""
    since = months_back(now, months)
    return [d for d in districts if last_activity.get(d) is None or last_activity[d] < since]


def waited_days(since: datetime, now: datetime) -> int:
    return max(0, (now - since).days)
