"""Domain errors and the error pages. No traceback ever reaches a user."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("trainer")


class TrainerError(Exception):
    """A rule was broken; the message is meant for the person (already translated)."""

    status = 400


class NotAllowed(TrainerError):
    status = 403


class NotFound(TrainerError):
    status = 404


class Conflict(TrainerError):
    status = 409


class Throttled(TrainerError):
    status = 429


def _title(code: int) -> str:
    return {
        400: _("Något blev fel i förfrågan"),
        403: _("Du har inte behörighet till sidan"),
        404: _("Sidan finns inte"),
        405: _("Det går inte att göra så här"),
        413: _("Det du skickade är för stort"),
        429: _("För många försök"),
        500: _("Något gick fel hos oss"),
    }.get(code, _("Något gick fel"))


def _message(code: int) -> str:
    return {
        400: _("Formuläret kunde inte tas emot. Ladda om sidan och försök igen."),
        403: _(
            "Sidan är till för andra roller än din. Fråga en utbildare om du tror att det är fel."
        ),
        404: _("Kontrollera adressen, eller gå tillbaka till startsidan."),
        405: _("Gå tillbaka och försök igen från sidan."),
        413: _("Försök med en kortare text."),
        429: _("Vänta en stund och försök sedan igen."),
        500: _("Försök igen om en stund. Om felet finns kvar, kontakta jouren."),
    }.get(code, "")


def render_error(code: int, message: str | None = None):
    return (
        render_template(
            "errors/error.html", code=code, title=_title(code), message=message or _message(code)
        ),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(e):
        log.warning("csrf failure on %s", request.path)
        return render_error(
            400,
            _(
                "Formuläret hade gått ut eller saknade sin säkerhetskod. "
                "Ladda om sidan och försök igen."
            ),
        )

    @app.errorhandler(TrainerError)
    def trainer_error(e: TrainerError):
        from trainer.extensions import db

        db.session.rollback()
        return render_error(e.status, str(e))

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return render_error(e.code or 500)

    @app.errorhandler(Exception)
    def unhandled(e: Exception):
        log.exception("unhandled error on %s", request.path)
        from trainer.extensions import db

        db.session.rollback()
        return render_error(500)
