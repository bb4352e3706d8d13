"""Outgoing mail: SMTP when configured, otherwise the outbox folder and the log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template

from trainer.timeutil import utcnow

log = logging.getLogger("trainer.mail")


def outbox_path() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "outbox"


def send_mail(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render `email/<template>.txt` and `.html` and send them to one address."""
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain="trainer.local")
    msg.set_content(render_template(f"email/{template}.txt", **context))
    msg.add_alternative(render_template(f"email/{template}.html", **context), subtype="html")
    cfg = current_app.config
    if cfg["MAIL_SERVER"]:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
        log.info("mail sent: %s", template)
    else:
        folder = outbox_path()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{template}.eml"
        path.write_bytes(bytes(msg))
        log.info("mail written to outbox: %s (%s)", path.name, template)
    return msg
