from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.activities import services as activities
from trainer.activities.labels import KIND_LABELS, STATE_LABELS
from trainer.applicants.forms import ConfirmForm
from trainer.timeutil import utcnow
from trainer.web import run_action
from trainer.workgroups import services
from trainer.workgroups.forms import GroupForm, PlaceMemberForm, RoleForm
from trainer.workgroups.labels import ROLE_LABELS

bp = Blueprint("workgroups", __name__, url_prefix="/workgroups")


def _back(slug: str):
    return redirect(url_for("workgroups.show", slug=slug))


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.route("")
def index():
    return render_template(
        "workgroups/index.html",
        groups=services.overview(current_user),
        eligible=services.eligible(current_user, utcnow()),
        is_board=services.is_board(current_user),
        form=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = GroupForm()
    if form.validate_on_submit():
        created = []
        if run_action(
            lambda: created.append(
                services.create_workgroup(current_user, form.name.data, form.purpose.data or "")
            ),
            _("Gruppen är skapad."),
        ):
            return _back(created[0].slug)
    return render_template("workgroups/edit.html", form=form, group=None), (
        400 if form.errors else 200
    )


@bp.route("/<slug>")
def show(slug: str):
    now = utcnow()
    info = services.group_page(current_user, slug, now)
    upcoming, past = activities.group_activities(info.group, current_user, now)
    place_form = None
    if info.viewer_is_board and info.group.archived_at is None:
        place_form = PlaceMemberForm()
        place_form.user_id.choices = [
            SelectChoice(p.id, f"{p.full_name} ({p.email})")
            for p in services.placeable(info.group.id, now)
        ]
    return render_template(
        "workgroups/show.html",
        info=info,
        group=info.group,
        upcoming=upcoming,
        past=past,
        counts=activities.counts_for([a.id for a in upcoming], now),
        form=ConfirmForm(),
        place_form=place_form,
        role_form=RoleForm(),
        role_labels=ROLE_LABELS,
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    group = services.get_by_slug(slug)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        if run_action(
            lambda: services.update_workgroup(
                current_user, group.id, form.name.data, form.purpose.data or ""
            ),
            _("Gruppen är sparad."),
        ):
            return _back(slug)
    return render_template("workgroups/edit.html", form=form, group=group), (
        400 if form.errors else 200
    )


@bp.route("/<slug>/archive", methods=["POST"])
def archive(slug: str):
    group = services.get_by_slug(slug)
    _confirmed()
    run_action(
        lambda: services.set_archived(current_user, group.id, group.archived_at is None),
        _("Gruppen är arkiverad.") if group.archived_at is None else _("Gruppen är aktiv igen."),
    )
    return _back(slug)


@bp.route("/<slug>/join", methods=["POST"])
def join(slug: str):
    group = services.get_by_slug(slug)
    _confirmed()
    run_action(
        lambda: services.request_to_join(current_user, group.id),
        _("Tack! Din förfrågan är skickad. Gruppens sammankallande eller styrelsen svarar."),
    )
    return _back(slug)


@bp.route("/<slug>/leave", methods=["POST"])
def leave(slug: str):
    group = services.get_by_slug(slug)
    _confirmed()
    run_action(lambda: services.leave(current_user, group.id), _("Du har lämnat gruppen."))
    return _back(slug)


def _decide(slug: str, membership_id: int, accept: bool):
    services.get_by_slug(slug)
    _confirmed()
    run_action(
        lambda: services.decide_request(current_user, membership_id, accept),
        _("Hon är nu medlem i gruppen.") if accept else _("Förfrågan är avböjd."),
    )
    return _back(slug)


@bp.route("/<slug>/requests/<int:membership_id>/accept", methods=["POST"])
def accept(slug: str, membership_id: int):
    return _decide(slug, membership_id, True)


@bp.route("/<slug>/requests/<int:membership_id>/decline", methods=["POST"])
def decline(slug: str, membership_id: int):
    return _decide(slug, membership_id, False)


@bp.route("/<slug>/members", methods=["POST"])
def place(slug: str):
    group = services.get_by_slug(slug)
    form = PlaceMemberForm()
    form.user_id.choices = [
        SelectChoice(p.id, p.full_name) for p in services.placeable(group.id, utcnow())
    ]
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: services.place_member(current_user, group.id, form.user_id.data, form.role.data),
        _("Personen är placerad i gruppen."),
    )
    return _back(slug)


@bp.route("/<slug>/members/<int:membership_id>/role", methods=["POST"])
def set_role(slug: str, membership_id: int):
    services.get_by_slug(slug)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: services.set_role(current_user, membership_id, form.role.data),
        _("Rollen är ändrad."),
    )
    return _back(slug)


@bp.route("/<slug>/members/<int:membership_id>/remove", methods=["POST"])
def remove(slug: str, membership_id: int):
    services.get_by_slug(slug)
    _confirmed()
    run_action(
        lambda: services.remove_member(current_user, membership_id),
        _("Personen är inte längre med i gruppen."),
    )
    return _back(slug)
