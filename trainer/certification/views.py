from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.auth.models import User
from trainer.certification import services
from trainer.extensions import db
from trainer.timeutil import utcnow
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


@bp.route("/certificate")
def certificate():
    cert = services.own_certification(current_user)
    return render_template(
        "certification/certificate.html",
        cert=cert,
        person=current_user,
        status=services.status_of(cert, utcnow()),
        code=services.format_code(cert.code),
        verify_url=current_app.config["BASE_URL"].rstrip("/")
        + url_for("certification.verify", code=services.format_code(cert.code)),
        form=FlaskForm(),
    )


@bp.route("/certificate/<int:cert_id>/show-name", methods=["POST"])
def show_name(cert_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    show = request.form.get("show") == "1"
    run_action(
        lambda: services.set_show_name(current_user, cert_id, show),
        _("Ditt namn visas nu på kontrollsidan.")
        if show
        else _("Ditt namn visas inte längre på kontrollsidan."),
    )
    return redirect(url_for("certification.certificate"))


@bp.route("/verify", methods=["GET", "POST"])
def verify_form():
    g.private = True
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        code = services.normalise_code(request.form.get("code", ""))[:32]
        if code:
            return redirect(url_for("certification.verify", code=services.format_code(code)))
    return render_template("certification/verify_form.html", form=form)


@bp.route("/verify/<code>")
def verify(code: str):
    """Minimal disclosure: valid or not, until when, what it covers; her name only if she
    chose to show it. An unknown code looks like any other unknown page."""
    g.private = True
    cert = services.by_code(code)
    if cert is None:
        return render_template("certification/verify.html", cert=None), 404
    return render_template(
        "certification/verify.html",
        cert=cert,
        status=services.status_of(cert, utcnow()),
        holder=db.session.get(User, cert.user_id) if cert.show_name else None,
    )
