"""Configuration refusals, the CLI, the demo data, and the migrations on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, ROOT, make_config
from trainer import create_app
from trainer.config import DEV_SECRET_KEY, ConfigError, load_config
from trainer.extensions import db


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"SECRET_KEY": DEV_SECRET_KEY}, "development key"),
        ({"SECRET_KEY": "short"}, "at least 32 bytes"),
        ({"SECRET_KEY": "x" * 40, "DEBUG": True}, "DEBUG must be off"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, overrides, message):
    with pytest.raises(ConfigError) as info:
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), **overrides})
    assert message in str(info.value)


def test_production_starts_with_safe_settings_and_secure_cookies(tmp_path):
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 48, "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_NAME"].startswith(
        "__Host-"
    )
    assert app.config["REMEMBER_COOKIE_SECURE"] and not app.debug


def test_settings_come_from_trainer_environment_variables(tmp_path):
    cfg = load_config(
        environ={
            "TRAINER_DATABASE_URL": "sqlite:///x.db",
            "TRAINER_MAIL_PORT": "2525",
            "TRAINER_DEFAULT_LANGUAGE": "en",
            "TRAINER_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "sqlite:///x.db"
    assert cfg["MAIL_PORT"] == 2525 and cfg["BABEL_DEFAULT_LOCALE"] == "en"
    assert cfg["INSTANCE_PATH"] == str(tmp_path.resolve())


def test_sqlite_uses_wal_and_foreign_keys(tmp_path):
    app = create_app(make_config(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'wal.db'}"))
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_cli_creates_and_lists_users(app):
    runner = app.test_cli_runner()
    r = runner.invoke(
        args=[
            "users",
            "create",
            "Ny@Example.org",
            "--name",
            "Ny Person",
            "--role",
            "trainer",
            "--role",
            "board",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert r.exit_code == 0, r.output
    out = runner.invoke(args=["users", "list"]).output
    assert "ny@example.org" in out and "board,trainer" in out
    bad = runner.invoke(
        args=["users", "create", "x@example.org", "--name", "X", "--password-stdin"],
        input="short\n",
    )
    assert bad.exit_code != 0 and "minst 12 tecken" in bad.output


def test_demo_is_idempotent_and_has_every_role(app):
    from trainer.auth.models import User

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = db.session.scalar(sa.select(sa.func.count(User.id)))
    r = runner.invoke(args=["demo"])
    assert r.exit_code == 0 and "trainer-demo-2026" in r.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == first >= 24
    roles = set().union(*(u.role_names for u in db.session.scalars(sa.select(User))))
    assert roles == {"volunteer", "trainer", "board", "admin"}


def test_courses_list_command(app):
    out = app.test_cli_runner().invoke(args=["courses", "list"]).output
    assert "introduktion" in out and "version 1" in out and "questions" in out


def test_migrations_have_a_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config(str(ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def _upgrade(url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRAINER_DATABASE_URL": url, "TRAINER_INSTANCE_PATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "trainer", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_migrated_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT name FROM workgroup ORDER BY id")).scalars().all()
        districts = conn.execute(sa.text("SELECT name FROM district")).scalars().all()
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert len(names) == 5 and names[3] == "Tantjour"
    assert len(districts) == 6 and "Vårsta-Grödinge" in districts
    assert set(db.metadata.tables) <= tables


def test_migrations_upgrade_an_empty_sqlite_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    result = _upgrade(url, tmp_path)
    assert result.returncode == 0, result.stderr
    _check_migrated_schema(url)


@pytest.mark.postgres
@pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL: set TEST_DATABASE_URL (CI does) to run this test"
)
def test_migrations_upgrade_an_empty_postgresql_database(tmp_path):
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    result = _upgrade(PG_URL, tmp_path)
    assert result.returncode == 0, result.stderr
    _check_migrated_schema(PG_URL)
