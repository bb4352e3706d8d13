"""Helpers for the browser journeys: logging in, the checks every page must pass, mail from
the outbox, screenshots, and data setup through the service layer.

A journey calls `check_page(page, "<words the title must hold>")` after every navigation;
the `open_page` fixture fails the test when a page it landed on was never checked.
"""

from __future__ import annotations

import email
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
SITE = {"sv": "Jourens volontärutbildning", "en": "The shelter's volunteer training"}
PASSWORD = "lila kastanjer i november"
REFLECTION = "Jag vill lyssna, tro på henne och låta henne bestämma själv."
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 667},
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING = {"serious", "critical"}


# -- every page ---------------------------------------------------------------------------


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class PageVisits:
    """The pages one browser tab landed on, and which of them were checked."""

    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    @classmethod
    def watch(cls, page: Page) -> PageVisits:
        visits = cls()

        def on_navigated(frame):
            if frame == page.main_frame and frame.url.startswith("http"):
                path = _path(frame.url)
                if not visits.visited or visits.visited[-1] != path:
                    visits.visited.append(path)

        page.on("framenavigated", on_navigated)
        page._trainer_visits = visits  # read by check_page
        return visits

    def assert_all_checked(self) -> None:
        missed = [p for p in dict.fromkeys(self.visited) if p not in self.checked]
        assert not missed, f"pages visited but never run through check_page: {missed}"


def check_page(page: Page, where: str) -> None:
    """The checks every page must pass: its title starts with where you are (`where`), it
    has a language and exactly one h1, nothing scrolls sideways, and axe finds nothing
    serious. Waiting for the title also waits for a navigation a click has started; when
    the next page has the same title, wait for something on it before calling this."""
    expect(page).to_have_title(re.compile("^" + re.escape(where)))
    page.wait_for_load_state("load")
    lang = page.locator("html").get_attribute("lang")
    assert lang in SITE, f"{page.url}: <html lang={lang!r}>"
    title = page.title()
    assert title.endswith(f" – {SITE[lang]}") and title != f" – {SITE[lang]}", title
    assert page.locator("h1").count() == 1, f"{page.url}: not exactly one h1"
    assert_no_horizontal_scroll(page)
    axe_check(page)
    visits = getattr(page, "_trainer_visits", None)
    if visits is not None:
        visits.checked.add(_path(page.url))


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > w)
                 .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            width,
        )
        raise AssertionError(f"{page.url} scrolls sideways at {width} px ({scroll}): {wide}")


_axe = None


def axe_check(page: Page) -> None:
    """axe-core on the current page, WCAG 2.1 A and AA rules: no serious or critical finding."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = _axe.run(page, options=options).response["violations"]
    bad = [v for v in found if v.get("impact") in AXE_BLOCKING]
    if bad:
        lines = [f"axe on {page.url}:"]
        for v in bad:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            for node in v["nodes"][:5]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
        raise AssertionError("\n".join(lines))


def shot(page: Page, name: str) -> bytes:
    """A screenshot of what the viewport shows. Written to docs/screenshots/<name>.png only
    with TRAINER_SCREENSHOTS=1 (`make screenshots`), so a test run leaves the tree clean."""
    options = {"animations": "disabled", "caret": "hide", "scale": "css"}
    if os.environ.get("TRAINER_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        options["path"] = SCREENSHOTS / f"{name}.png"
    png = page.screenshot(**options)
    assert png.startswith(b"\x89PNG")
    return png


# -- people -------------------------------------------------------------------------------


def login(page: Page, email_address: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    check_page(page, "Logga in")
    page.get_by_label("E-postadress").fill(email_address)
    page.get_by_label("Lösenord", exact=True).fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def logout(page: Page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    check_page(page, "Välkommen")
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()


def mail_link(server: LiveServer, to: str) -> str:
    """The path of the link in the newest mail to `to` in the server's outbox."""
    for path in sorted(server.outbox.glob("*.eml"), reverse=True):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if msg["To"] == to:
            text = msg.get_body(preferencelist=("plain",)).get_content()
            m = re.search(r"https?://\S+", text)
            assert m, text
            return _path(m.group(0))
    raise AssertionError(f"no mail to {to} in {sorted(p.name for p in server.outbox.glob('*'))}")


# -- data setup through the service layer (same database as the server) -------------------


def create_account(server: LiveServer, email_address: str, name: str, *roles: str) -> None:
    from trainer.auth import services as auth

    with server.services():
        auth.create_user(email_address, name, roles=list(roles or ["volunteer"]), password=PASSWORD)


def module_content(server: LiveServer, slug: str):
    module = server.app.extensions["trainer.catalog"].get(slug)
    assert module is not None, slug
    return module


def read_module(server: LiveServer, email_address: str, slug: str) -> None:
    from trainer.auth import services as auth
    from trainer.demo import read_all
    from trainer.timeutil import utcnow

    with server.services():
        read_all(auth.get_user_by_email(email_address), slug, utcnow())


def pass_modules(server: LiveServer, email_address: str, slugs: list[str]) -> None:
    """Read every section and pass the quiz of these modules, in the order given."""
    from trainer.auth import services as auth
    from trainer.demo import complete_module
    from trainer.timeutil import utcnow

    with server.services():
        user = auth.get_user_by_email(email_address)
        for slug in slugs:
            assert complete_module(user, slug, utcnow()).passed, slug


def end_retake_wait(server: LiveServer, email_address: str, slug: str) -> None:
    """Move her failed attempts back by the module's cooldown, as if the wait were over."""
    import sqlalchemy as sa

    from trainer.auth import services as auth
    from trainer.extensions import db
    from trainer.learning import services as learning
    from trainer.quizzes.models import QuizAttempt

    with server.services():
        user = auth.get_user_by_email(email_address)
        version, module = learning.current_module(slug)
        wait = timedelta(minutes=module.retake_cooldown_minutes)
        for attempt in db.session.scalars(
            sa.select(QuizAttempt).where(
                QuizAttempt.user_id == user.id,
                QuizAttempt.module_version_id == version.id,
                QuizAttempt.passed.is_(False),
            )
        ):
            attempt.submitted_at -= wait


# -- quizzes ------------------------------------------------------------------------------


def right_options(question) -> list[int]:
    return [i for i, o in enumerate(question.options) if o.correct]


def answer_quiz(page: Page, module, *, correct: bool) -> None:
    """Tick every question of the open quiz: all right, or one wrong option each."""
    for q in module.questions:
        if q.type == "reflection":
            page.locator(f"#r-{q.id}").fill(REFLECTION)
            continue
        wrong = [i for i, o in enumerate(q.options) if not o.correct]
        for i in right_options(q) if correct else wrong[:1]:
            page.locator(f"#q-{q.id}-{i}").check()
