"""Cross-cutting request handling: sessions, headers, language, template helpers."""

from __future__ import annotations

import time
from datetime import datetime

from flask import Flask, g, has_request_context, session
from flask_babel import format_date, format_datetime
from flask_login import current_user, logout_user

from trainer.auth.models import User
from trainer.extensions import babel, db, login_manager
from trainer.timeutil import to_local

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Sessions carry "id:version"; a bumped version (logout, new password) ends them."""
    try:
        user_id, version = (int(p) for p in token.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def select_locale() -> str:
    langs = ("sv", "en")
    if not has_request_context():
        return babel_default()
    if getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    if session.get("lang") in langs:
        return session["lang"]
    return babel_default()


def babel_default() -> str:
    from flask import current_app

    return current_app.config["DEFAULT_LANGUAGE"]


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def idle_timeout():
        if not current_user.is_authenticated:
            return
        now = int(time.time())
        seen = session.get("seen_at")
        idle = app.config["SESSION_IDLE_MINUTES"] * 60
        if seen and now - seen > idle and not session.get("_remember_me"):
            logout_user()
            session.clear()
            return
        session["seen_at"] = now

    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["ENV"] == "production":
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if getattr(current_user, "is_authenticated", False) or g.get("private"):
            h["Cache-Control"] = "no-store"
        return response

    @app.template_filter("dt")
    def dt_filter(value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(to_local(value), "d MMMM yyyy 'kl.' HH:mm")

    @app.template_filter("clock")
    def clock_filter(value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(to_local(value), "HH:mm")

    @app.template_filter("date")
    def date_filter(value: datetime | None, fmt: str = "d MMMM yyyy") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = to_local(value)
        return format_date(value, fmt)

    @app.template_filter("shortdate")
    def shortdate_filter(value: datetime | None) -> str:
        """17 dec. 2024: for tables where the full month name is too wide."""
        return date_filter(value, "d MMM yyyy")

    @app.context_processor
    def inject():
        from trainer.auth.policy import POLICY, allowed

        def can_open(endpoint: str) -> bool:
            return allowed(current_user, POLICY.get(endpoint))

        from flask_babel import get_locale

        return {"can_open": can_open, "get_locale": get_locale}


def run_action(action, success: str) -> bool:
    """Run one service call for a view: commit and flash `success`, or, when a rule says
    no, roll back and flash the rule's own message. Returns whether it went through."""
    from flask import flash

    from trainer.errors import TrainerError

    try:
        action()
    except TrainerError as e:
        db.session.rollback()
        flash(str(e), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True
