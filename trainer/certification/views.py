from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.certification import services
from trainer.web import run_action

bp = Blueprint("certification", __name__)


@bp.route("/pledge", methods=["GET", "POST"])
def pledge():
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            version = int(request.form.get("version", ""))
        except ValueError:
            version = -1
        if run_action(
            lambda: services.accept_pledge(current_user, version),
            _("Tack! Du har godkänt tystnadslöftet."),
        ):
            return redirect(url_for("learning.overview"))
        return redirect(url_for("certification.pledge"))
    return render_template(
        "certification/pledge.html",
        pledge=services.current_pledge(),
        accepted=services.accepted_current(current_user),
        form=form,
    )
