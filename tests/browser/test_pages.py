"""The pages no journey passes yet, through the same checks (title, one h1, language,
no sideways scroll, axe), in Swedish and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, create_account, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_other_pages(live_server, open_page, viewport):
    page = open_page(viewport)
    for path, where in [
        ("/privacy", "Personuppgifter"),
        ("/password/reset", "Glömt lösenord"),
        ("/invite/not-a-token", "Länken fungerar inte"),
        ("/no-such-page", "Sidan finns inte"),
    ]:
        page.goto(path)
        check_page(page, where)

    address = f"alva.{viewport}@example.org"
    create_account(live_server, address, "Alva Admin", "admin")
    login(page, address)
    check_page(page, "Personer")
    page.get_by_role("link", name="Alva Admin").first.click()
    check_page(page, "Alva Admin")
    page.get_by_role("link", name="Logg", exact=True).click()
    check_page(page, "Logg")
    page.get_by_role("link", name="Mitt konto").click()
    check_page(page, "Mitt konto")

    # In English the page says so, and keeps passing the checks.
    page.get_by_role("button", name="In English").click()
    check_page(page, "My account")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="People").click()
    check_page(page, "People")
    page.get_by_role("button", name="På svenska").click()
    check_page(page, "Personer")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
