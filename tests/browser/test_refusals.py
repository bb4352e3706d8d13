"""Journey 6 of issue #8 (first part): what a volunteer sees when something is not for her."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    check_page,
    create_account,
    login,
    module_content,
    pass_modules,
)

pytestmark = pytest.mark.browser

FORBIDDEN = "Du har inte behörighet till sidan"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_volunteer_is_refused_clearly(live_server, open_page, viewport):
    address = f"vera.refused.{viewport}@example.org"
    create_account(live_server, address, "Vera Volontär", "volunteer")
    page = open_page(viewport)
    login(page, address)
    check_page(page, "Min utbildning")

    # Staff pages: a Swedish 403 page that says why and where to turn.
    for path in ("/applicants", "/admin/users", "/admin/audit"):
        response = page.goto(path)
        assert response.status == 403, path
        check_page(page, FORBIDDEN)
        expect(page.locator("h1")).to_have_text(FORBIDDEN)
        expect(page.get_by_text("Sidan är till för andra roller än din.")).to_be_visible()
        expect(page.get_by_role("link", name="Till startsidan")).to_be_visible()
    # The menu does not offer them either.
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Anmälningar")).to_have_count(0)
    expect(nav.get_by_role("link", name="Personer")).to_have_count(0)

    # A module whose required module is not passed: its quiz and its pages are locked.
    intro = module_content(live_server, "introduktion")
    second = module_content(live_server, "normaliseringsprocessen")
    response = page.goto(f"/modules/{second.slug}/quiz")
    assert response.status == 403
    check_page(page, f"Quizet är inte öppet – {second.title}")
    expect(page.get_by_text(f"Modulen öppnas när du klarat {intro.title}.")).to_be_visible()
    response = page.goto(f"/modules/{second.slug}")
    assert response.status == 403
    check_page(page, FORBIDDEN)
    expect(page.get_by_text(f"Modulen öppnas när du klarat {intro.title}.")).to_be_visible()
    page.goto("/me")
    check_page(page, "Min utbildning")
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=second.title, exact=True)
    )
    expect(card).to_contain_text(f"Öppnas när du klarat {intro.title}.")
    expect(card.get_by_role("link")).to_have_count(0)

    # An open module's quiz before every section is read says what is left.
    response = page.goto(f"/modules/{intro.slug}/quiz")
    assert response.status == 403
    check_page(page, f"Quizet är inte öppet – {intro.title}")
    expect(page.get_by_text("Läs alla avsnitt först.")).to_be_visible()
    page.get_by_role("link", name="Till modulen").click()
    check_page(page, intro.title)

    # Once the first module is passed, the second opens.
    pass_modules(live_server, address, [intro.slug])
    page.goto(f"/modules/{second.slug}")
    check_page(page, second.title)
    expect(page.get_by_role("link", name="Börja läsa")).to_be_visible()
