"""The trainers' and the board's pages also work on a phone: no sideways scrolling of the
page itself, and axe finds nothing serious (wide tables scroll inside a focusable region)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, create_account, login, pass_modules

pytestmark = pytest.mark.browser


def test_staff_pages_at_phone_size(live_server, open_page):
    create_account(live_server, "siri.phone@example.org", "Siri Styrelse", "board", "trainer")
    create_account(live_server, "pia.phone@example.org", "Pia Provar", "volunteer")
    catalog = live_server.app.extensions["trainer.catalog"]
    first = catalog.modules[0]
    pass_modules(live_server, "pia.phone@example.org", [first.slug])
    with live_server.services():
        from trainer.auth import services as auth

        pia_id = auth.get_user_by_email("pia.phone@example.org").id

    page = open_page("phone")
    login(page, "siri.phone@example.org")
    check_page(page, "Att göra för utbildare")
    for path, title in [
        ("/trainer/matrix", "Översikt över volontärerna"),
        (f"/trainer/volunteers/{pia_id}", "Pia Provar"),
        (f"/trainer/questions/{first.slug}", f"Frågestatistik: {first.title}"),
        ("/board", "Styrelsens översikt"),
        ("/board/reach", "Räckvidd"),
        ("/board/places", "Platser och kommundelar"),
        ("/board/approvals", "Att godkänna"),
        ("/board/evaluations", "Utvärderingar"),
        ("/verify", "Kontroll av intyg"),
    ]:
        page.goto(path)
        check_page(page, title)
