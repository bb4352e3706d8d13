"""Journeys 4 and 5 of issue #8: the board places a certified volunteer in a workgroup; a
lead drafts an activity, the board approves it, she signs up and finds it in her calendar
feed; after the date the lead writes the evaluation and the board reads it. Journey 6's
last refusal: signing up for a full activity."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.helpers import check_page, create_account, login, shot

pytestmark = pytest.mark.browser


def certify(server, address):
    """A certification issued by a trainer, straight through the service layer."""
    from trainer.auth import services as auth
    from trainer.certification import services as certification
    from trainer.demo import complete_module

    with server.services():
        user = auth.get_user_by_email(address)
        trainer = auth.get_user_by_email("tove.wg@example.org")
        for m in server.app.extensions["trainer.catalog"].modules:
            complete_module(user, m.slug, _now())
        certification.accept_pledge(user, certification.current_pledge().version)
        certification.decide(trainer, user.id, "approved")


def _now():
    from trainer.timeutil import utcnow

    return utcnow()


def make_lead(server, address, slug):
    from trainer.auth import services as auth
    from trainer.workgroups import services as groups
    from trainer.workgroups.models import Workgroup

    with server.services():
        import sqlalchemy as sa

        from trainer.extensions import db

        board = auth.get_user_by_email("siri.wg@example.org")
        group = db.session.scalar(sa.select(Workgroup).where(Workgroup.slug == slug))
        groups.place_member(board, group.id, auth.get_user_by_email(address).id, "lead")


def move_to_yesterday(server, title):
    import sqlalchemy as sa

    from trainer.activities.models import Activity
    from trainer.extensions import db

    with server.services():
        a = db.session.scalar(sa.select(Activity).where(Activity.title == title))
        length = a.ends_at - a.starts_at
        a.starts_at = _now() - timedelta(days=1)
        a.ends_at = a.starts_at + length


def test_board_places_her_and_an_activity_runs_its_course(live_server, open_page):
    create_account(live_server, "tove.wg@example.org", "Tove Utbildare", "trainer")
    create_account(live_server, "siri.wg@example.org", "Siri Styrelse", "board")
    create_account(live_server, "lina.wg@example.org", "Lina Ledare", "volunteer")
    create_account(live_server, "vera.wg@example.org", "Vera Volontär", "volunteer")
    certify(live_server, "lina.wg@example.org")
    certify(live_server, "vera.wg@example.org")
    make_lead(live_server, "lina.wg@example.org", "tantjour")

    # 4. The board sees Vera under "ready to be assigned" and places her in Tantjour.
    siri = open_page("desktop")
    login(siri, "siri.wg@example.org")
    check_page(siri, "Styrelsens översikt")
    shot(siri, "board-overview")
    card = (
        siri.locator("#ready-h")
        .locator("..")
        .get_by_role("listitem")
        .filter(has=siri.get_by_role("heading", name="Vera Volontär"))
    )
    card.get_by_label("Arbetsgrupp").select_option(label="Tantjour")
    card.get_by_role("button", name="Placera").click()
    expect(siri.get_by_text("Volontären är placerad i arbetsgruppen.")).to_be_visible()
    check_page(siri, "Styrelsens översikt")
    expect(siri.locator("#ready-h").locator("..")).not_to_contain_text("Vera Volontär")

    vera = open_page("phone")
    login(vera, "vera.wg@example.org")
    check_page(vera, "Min utbildning")
    vera.goto("/workgroups")
    check_page(vera, "Arbetsgrupper")
    vera.get_by_role("link", name="Tantjour").first.click()
    check_page(vera, "Tantjour")
    expect(vera.locator("main")).to_contain_text("Lina")

    # 5. The lead drafts an activity and submits it.
    lina = open_page("phone")
    login(lina, "lina.wg@example.org")
    check_page(lina, "Min utbildning")
    lina.goto("/activities/new")
    check_page(lina, "Planera en aktivitet")
    title = "Tantjour-fika på Träffpunkten"
    tomorrow = (_now() + timedelta(days=2)).date().isoformat()
    lina.get_by_label("Rubrik").fill(title)
    lina.get_by_label("Beskrivning").fill("Vi bjuder på fika och berättar om jouren.")
    lina.get_by_label("Typ av aktivitet").select_option(label="Tantjour-träff")
    lina.get_by_label("Kommundel").select_option(label="Alby")
    lina.get_by_label("Datum").fill(tomorrow)
    lina.get_by_label("Börjar").fill("13:00")
    lina.get_by_label("Slutar").fill("15:00")
    lina.get_by_label("Minst antal volontärer").fill("2")
    lina.get_by_label("Högst antal volontärer").fill("2")
    lina.get_by_label("Alla certifierade volontärer").check()
    lina.get_by_role("button", name="Spara").click()
    check_page(lina, title)
    lina.get_by_role("button", name="Skicka till styrelsen").click()
    expect(lina.get_by_text("Väntar på styrelsens beslut").first).to_be_visible()
    check_page(lina, title)

    # The board approves it from its overview.
    siri.goto("/board")
    check_page(siri, "Styrelsens översikt")
    item = siri.locator("#dec-h").locator("..").get_by_role("listitem").filter(has_text=title)
    item.get_by_label("Godkänn", exact=True).check()
    item.get_by_role("button", name="Spara beslutet").click()
    expect(siri.get_by_text("Aktiviteten är godkänd.")).to_be_visible()
    check_page(siri, "Styrelsens översikt")

    # She signs up, and it appears in her calendar feed.
    vera.goto("/activities")
    check_page(vera, "Aktiviteter")
    vera.get_by_role("link", name=title).first.click()
    check_page(vera, title)
    activity_path = vera.url.replace(live_server.url, "")
    vera.get_by_role("button", name="Anmäl mig").click()
    expect(vera.get_by_text("Du är anmäld. En bekräftelse kommer med e-post.")).to_be_visible()
    check_page(vera, title)
    vera.goto("/calendar")
    check_page(vera, "Kalender")
    vera.get_by_role("button", name="Skapa kalenderadress").click()
    address = vera.locator("#feed-address")
    expect(address).to_be_visible()
    check_page(vera, "Kalender")
    feed_url = address.input_value()
    assert "vera" not in feed_url.lower() and re.search(r"/calendar/[^/]+\.ics$", feed_url)
    anonymous = open_page("desktop").context.request  # the address alone opens the feed
    response = anonymous.get(feed_url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.body()).walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == [title]

    # A full activity: the lead signs up for the last place, and a third person is refused.
    lina.reload()
    check_page(lina, title)
    lina.get_by_role("button", name="Anmäl mig").click()
    expect(lina.get_by_text("Du är anmäld. En bekräftelse kommer med e-post.")).to_be_visible()
    check_page(lina, title)
    create_account(live_server, "mona.wg@example.org", "Mona Medlem", "volunteer")
    certify(live_server, "mona.wg@example.org")
    mona = open_page("phone")
    login(mona, "mona.wg@example.org")
    check_page(mona, "Min utbildning")
    mona.goto(activity_path)
    check_page(mona, title)
    expect(mona.get_by_role("button", name="Anmäl mig")).to_have_count(0)
    expect(mona.get_by_role("button", name="Ställ mig på väntelistan")).to_be_visible()

    # After the date the lead marks who came and writes the evaluation.
    move_to_yesterday(live_server, title)
    lina.reload()
    check_page(lina, title)
    lina.get_by_role("link", name="Markera vilka som kom").click()
    check_page(lina, "Vilka kom?")
    lina.get_by_role("button", name="Spara").click()
    expect(lina.get_by_text("Närvaron är sparad.", exact=False)).to_be_visible()
    check_page(lina, "Utvärdering")  # saving attendance leads on to the evaluation
    lina.get_by_label("Hur många nådde ni?").fill("14")
    lina.get_by_label("Målgrupp").fill("Besökare på träffpunkten")
    lina.get_by_label("Vad fungerade bra?").fill("Många frågor om Kvinnofridslinjen.")
    lina.get_by_role("button", name="Spara utvärderingen").click()
    expect(lina.get_by_text("Utvärderingen är sparad. Tack!")).to_be_visible()
    check_page(lina, title)

    # The board reads it.
    siri.goto("/board/evaluations")
    check_page(siri, "Utvärderingar")
    expect(siri.locator("main")).to_contain_text(title)
    expect(siri.locator("main")).to_contain_text("Många frågor om Kvinnofridslinjen.")
    siri.goto("/board/reach")
    check_page(siri, "Räckvidd")
    shot(siri, "board-reach")
    expect(siri.locator("main")).to_contain_text("nått 14 personer")
