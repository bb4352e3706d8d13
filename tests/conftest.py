"""Fixtures: app (SQLite file per test, or PostgreSQL with TEST_DATABASE_URL), client, users."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from trainer import create_app
from trainer.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery"


def make_config(tmp_path: Path, **extra) -> dict:
    cfg = {
        "TESTING": True,
        "ENV": "development",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-123",
        "DATABASE_URL": PG_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "COURSES_PATH": str(ROOT / "courses"),
        "WTF_CSRF_ENABLED": False,
        "ARGON2": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        "MAIL_SERVER": "",
    }
    cfg.update(extra)
    return cfg


def _reset_schema() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    db.create_all()
    from trainer.places.services import ensure_districts
    from trainer.workgroups.services import ensure_plan_workgroups

    ensure_plan_workgroups()
    ensure_districts()
    db.session.commit()


@pytest.fixture
def app_config():
    """Override in a test module to change settings."""
    return {}


class FreshGlobalsClient(FlaskClient):
    """The fixture keeps one app context open, which requests would share; give each
    request an empty `g` (and so a freshly loaded user), as a real server does."""

    def open(self, *args, **kwargs):
        if has_app_context():
            for key in list(g):
                g.pop(key, None)
            db.session.expire_all()
        return super().open(*args, **kwargs)


@pytest.fixture
def app(tmp_path, app_config):
    app = create_app(make_config(tmp_path, **app_config))
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        _reset_schema()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create an account: make_user("trainer") or make_user("board", "trainer", email=...)."""
    from trainer.auth import services

    counter = {"n": 0}

    def _make(
        *roles: str,
        email: str | None = None,
        password: str = PASSWORD,
        name: str | None = None,
        **fields,
    ):
        counter["n"] += 1
        n = counter["n"]
        user = services.create_user(
            email or f"person{n}@example.org",
            name or f"Person {n} Testsson",
            roles=list(roles or ("volunteer",)),
            password=password,
        )
        for k, v in fields.items():
            setattr(user, k, v)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def login(client):
    def _login(user, password: str = PASSWORD, c=None, remember: bool = False):
        c = c or client
        r = c.post(
            "/login",
            data={"email": user.email, "password": password, "remember": "y" if remember else ""},
        )
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        return c

    return _login


@pytest.fixture
def outbox(app):
    def _read() -> list[str]:
        folder = Path(app.config["INSTANCE_PATH"]) / "outbox"
        if not folder.exists():
            return []
        import email

        texts = []
        for p in sorted(folder.glob("*.eml")):
            msg = email.message_from_bytes(p.read_bytes())
            body = msg.get_body(preferencelist=("plain",)) if hasattr(msg, "get_body") else None
            if body is None:
                from email import policy

                msg = email.message_from_bytes(p.read_bytes(), policy=policy.default)
                body = msg.get_body(preferencelist=("plain",))
            texts.append(f"To: {msg['To']}\nSubject: {msg['Subject']}\n\n" + body.get_content())
        return texts

    return _read


def link_from(mail_text: str) -> str:
    m = re.search(r"https?://[^/\s]+(/\S+)", mail_text)
    assert m, mail_text
    return m.group(1)


@pytest.fixture
def count_queries(app):
    """with count_queries() as q: ...; q.count is the number of SQL statements run."""

    @contextmanager
    def _count():
        class Counter:
            count = 0
            statements: list[str] = []

        c = Counter()
        c.statements = []

        def before(conn, cursor, statement, params, context, executemany):
            if (
                not statement.strip()
                .upper()
                .startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK", "PRAGMA"))
            ):
                c.count += 1
                c.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield c
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)

    return _count
