"""The trainers' pages: to do, matrix (+ CSV), one volunteer, question statistics."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.certification import rules
from trainer.certification import services as certification
from trainer.exports import csv_response
from trainer.extensions import db
from trainer.learning.services import catalog
from trainer.timeutil import utcnow
from trainer.trainers import services
from trainer.trainers.forms import DecisionForm, NoteForm, RevokeForm
from trainer.web import run_action

bp = Blueprint("trainers", __name__, url_prefix="/trainer")


@bp.route("")
def todo():
    return render_template(
        "trainers/todo.html",
        todo=services.todo(utcnow()),
        stage_label=services.stage_label,
    )


@bp.route("/matrix")
def matrix():
    f = services.MatrixFilter.from_args(request.args)
    return render_template(
        "trainers/matrix.html",
        m=services.matrix(utcnow(), f),
        stages=rules.STAGES,
        stage_label=services.stage_label,
        cell_label=services.cell_label,
    )


@bp.route("/matrix.csv")
def matrix_csv():
    f = services.MatrixFilter.from_args(request.args)
    now = utcnow()
    header, rows = services.export_rows(current_user, now, f)
    db.session.commit()  # the audit entry
    return csv_response(f"utbildning-{now:%Y-%m-%d}.csv", header, rows)


@bp.route("/volunteers/<int:user_id>")
def volunteer(user_id: int):
    record = services.volunteer_record(current_user, user_id)
    db.session.commit()  # the audit entry
    return render_template(
        "trainers/volunteer.html",
        r=record,
        s=record.standing,
        person=record.standing.user,
        modules=list(catalog().modules),
        titles={m.slug: m.title for m in catalog().modules},
        decision_form=DecisionForm(),
        revoke_form=RevokeForm(),
        note_form=NoteForm(),
        stage_label=services.stage_label,
        cell_label=services.cell_label,
        status_of=lambda c: certification.status_of(c, utcnow()),
        format_code=certification.format_code,
        why_not_ready=certification.why_not_ready(record.standing),
    )


@bp.route("/volunteers/<int:user_id>/decision", methods=["POST"])
def decide(user_id: int):
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    decision = form.decision.data
    run_action(
        lambda: certification.decide(
            current_user,
            user_id,
            decision,
            comment=form.comment.data or "",
            note=form.note.data or "",
        ),
        _("Hon är godkänd och har fått sitt certifikat.")
        if decision == rules.APPROVED
        else _("Beslutet är sparat. Hon ser vad hon behöver repetera på Min utbildning."),
    )
    return redirect(url_for("trainers.volunteer", user_id=user_id))


@bp.route("/certifications/<int:cert_id>/revoke", methods=["POST"])
def revoke(cert_id: int):
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    cert = certification.get_certification(cert_id)
    run_action(
        lambda: certification.revoke(current_user, cert_id, form.reason.data),
        _("Certifikatet är återkallat."),
    )
    return redirect(url_for("trainers.volunteer", user_id=cert.user_id))


@bp.route("/volunteers/<int:user_id>/notes", methods=["POST"])
def add_note(user_id: int):
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: certification.add_note(current_user, user_id, form.text.data),
        _("Anteckningen är sparad."),
    )
    return redirect(url_for("trainers.volunteer", user_id=user_id) + "#notes")


@bp.route("/volunteers/<int:user_id>/reflections-read", methods=["POST"])
def reflections_read(user_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    run_action(
        lambda: services.mark_reflections_read(current_user, user_id),
        _("Reflektionerna är markerade som lästa."),
    )
    return redirect(url_for("trainers.volunteer", user_id=user_id) + "#reflections")


@bp.route("/questions/<slug>")
def questions(slug: str):
    versions = services.versions_of(slug)
    wanted = request.args.get("version", type=int)
    version = next((v for v in versions if v.version == wanted), versions[0])
    module, attempts, stats = services.question_stats(version)
    return render_template(
        "trainers/questions.html",
        module=module,
        version=version,
        versions=versions,
        attempts=attempts,
        stats=stats,
        sections={s.id: s.title for s in module.sections},
    )
