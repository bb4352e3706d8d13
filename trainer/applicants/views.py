from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.applicants import services
from trainer.applicants.forms import ConfirmForm, InterestForm, InviteEmailForm
from trainer.extensions import db
from trainer.web import run_action

bp = Blueprint("applicants", __name__)


@bp.route("/interest", methods=["GET", "POST"])
def interest():
    form = InterestForm()
    form.interests.choices = [SelectChoice(str(g.id), g.name) for g in services.active_workgroups()]
    if form.validate_on_submit():
        services.register_interest(
            name=form.name.data,
            email=form.email.data,
            phone=form.phone.data,
            interest_ids=form.interests.data or [],
            heard_from=form.heard_from.data or "",
            motivation=form.motivation.data,
        )
        db.session.commit()
        return redirect(url_for("applicants.thanks"))
    return render_template("applicants/interest.html", form=form), (400 if form.errors else 200)


@bp.route("/interest/thanks")
def thanks():
    return render_template("applicants/thanks.html")


@bp.route("/applicants")
def list():  # noqa: A001 (endpoint name)
    return render_template(
        "applicants/list.html",
        applicants=services.list_applicants(),
        form=ConfirmForm(),
        invite_form=InviteEmailForm(),
    )


def _act(fn, applicant_id: int, message: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    run_action(lambda: fn(applicant_id, actor=current_user), message)
    return redirect(url_for("applicants.list"))


@bp.route("/applicants/<int:applicant_id>/invite", methods=["POST"])
def invite(applicant_id: int):
    return _act(services.invite_applicant, applicant_id, _("Inbjudan är skickad."))


@bp.route("/applicants/<int:applicant_id>/decline", methods=["POST"])
def decline(applicant_id: int):
    return _act(services.decline_applicant, applicant_id, _("Anmälan är avböjd och borttagen."))


@bp.route("/applicants/invite", methods=["POST"])
def invite_email():
    form = InviteEmailForm()
    if form.validate_on_submit():
        roles = form.role.data or ["volunteer"]
        run_action(
            lambda: services.invite_person(
                form.email.data, form.name.data, roles, actor=current_user
            ),
            _("Inbjudan är skickad."),
        )
        return redirect(url_for("applicants.list"))
    return render_template(
        "applicants/list.html",
        applicants=services.list_applicants(),
        form=ConfirmForm(),
        invite_form=form,
    ), 400
