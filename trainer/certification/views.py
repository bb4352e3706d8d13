from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.certification import services
from trainer.errors import TrainerError
from trainer.extensions import db

bp = Blueprint("certification", __name__)


@bp.route("/pledge", methods=["GET", "POST"])
def pledge():
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            version = int(request.form.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.accept_pledge(current_user, version)
        except TrainerError as e:
            db.session.rollback()
            flash(str(e), "error")
            return redirect(url_for("certification.pledge"))
        db.session.commit()
        flash(_("Tack! Du har godkänt tystnadslöftet."), "success")
        return redirect(url_for("learning.overview"))
    return render_template(
        "certification/pledge.html",
        pledge=services.current_pledge(),
        accepted=services.accepted_current(current_user),
        form=form,
    )
