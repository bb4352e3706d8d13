"""iCalendar: a file per activity and each person's feed behind a secret, revocable address.

The address holds a random token and no name; only the token's hash is stored. Every event
has the same UID in the feed and in the single-activity file, so calendars do not show it
twice, and its SEQUENCE grows when the time or place changes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, url_for
from icalendar import Calendar, Event

from trainer.activities import rules
from trainer.activities.models import Activity, CalendarToken, SignUp
from trainer.auth.models import User
from trainer.extensions import db
from trainer.timeutil import utcnow

FEED_DAYS_BACK = 90
STATUS = {
    rules.APPROVED: "CONFIRMED",
    rules.CARRIED_OUT: "CONFIRMED",
    rules.EVALUATED: "CONFIRMED",
    rules.SUBMITTED: "TENTATIVE",  # a new time or place waits for the board
    rules.CANCELLED: "CANCELLED",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def uid(activity: Activity) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "trainer"
    return f"activity-{activity.id}@{host}"


def _event(activity: Activity, base_url: str) -> Event:
    link = base_url + url_for("activities.show", activity_id=activity.id)
    ev = Event()
    ev.add("uid", uid(activity))
    ev.add("dtstamp", _utc(activity.updated_at))
    ev.add("sequence", activity.revision)
    ev.add("dtstart", _utc(activity.starts_at))
    ev.add("dtend", _utc(activity.ends_at))
    ev.add("summary", activity.title)
    ev.add("description", f"{activity.description}\n\n{link}".strip())
    where = [x.name for x in (activity.place, activity.district) if x is not None]
    if where:
        ev.add("location", ", ".join(where))
    ev.add("url", link)
    ev.add("status", STATUS.get(activity.state, "TENTATIVE"))
    return ev


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Botkyrka Kvinno- och Tjejjour//trainer//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def activity_file(activity: Activity) -> bytes:
    cal = _calendar(activity.title)
    cal.add_component(_event(activity, current_app.config["BASE_URL"].rstrip("/")))
    return cal.to_ical()


def feed(user: User, now: datetime, name: str) -> bytes:
    """Her activities (signed up, not withdrawn) from FEED_DAYS_BACK ago on. One query."""
    rows = db.session.scalars(
        sa.select(Activity)
        .join(SignUp, SignUp.activity_id == Activity.id)
        .where(
            SignUp.user_id == user.id,
            SignUp.state == rules.CONFIRMED,
            Activity.state.in_(list(STATUS)),
            Activity.starts_at >= now - timedelta(days=FEED_DAYS_BACK),
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    cal = _calendar(name)
    base = current_app.config["BASE_URL"].rstrip("/")
    for activity in rows:
        cal.add_component(_event(activity, base))
    return cal.to_ical()


def token_of(user: User) -> CalendarToken | None:
    return db.session.scalar(sa.select(CalendarToken).where(CalendarToken.user_id == user.id))


def new_token(user: User, *, now: datetime | None = None) -> str:
    """A new secret address for her feed; the old one stops working. The token is returned
    once and never stored."""
    token = secrets.token_urlsafe(32)
    row = token_of(user)
    if row is None:
        row = CalendarToken(user_id=user.id)
        db.session.add(row)
    row.token_hash, row.created_at = _hash(token), now or utcnow()
    db.session.flush()
    return token


def revoke(user: User) -> None:
    row = token_of(user)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def user_for(token: str) -> User | None:
    """The active person whose feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(User)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token_hash == _hash(token), User.active.is_(True))
    )
