"""Module states as pure functions: what a volunteer may do next, and why not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

LOCKED = "locked"
NOT_STARTED = "not_started"
READING = "reading"
QUIZ_OPEN = "quiz_open"
PASSED = "passed"


@dataclass(frozen=True)
class ModuleStatus:
    slug: str
    title: str
    summary: str
    estimated_minutes: int
    state: str
    sections_read: int
    sections_total: int
    missing: tuple[str, ...] = ()  # titles of required modules not yet passed
    passed_at: datetime | None = None
    best_score: float | None = None
    next_section: str | None = None

    @property
    def percent(self) -> int:
        if self.state == PASSED:
            return 100
        return round(100 * self.sections_read / self.sections_total) if self.sections_total else 0


def module_state(
    *,
    requires: Iterable[str],
    passed: set[str],
    has_pass: bool,
    sections_read: int,
    sections_total: int,
) -> str:
    """The state of one module for one person."""
    if has_pass:
        return PASSED
    if any(r not in passed for r in requires):
        return LOCKED
    if sections_read == 0:
        return NOT_STARTED
    if sections_read < sections_total:
        return READING
    return QUIZ_OPEN


def next_unread(section_ids: Iterable[str], read: set[str]) -> str | None:
    return next((s for s in section_ids if s not in read), None)


def retake_wait(last_failed_at: datetime | None, cooldown_minutes: int, now: datetime) -> timedelta:
    """How long until another attempt may start (zero when it may start now)."""
    if last_failed_at is None or cooldown_minutes <= 0:
        return timedelta(0)
    ready = last_failed_at + timedelta(minutes=cooldown_minutes)
    return max(ready - now, timedelta(0))


def resume_target(
    statuses: Iterable[ModuleStatus], last_touched: Mapping[str, datetime]
) -> ModuleStatus | None:
    """Where "fortsätt där du slutade" leads: the most recently touched unfinished module,
    else the first module she can start."""
    open_ = [s for s in statuses if s.state in (READING, QUIZ_OPEN, NOT_STARTED)]
    touched = [s for s in open_ if s.slug in last_touched]
    if touched:
        return max(touched, key=lambda s: last_touched[s.slug])
    return open_[0] if open_ else None
