"""Browser tests: a real server process on 127.0.0.1 with its own SQLite file, driven by
Debian's Chromium through Playwright.

- `live_server` (session): `trainer db upgrade` on a temporary database, then `trainer run`
  on a free port; killed at the end. `live_server.services()` opens an app context on the
  same database in this process, for fast data setup through the service layer.
- `open_page(viewport)`: a fresh browser context (its own cookies) and page. Every page the
  test lands on must go through `helpers.check_page`; the fixture fails the test otherwise.

Without Chromium the tests are skipped with a message; with TRAINER_REQUIRE_BROWSER=1
(set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.helpers import VIEWPORTS, PageVisits
from tests.conftest import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HOW_TO_ENABLE = (
    "Chromium not found: browser tests {}. To run them, install Debian's chromium "
    "(apt-get install chromium); .ci/run installs it and sets TRAINER_REQUIRE_BROWSER=1."
)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path to Debian's Chromium, or skip (fail under TRAINER_REQUIRE_BROWSER=1)."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("TRAINER_REQUIRE_BROWSER") == "1":
            pytest.fail(HOW_TO_ENABLE.format("required (TRAINER_REQUIRE_BROWSER=1)"), pytrace=False)
        pytest.skip(HOW_TO_ENABLE.format("skipped"))
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _trainer_command() -> str:
    beside = Path(sys.executable).with_name("trainer")
    return str(beside) if beside.exists() else (shutil.which("trainer") or "trainer")


@dataclass
class LiveServer:
    url: str
    instance: Path
    env: dict[str, str]
    app: object = field(repr=False)

    @property
    def outbox(self) -> Path:
        return self.instance / "outbox"

    @contextmanager
    def services(self) -> Iterator[None]:
        """An app context on the server's database; commits at the end, like a request."""
        from trainer.extensions import db

        with self.app.app_context():
            try:
                yield
                db.session.commit()
            finally:
                db.session.remove()


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server stopped at start:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as r:  # noqa: S310 (our own http URL)
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"the server did not answer in {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_server(chromium, tmp_path_factory) -> Iterator[LiveServer]:
    from trainer import create_app
    from trainer.config import load_config
    from trainer.extensions import db

    tmp = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    settings = {
        "TRAINER_ENV": "development",
        "TRAINER_DEBUG": "0",
        "TRAINER_SECRET_KEY": secrets.token_urlsafe(32),
        "TRAINER_DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "TRAINER_INSTANCE_PATH": str(tmp / "instance"),
        "TRAINER_COURSES_PATH": str(ROOT / "courses"),
        "TRAINER_BASE_URL": url,
        "TRAINER_MAIL_SERVER": "",
        "TRAINER_DEFAULT_LANGUAGE": "sv",
    }
    # The server sees exactly these settings (no other TRAINER_* from the environment),
    # the same ones the in-process app below gets.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_", "FLASK_"))}
    env.update(settings, FLASK_APP="trainer", PYTHONUNBUFFERED="1")
    trainer = _trainer_command()
    # The working directory is the temporary folder, so no developer's .env is read.
    subprocess.run(
        [trainer, "db", "upgrade"], cwd=tmp, env=env, check=True, capture_output=True, timeout=120
    )
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [trainer, "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, proc, log)
        # Same settings in this process (every key given, so nothing else is read), with
        # cheap password hashing for the accounts the tests create.
        cfg = load_config(environ=settings)
        cfg["ARGON2"] = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
        app = create_app(cfg)
        yield LiveServer(url=url, instance=tmp / "instance", env=settings, app=app)
        with app.app_context():
            db.engine.dispose()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    # An error page hides a traceback from the person; the server's log must not hold one.
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, f"the server logged an unhandled error:\n{text[-3000:]}"


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_passed = report.passed
    return report


@pytest.fixture
def open_page(request, browser, live_server):
    """open_page("phone") → a Page in a fresh context (no cookies) at that viewport."""
    contexts = []
    visits: list[PageVisits] = []

    def _open(viewport: str = "desktop"):
        size = VIEWPORTS[viewport]
        context = browser.new_context(
            base_url=live_server.url,
            viewport=size,
            device_scale_factor=2 if viewport == "phone" else 1,
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        visits.append(PageVisits.watch(page))
        return page

    yield _open
    for context in contexts:
        context.close()
    if getattr(request.node, "call_passed", False):  # a failed test has said enough
        for v in visits:
            v.assert_all_checked()
