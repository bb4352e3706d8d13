"""Journey 3 of issue #8: a trainer finds her as ready in the matrix and approves her; she
sees and prints her certificate; the verification page confirms it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, create_account, login, pass_modules, shot

pytestmark = pytest.mark.browser


def accept_pledge(server, address):
    from trainer.auth import services as auth
    from trainer.certification import services as certification

    with server.services():
        user = auth.get_user_by_email(address)
        certification.accept_pledge(user, certification.current_pledge().version)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_trainer_approves_and_certificate_verifies(live_server, open_page, viewport):
    name = {"desktop": "Rut Redo", "phone": "Rakel Redo"}[viewport]
    address = f"rut.{viewport}@example.org"
    trainer_address = f"tove.cert.{viewport}@example.org"
    create_account(live_server, trainer_address, "Tove Utbildare", "trainer")
    create_account(live_server, address, name, "volunteer")
    slugs = [m.slug for m in live_server.app.extensions["trainer.catalog"].modules]
    pass_modules(live_server, address, slugs)
    accept_pledge(live_server, address)

    # The trainer finds her on the to-do list and as ready in the matrix.
    tove = open_page("desktop")
    login(tove, trainer_address)
    check_page(tove, "Att göra för utbildare")
    expect(tove.locator("#ready-h").locator("..")).to_contain_text(name)
    tove.get_by_role("link", name="Se alla volontärer i översikten").click()
    check_page(tove, "Översikt över volontärerna")
    tove.get_by_label("Läge").select_option("ready")
    tove.get_by_label("Sök namn").fill(name)
    tove.get_by_role("button", name="Visa").click()
    expect(tove.locator("table.matrix tbody tr")).to_have_count(1)
    check_page(tove, "Översikt över volontärerna")
    if viewport == "desktop":
        shot(tove, "trainer-matrix")
    tove.get_by_role("link", name=name).click()
    check_page(tove, name)
    tove.get_by_label("Godkänd").check()
    tove.get_by_label("Anteckning (valfri)").fill("Introträff 12 februari")
    tove.get_by_role("button", name="Spara beslut").click()
    expect(tove.get_by_text("Hon är godkänd och har fått sitt certifikat.")).to_be_visible()
    check_page(tove, name)
    expect(tove.locator(".lead")).to_contain_text("Certifierad")

    # She sees her certificate on Min utbildning and prints it.
    rut = open_page(viewport)
    login(rut, address)
    check_page(rut, "Min utbildning")
    expect(rut.get_by_role("heading", name="Du är godkänd som volontär")).to_be_visible()
    rut.get_by_role("link", name="Visa och skriv ut certifikatet").click()
    check_page(rut, "Mitt certifikat")
    expect(rut.locator(".cert-name")).to_have_text(name)
    code = rut.locator(".cert-facts code").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", code)
    if viewport == "phone":
        shot(rut, "certificate-phone")
    rut.emulate_media(media="print")
    expect(rut.get_by_role("button", name="Visa mitt namn")).to_be_hidden()
    pdf = rut.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A4 page
    rut.emulate_media(media="screen")

    # Anyone with the code sees that it is valid, but not her name unless she chooses.
    visitor = open_page(viewport)
    visitor.goto("/verify")
    check_page(visitor, "Kontroll av intyg")
    visitor.get_by_label("Kontrollkod").fill(code.lower())
    visitor.get_by_role("button", name="Kontrollera").click()
    expect(visitor.get_by_text("Intyget gäller till och med")).to_be_visible()
    check_page(visitor, "Kontroll av intyg")
    expect(visitor.locator("main")).not_to_contain_text(name)
    rut.get_by_role("button", name="Visa mitt namn").click()
    expect(rut.get_by_text("Ditt namn visas nu på kontrollsidan.")).to_be_visible()
    check_page(rut, "Mitt certifikat")
    visitor.reload()
    check_page(visitor, "Kontroll av intyg")
    expect(visitor.locator("main")).to_contain_text(f"Intyget tillhör {name}.")
