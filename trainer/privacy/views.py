"""Her own data, downloaded as JSON from Mitt konto."""

import json

from flask import Blueprint, Response
from flask_login import current_user

from trainer.extensions import db
from trainer.privacy import services
from trainer.timeutil import utcnow

bp = Blueprint("privacy", __name__)


@bp.route("/account/export.json")
def export():
    now = utcnow()
    data = services.export_for(current_user, now=now)
    db.session.commit()  # the audit entry
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="mina-uppgifter-{now:%Y-%m-%d}.json"'
        },
    )
