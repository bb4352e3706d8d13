"""Time helpers: the database stores naive UTC; people see Europe/Stockholm."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    """Current time as naive UTC, the form every `*_at` column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime) -> datetime:
    """Naive UTC (or aware) to an aware Europe/Stockholm datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(STOCKHOLM)


def from_local(value: datetime) -> datetime:
    """A naive Europe/Stockholm wall-clock time to naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return value.astimezone(UTC).replace(tzinfo=None)
