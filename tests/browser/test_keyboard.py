"""A quiz can be started, answered and sent with the keyboard alone (Tab, arrows, Space,
Enter and typing). The test only reads which element has focus; every action is a key."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    REFLECTION,
    check_page,
    create_account,
    login,
    module_content,
    read_module,
    right_options,
)

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, type: e.type || '', id: e.id, name: e.name || '',
          text: (e.innerText || '').trim(), checked: !!e.checked};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, text: str, limit: int = 60) -> None:
    """Press Tab until the element with this text has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page)["text"] == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_quiz_with_the_keyboard_alone(live_server, open_page):
    address = "kerstin.keyboard@example.org"
    create_account(live_server, address, "Kerstin Tangentbord", "volunteer")
    module = module_content(live_server, "introduktion")
    read_module(live_server, address, module.slug)
    page = open_page("desktop")
    login(page, address)
    check_page(page, "Min utbildning")
    page.goto(f"/modules/{module.slug}/quiz")
    check_page(page, f"Quiz – {module.title}")

    tab_to(page, "Starta quizet")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Skicka in svaren")).to_be_visible()
    check_page(page, f"Quiz – {module.title}")

    answered: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["type"] == "radio":
            qid = f["name"].removeprefix("q-")
            want = f"q-{qid}-{right_options(module.question(qid))[0]}"
            if f["id"] == want:
                page.keyboard.press("Space")
            for _ in range(10):  # arrows move through the group and select
                if focused(page)["id"] == want:
                    break
                page.keyboard.press("ArrowDown")
            f = focused(page)
            assert f["id"] == want and f["checked"], f
            answered.add(qid)
        elif f["type"] == "checkbox":
            qid, idx = f["name"].removeprefix("q-"), int(f["id"].rsplit("-", 1)[1])
            if module.question(qid).options[idx].correct:
                page.keyboard.press("Space")
                assert focused(page)["checked"], f
            answered.add(qid)
        elif f["tag"] == "TEXTAREA":
            page.keyboard.type(REFLECTION)
            answered.add(f["id"].removeprefix("r-"))
        elif f["tag"] == "BUTTON" and f["text"] == "Skicka in svaren":
            break
    else:
        raise AssertionError("Tab never reached the send button")
    assert answered == {q.id for q in module.questions}
    page.keyboard.press("Enter")

    check_page(page, f"Resultat – {module.title}")
    expect(page.locator("h1")).to_have_text("Ditt resultat: 100 %")
    expect(page.get_by_text(f"Du har klarat modulen {module.title}.")).to_be_visible()
    # The skip link is the first stop and moves focus to the main content.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
