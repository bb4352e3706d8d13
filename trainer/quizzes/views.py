from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.content.payload import from_payload
from trainer.errors import NotAllowed
from trainer.extensions import db
from trainer.learning import services as learning
from trainer.quizzes import services

bp = Blueprint("quizzes", __name__)


@bp.route("/modules/<slug>/quiz", methods=["GET", "POST"])
def take(slug: str):
    version, module = learning.current_module(slug)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        services.start_attempt(current_user, slug)
        db.session.commit()
        return redirect(url_for("quizzes.take", slug=slug))
    attempt = services.open_attempt(current_user, version.id)
    if attempt is None:  # an attempt already open may always be finished
        try:
            services.quiz_gate(current_user, slug)
        except NotAllowed as e:
            return render_template("quizzes/locked.html", module=module, message=str(e)), 403
    questions = {q.id: q for q in module.questions}
    return render_template(
        "quizzes/take.html",
        module=module,
        attempt=attempt,
        questions=questions,
        reflections=services.reflections_for(current_user, slug),
        form=form,
    )


@bp.route("/attempts/<int:attempt_id>", methods=["POST"])
def submit(attempt_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    attempt = services.submit_attempt(current_user, attempt_id, request.form.to_dict(flat=False))
    db.session.commit()
    if attempt.passed:
        flash(_("Bra jobbat! Du har klarat modulen."), "success")
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
def result(attempt_id: int):
    attempt = services.get_own_attempt(current_user, attempt_id)
    if attempt.state == "open":
        return redirect(url_for("quizzes.take", slug=attempt.module_version.slug))
    module = from_payload(attempt.module_version.payload)
    questions = {q.id: q for q in module.questions}
    answers = {a.question_id: a for a in attempt.answers}
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        module=module,
        questions=questions,
        answers=answers,
        reflections=services.reflections_for(current_user, module.slug),
        sections={s.id: s.title for s in module.sections},
    )
