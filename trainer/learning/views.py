from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.extensions import db
from trainer.learning import services
from trainer.timeutil import utcnow

bp = Blueprint("learning", __name__)


@bp.route("/me")
def overview():
    from trainer.certification import services as certification

    now = utcnow()
    where = certification.standing(current_user, now)
    statuses, resume = services.overview(current_user, since=where.since)
    return render_template(
        "learning/overview.html",
        statuses=statuses,
        resume=resume,
        pledge=where.pledge_at,
        s=where,
    )


@bp.route("/me/continue")
def resume():
    from trainer.certification.services import retake_since_for

    _statuses, target = services.overview(current_user, since=retake_since_for(current_user))
    if target is None:
        return redirect(url_for("learning.overview"))
    if target.next_section:
        return redirect(
            url_for("learning.section", slug=target.slug, section_id=target.next_section)
        )
    return redirect(url_for("quizzes.take", slug=target.slug))


@bp.route("/modules/<slug>")
def module(slug: str):
    version, mod = services.current_module(slug)
    services.ensure_unlocked(current_user, mod)
    read = services.read_sections(current_user, version.id)
    return render_template(
        "learning/module.html",
        module=mod,
        version=version,
        read=read,
        next_section=next((s.id for s in mod.sections if s.id not in read), None),
    )


@bp.route("/modules/<slug>/<section_id>", methods=["GET", "POST"])
def section(slug: str, section_id: str):
    version, mod = services.current_module(slug)
    services.ensure_unlocked(current_user, mod)
    ids = [s.id for s in mod.sections]
    if section_id not in ids:
        abort(404)
    i = ids.index(section_id)
    form = FlaskForm()
    if form.validate_on_submit():
        services.mark_read(current_user, version.id, section_id)
        db.session.commit()
        if i + 1 < len(ids):
            return redirect(url_for("learning.section", slug=slug, section_id=ids[i + 1]))
        return redirect(url_for("quizzes.take", slug=slug))
    read = services.read_sections(current_user, version.id)
    return render_template(
        "learning/section.html",
        module=mod,
        section=mod.sections[i],
        index=i,
        total=len(ids),
        prev_id=ids[i - 1] if i else None,
        is_last=i + 1 == len(ids),
        read=read,
        form=form,
    )


@bp.route("/course-files/<folder>/<path:name>")
def asset(folder: str, name: str):
    root = Path(current_app.config["COURSES_PATH"])
    if folder not in {p.name for p in root.iterdir() if p.is_dir()} or name in (
        "module.md",
        "quiz.yaml",
    ):
        abort(404)
    return send_from_directory(root / folder, name)
