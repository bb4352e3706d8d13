"""The personal calendar feed and the per-activity .ics, parsed back with icalendar."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.factories import activity, certify, group, place, signup
from trainer.activities import rules
from trainer.activities.models import CalendarToken
from trainer.extensions import db


@pytest.fixture
def vol(app, make_user):
    v = make_user(name="Vera Volontär", email="vera@example.org")
    certify(v)
    return v


def _new_address(client) -> str:
    page = client.post("/calendar/new").get_data(as_text=True)
    m = re.search(r'value="(https?://[^"]+/calendar/[^"]+\.ics)"', page)
    assert m, page
    return m.group(1)


def _path(address: str) -> str:
    return address.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _events(body: bytes):
    cal = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_feed_holds_her_activities_with_stable_uids(app, client, vol, login, make_user):
    g, lead = group(), make_user()
    p = place("Tumba bibliotek", "Tumba")
    mine = activity(g, lead, title="Informationsbord")
    mine.place_id = p.id
    cancelled = activity(g, lead, title="Inställd träff", state=rules.CANCELLED)
    other = activity(g, lead, title="Inte min")
    waiting = activity(g, lead, title="Väntar", max_volunteers=1, min_volunteers=1)
    gone = activity(g, lead, title="Avanmäld")
    signup(mine, vol), signup(cancelled, vol)
    signup(waiting, vol, state=rules.WAITING), signup(gone, vol, state=rules.WITHDRAWN)
    assert other
    login(vol)
    address = _new_address(client)
    # Nothing but a random token in the address: no name, no id.
    assert re.fullmatch(r"/calendar/[A-Za-z0-9_-]{43}\.ics", _path(address))
    feed = app.test_client().get(_path(address))  # calendar apps have no session
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert feed.headers["Cache-Control"] == "no-store"
    events = _events(feed.data)
    assert {str(e["SUMMARY"]) for e in events.values()} == {"Informationsbord", "Inställd träff"}
    ev = events[f"activity-{mine.id}@127.0.0.1"]
    assert ev["DTSTART"].dt == mine.starts_at.replace(tzinfo=UTC, microsecond=0)
    assert ev["DTEND"].dt == mine.ends_at.replace(tzinfo=UTC, microsecond=0)
    assert str(ev["LOCATION"]) == "Tumba bibliotek, Tumba"
    assert str(ev["STATUS"]) == "CONFIRMED" and int(ev["SEQUENCE"]) == 0
    assert f"/activities/{mine.id}" in str(ev["URL"])
    assert str(events[f"activity-{cancelled.id}@127.0.0.1"]["STATUS"]) == "CANCELLED"
    # The single-activity file has the same UID, so calendars do not show it twice.
    single = _events(client.get(f"/activities/{mine.id}.ics").data)
    assert list(single) == [f"activity-{mine.id}@127.0.0.1"]


def test_only_a_hash_is_stored_and_a_new_address_revokes_the_old(app, client, vol, login):
    login(vol)
    first = _new_address(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    stored = db.session.scalar(sa.select(CalendarToken.token_hash))
    assert stored != token and len(stored) == 64
    assert token not in client.get("/calendar").get_data(as_text=True)  # shown once only
    second = _new_address(client)
    anon = app.test_client()
    assert anon.get(_path(first)).status_code == 404
    assert anon.get(_path(second)).status_code == 200
    client.post("/calendar/revoke")
    assert anon.get(_path(second)).status_code == 404
    assert anon.get("/calendar/not-a-token.ics").status_code == 404


def test_a_deactivated_account_has_no_feed(app, client, vol, login):
    login(vol)
    address = _new_address(client)
    vol.active = False
    db.session.commit()
    assert app.test_client().get(_path(address)).status_code == 404


def test_a_new_time_raises_the_sequence_and_marks_it_tentative(app, client, vol, login, make_user):
    from trainer.activities import services

    lead = make_user("board")
    a = activity(group(), lead, title="Flyttad")
    signup(a, vol)
    a.revision, a.state = 1, rules.SUBMITTED
    db.session.commit()
    login(vol)
    address = _new_address(client)
    ev = _events(app.test_client().get(_path(address)).data)[f"activity-{a.id}@127.0.0.1"]
    assert int(ev["SEQUENCE"]) == 1 and str(ev["STATUS"]) == "TENTATIVE"
    assert services  # the time change itself is tested in test_services


def test_feed_uses_constant_queries(app, client, vol, login, make_user, count_queries):
    lead = make_user()
    signup(activity(group(), lead, title="Ett"), vol)
    login(vol)
    path = _path(_new_address(client))
    anon = app.test_client()
    anon.get(path)
    with count_queries() as few:
        anon.get(path)
    for i in range(15):
        signup(activity(group(), lead, title=f"A{i}", starts_in=timedelta(days=i + 1)), vol)
    with count_queries() as many:
        body = anon.get(path).data
    assert len(_events(body)) == 16
    assert few.count == many.count
