"""Journeys 1 and 2 of issue #8: from the interest form to a passed module and the pledge.

The volunteer's part runs on a desktop and on a 375 × 667 phone; the trainer is at a desk.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    PASSWORD,
    answer_quiz,
    check_page,
    create_account,
    end_retake_wait,
    login,
    logout,
    mail_link,
    module_content,
    pass_modules,
    shot,
)

pytestmark = pytest.mark.browser

FIRST = "introduktion"
PEOPLE = {
    "desktop": ("Nora Lindqvist", "nora.lindqvist@example.org"),
    "phone": ("Samira Haddad", "samira.haddad@example.org"),
}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_from_interest_form_to_pledge(live_server, open_page, viewport):
    name, address = PEOPLE[viewport]
    trainer_address = f"tove.{viewport}@example.org"
    create_account(live_server, trainer_address, "Tove Utbildare", "trainer")

    # 1. She fills in the interest form.
    nora = open_page(viewport)
    nora.goto("/")
    check_page(nora, "Välkommen")
    if viewport == "phone":
        shot(nora, "start-phone")
    nora.get_by_role("link", name="Anmäl ditt intresse").click()
    check_page(nora, "Intresseanmälan")
    nora.get_by_label("Namn").fill(name)
    nora.get_by_label("E-postadress").fill(address)
    nora.get_by_label("Telefon (frivilligt)").fill("070-123 45 67")
    nora.get_by_role("group", name="Vilka arbetsgrupper").get_by_role("checkbox").first.check()
    nora.get_by_label("Hur hörde du talas om jouren?").fill("Via en vän")
    nora.get_by_label("Berätta kort varför du vill bli volontär").fill(
        "Jag vill göra skillnad för kvinnor i Botkyrka."
    )
    nora.get_by_label("Jag godkänner att jouren sparar mina uppgifter").check()
    nora.get_by_role("button", name="Skicka anmälan").click()
    check_page(nora, "Tack")

    # The trainer finds her on the applicants list and invites her.
    tove = open_page("desktop")
    login(tove, trainer_address)
    check_page(tove, "Att göra för utbildare")
    tove.get_by_role("link", name="Anmälningar").click()
    check_page(tove, "Intresseanmälningar")
    card = tove.get_by_role("listitem").filter(
        has=tove.get_by_role("heading", name=name, exact=True)
    )
    expect(card).to_contain_text(address)
    expect(card).to_contain_text("Jag vill göra skillnad")
    if viewport == "desktop":
        card.scroll_into_view_if_needed()
        shot(tove, "applicants-desktop")
    card.get_by_role("button", name="Bjud in").click()
    expect(tove.get_by_text("Inbjudan är skickad.")).to_be_visible()  # same title: wait here
    check_page(tove, "Intresseanmälningar")
    expect(card).to_contain_text("Inbjuden")

    # She sets her password from the link in the mail and is logged in.
    nora.goto(mail_link(live_server, address))
    check_page(nora, "Välj lösenord")
    nora.get_by_label("Nytt lösenord").fill(PASSWORD)
    nora.get_by_label("Skriv lösenordet igen").fill(PASSWORD)
    nora.get_by_role("button", name="Spara lösenordet").click()
    check_page(nora, "Min utbildning")
    expect(nora.get_by_text("Ditt lösenord är sparat. Välkommen!")).to_be_visible()
    expect(nora.get_by_text("Du har klarat 0 av 6 moduler.")).to_be_visible()
    # ...and can log in again later.
    logout(nora)
    login(nora, address)
    check_page(nora, "Min utbildning")

    # 2. She reads the first module section by section.
    module = module_content(live_server, FIRST)
    nora.get_by_role("link", name=module.title).click()
    check_page(nora, module.title)
    if viewport == "phone":
        shot(nora, "module-phone")
    nora.get_by_role("link", name="Börja läsa").click()
    for i, section in enumerate(module.sections):
        expect(nora).to_have_url(re.compile(f"/modules/{FIRST}/{section.id}$"))
        check_page(nora, f"{section.title} – {module.title}")
        expect(nora.locator("h1")).to_have_text(section.title)
        expect(nora.get_by_text(f"avsnitt {i + 1} av {len(module.sections)}")).to_be_visible()
        if i == 1 and viewport == "phone":
            shot(nora, "section-phone")
        last = i + 1 == len(module.sections)
        label = "Klart – till quizet" if last else "Nästa avsnitt"
        nora.get_by_role("button", name=label).click()

    # She fails the quiz on purpose and reads the feedback.
    check_page(nora, f"Quiz – {module.title}")
    nora.get_by_role("button", name="Starta quizet").click()
    expect(nora.get_by_role("button", name="Skicka in svaren")).to_be_visible()
    check_page(nora, f"Quiz – {module.title}")
    if viewport == "phone":
        shot(nora, "quiz-phone")
    answer_quiz(nora, module, correct=False)
    nora.get_by_role("button", name="Skicka in svaren").click()
    check_page(nora, f"Resultat – {module.title}")
    expect(nora.locator("h1")).to_have_text(re.compile(r"Ditt resultat: \d+ %"))
    expect(nora.get_by_text("Du behöver 80 % rätt för att klara modulen.")).to_be_visible()
    expect(nora.get_by_text("Inte rätt").first).to_be_visible()
    first_wrong = next(q for q in module.questions if q.graded)
    wrong_option = next(o for o in first_wrong.options if not o.correct)
    expect(nora.get_by_text(wrong_option.feedback)).to_be_visible()
    if viewport == "phone":
        shot(nora, "quiz-result-phone")

    # She goes back to a section from a link on the result page.
    section = module.section(first_wrong.section)
    question = nora.locator("section.question").filter(has_text=first_wrong.prompt)
    question.get_by_role("link", name=f"Läs avsnittet {section.title} igen").click()
    check_page(nora, f"{section.title} – {module.title}")
    expect(nora.locator("h1")).to_have_text(section.title)

    # A new attempt has to wait for the module's cooldown.
    nora.goto(f"/modules/{FIRST}/quiz")
    check_page(nora, f"Quizet är inte öppet – {module.title}")
    expect(nora.get_by_text(re.compile(r"Du kan göra quizet igen om \d+ minuter"))).to_be_visible()
    nora.goto("/me")
    check_page(nora, "Min utbildning")
    expect(nora.get_by_text("Alla avsnitt lästa. Quizet är öppet.")).to_be_visible()

    # After the wait she passes.
    end_retake_wait(live_server, address, FIRST)
    nora.get_by_role("link", name="Till quizet").click()
    check_page(nora, f"Quiz – {module.title}")
    nora.get_by_role("button", name="Starta quizet").click()
    expect(nora.get_by_role("button", name="Skicka in svaren")).to_be_visible()
    check_page(nora, f"Quiz – {module.title}")
    expect(nora.locator("#r-" + module.questions[-1].id)).to_have_value(re.compile(r"\w"))
    answer_quiz(nora, module, correct=True)
    nora.get_by_role("button", name="Skicka in svaren").click()
    check_page(nora, f"Resultat – {module.title}")
    expect(nora.locator("h1")).to_have_text("Ditt resultat: 100 %")
    expect(nora.get_by_text(f"Du har klarat modulen {module.title}.")).to_be_visible()

    # The other modules are passed through the service layer; she accepts the pledge.
    slugs = live_server.app.extensions["trainer.catalog"].slugs
    pass_modules(live_server, address, [s for s in slugs if s != FIRST])
    nora.get_by_role("link", name="Till Min utbildning").click()
    check_page(nora, "Min utbildning")
    expect(nora.get_by_text("Du har klarat 6 av 6 moduler.")).to_be_visible()
    nora.get_by_role("link", name="Läs och godkänn tystnadslöftet").click()
    check_page(nora, "Tystnadslöfte")
    if viewport == "phone":
        shot(nora, "pledge-phone")
    nora.get_by_role("button", name="Jag har läst och lovar att hålla tystnadslöftet").click()
    check_page(nora, "Min utbildning")
    expect(nora.get_by_text("Tack! Du har godkänt tystnadslöftet.")).to_be_visible()
    expect(nora.get_by_text("Tystnadslöftet är godkänt")).to_be_visible()
    expect(nora.get_by_text("Allt är klart.")).to_be_visible()
    if viewport == "phone":
        shot(nora, "overview-phone")
