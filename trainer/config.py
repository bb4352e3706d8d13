"""Configuration: defaults, then `.env`, then `TRAINER_*` environment variables, then overrides."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105 (refused in production)

# name -> (type, default, description); the README's settings table mirrors this.
SETTINGS: dict[str, tuple[type, Any, str]] = {
    "ENV": (
        str,
        "development",
        "`development` or `production`; production refuses unsafe settings",
    ),
    "SECRET_KEY": (str, DEV_SECRET_KEY, "at least 32 random bytes in production"),
    "DATABASE_URL": (str, "", "SQLAlchemy URL; empty means SQLite in the instance folder"),
    "INSTANCE_PATH": (str, "", "folder for the SQLite file and the outbox; default ./instance"),
    "BASE_URL": (str, "http://127.0.0.1:5000", "public address used in e-mailed links"),
    "DEFAULT_LANGUAGE": (str, "sv", "`sv` or `en`"),
    "DEBUG": (bool, False, "Flask debug mode; refused in production"),
    "MAIL_SERVER": (str, "", "SMTP host; empty writes mail to the outbox folder instead"),
    "MAIL_PORT": (int, 587, "SMTP port"),
    "MAIL_USERNAME": (str, "", "SMTP user"),
    "MAIL_PASSWORD": (str, "", "SMTP password"),
    "MAIL_USE_TLS": (bool, True, "STARTTLS to the SMTP server"),
    "MAIL_FROM": (str, "Jourens utbildning <utbildning@example.org>", "sender address"),
    "PROXY_HOPS": (int, 0, "number of reverse proxies in front (ProxyFix); 0 = none"),
    "CERTIFICATION_MONTHS": (int, 24, "how long a certification is valid"),
    "EXPIRING_DAYS": (int, 60, "a certification this close to its end shows as expiring"),
    "INACTIVE_DAYS": (int, 30, "trainers are told about volunteers with no progress this long"),
    "COURSES_PATH": (str, "", "folder with the modules; default ./courses"),
    "MIN_VOLUNTEERS_IN_PERSON": (
        int,
        2,
        "an activity held in person with the public needs at least this many volunteers",
    ),
    "CANCEL_CUTOFF_HOURS": (
        int,
        24,
        "volunteers cancel themselves until this many hours before the start; "
        "after that, cancelling sends a message to the group's lead",
    ),
    "OFFER_VALID_HOURS": (
        int,
        12,
        "a freed place offered to the first on the waiting list can be claimed this long",
    ),
    "LEAD_NOTICE_HOURS": (
        int,
        24,
        "this close to the start a freed place is reported to the lead instead of offered",
    ),
}

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration is unsafe or invalid; the message says what to change."""


def _coerce(kind: type, raw: str) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(raw)
    return raw


def load_config(
    overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """Build the Flask config dict from defaults, `.env`, the environment and overrides."""
    env = dict(os.environ if environ is None else environ)
    if environ is None:
        from dotenv import dotenv_values

        dotenv_file = Path.cwd() / ".env"
        if dotenv_file.is_file():
            for key, value in dotenv_values(dotenv_file).items():
                if value is not None:
                    env.setdefault(key, value)
    cfg: dict[str, Any] = {}
    for name, (kind, default, _doc) in SETTINGS.items():
        raw = env.get(f"TRAINER_{name}")
        cfg[name] = default if raw in (None, "") else _coerce(kind, raw)
    cfg.update(overrides or {})

    instance = Path(cfg["INSTANCE_PATH"] or PROJECT_ROOT / "instance").resolve()
    cfg["INSTANCE_PATH"] = str(instance)
    cfg["COURSES_PATH"] = str(Path(cfg["COURSES_PATH"] or PROJECT_ROOT / "courses").resolve())
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = f"sqlite:///{instance / 'trainer.db'}"
    cfg.setdefault("SQLALCHEMY_DATABASE_URI", cfg["DATABASE_URL"])
    production = cfg["ENV"] == "production"
    cfg.setdefault("TESTING", False)
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    cfg.setdefault("MAX_CONTENT_LENGTH", 1 * 1024 * 1024)
    cfg.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))
    cfg.setdefault("SESSION_IDLE_MINUTES", 30)
    cfg.setdefault("SESSION_COOKIE_HTTPONLY", True)
    cfg.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    cfg.setdefault("SESSION_COOKIE_SECURE", production)
    cfg.setdefault("SESSION_COOKIE_NAME", "__Host-session" if production else "trainer_session")
    cfg.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=14))
    cfg.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    cfg.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    cfg.setdefault("REMEMBER_COOKIE_SECURE", production)
    cfg.setdefault("REMEMBER_COOKIE_NAME", "__Host-remember" if production else "trainer_remember")
    cfg.setdefault("WTF_CSRF_TIME_LIMIT", None)
    cfg.setdefault("BABEL_DEFAULT_LOCALE", cfg["DEFAULT_LANGUAGE"])
    cfg.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm")
    cfg.setdefault("LANGUAGES", ("sv", "en"))
    # OWASP argon2id minimum (m=19 MiB, t=2, p=1); tests lower it to stay fast.
    cfg.setdefault("ARGON2", {"time_cost": 2, "memory_cost": 19456, "parallelism": 1})
    cfg.setdefault("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    cfg.setdefault("LOGIN_MAX_FAILURES_PER_ADDRESS", 30)
    cfg.setdefault("LOGIN_WINDOW_MINUTES", 15)
    cfg.setdefault("INVITE_VALID_DAYS", 7)
    cfg.setdefault("RESET_VALID_MINUTES", 60)
    return cfg


def check_production(cfg: dict[str, Any]) -> None:
    """Refuse to run in production with a weak secret, the dev key or debug on."""
    if cfg.get("ENV") != "production":
        return
    key = cfg.get("SECRET_KEY") or ""
    problems = []
    if key == DEV_SECRET_KEY:
        problems.append("TRAINER_SECRET_KEY is the development key")
    elif len(key.encode()) < 32:
        problems.append("TRAINER_SECRET_KEY must be at least 32 bytes")
    if cfg.get("DEBUG"):
        problems.append("TRAINER_DEBUG must be off")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))
