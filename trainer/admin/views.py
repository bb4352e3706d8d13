import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.admin.forms import RolesForm
from trainer.applicants.forms import ConfirmForm
from trainer.audit.models import AuditEvent
from trainer.audit.services import record
from trainer.auth import services as auth
from trainer.auth.models import User
from trainer.extensions import db
from trainer.web import run_action

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE = 50


@bp.route("/users")
def users():
    people = db.session.scalars(sa.select(User).order_by(User.full_name)).all()
    return render_template("admin/users.html", people=people)


def _get(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    person = _get(user_id)
    record("user.viewed", actor_id=current_user.id, target_user_id=person.id)
    db.session.commit()
    history = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.target_user_id == person.id,
            AuditEvent.action.in_(
                [
                    "roles.changed",
                    "user.deactivated",
                    "user.reactivated",
                    "user.created",
                    "user.invited",
                ]
            ),
        )
        .order_by(AuditEvent.created_at.desc())
    ).all()
    form = RolesForm(roles=sorted(person.role_names))
    return render_template(
        "admin/user.html", person=person, form=form, confirm=ConfirmForm(), history=history
    )


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
def set_roles(user_id: int):
    person = _get(user_id)
    form = RolesForm()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: auth.set_roles(person, form.roles.data or [], actor=current_user),
        _("Rollerna är sparade."),
    )
    return redirect(url_for("admin.user", user_id=user_id))


def _toggle(user_id: int, fn, message: str):
    person = _get(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    run_action(lambda: fn(person, actor=current_user), message)
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    return _toggle(user_id, auth.deactivate, _("Kontot är avstängt."))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    return _toggle(user_id, auth.reactivate, _("Kontot är aktiverat igen."))


@bp.route("/users/<int:user_id>/protected", methods=["POST"])
def protected(user_id: int):
    person = _get(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    auth.set_protected_identity(person, request.form.get("protected") == "1", actor=current_user)
    db.session.commit()
    flash(_("Uppgiften om skyddad identitet är sparad."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/audit")
def audit():
    page = max(request.args.get("page", 1, type=int), 1)
    stmt = sa.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    events = list(db.session.scalars(stmt.limit(PAGE + 1).offset((page - 1) * PAGE)))
    ids = {e.actor_id for e in events} | {e.target_user_id for e in events}
    names = {
        i: n
        for i, n in db.session.execute(
            sa.select(User.id, User.full_name).where(User.id.in_(ids - {None}))
        )
    }
    return render_template(
        "admin/audit.html", events=events[:PAGE], names=names, page=page, more=len(events) > PAGE
    )


@bp.route("/users/<int:user_id>/erase", methods=["POST"])
def erase(user_id: int):
    from trainer.privacy import services as privacy

    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("understood") != "y":
        flash(_("Kryssa i att du förstår att det inte går att ångra."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    run_action(
        lambda: privacy.erase(current_user, user_id),
        _("Personens uppgifter är raderade. Statistiken finns kvar utan namn."),
    )
    return redirect(url_for("admin.user", user_id=user_id))
