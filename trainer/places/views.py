"""A minimal register of districts and places for the board (the board's fuller place
pages can grow from here)."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.applicants.forms import ConfirmForm
from trainer.places import services
from trainer.places.forms import DistrictEditForm, DistrictForm, PlaceForm
from trainer.places.labels import PLACE_KIND_LABELS
from trainer.web import run_action

bp = Blueprint("places", __name__)


def _place_form() -> PlaceForm:
    form = PlaceForm()
    form.district_id.choices = [SelectChoice(d.id, d.name) for d in services.districts()]
    return form


@bp.route("/board/places")
def index():
    return render_template(
        "places/index.html",
        districts=services.districts(include_archived=True),
        places=services.places(include_archived=True),
        place_form=_place_form(),
        district_form=DistrictForm(),
        form=ConfirmForm(),
        kind_labels=PLACE_KIND_LABELS,
    )


@bp.route("/board/places", methods=["POST"])
def add():
    form = _place_form()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: services.add_place(
            current_user, form.name.data, form.district_id.data, form.kind.data
        ),
        _("Platsen är tillagd."),
    )
    return redirect(url_for("places.index"))


@bp.route("/board/places/<int:place_id>/archive", methods=["POST"])
def archive(place_id: int):
    place = services.get_place(place_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    run_action(
        lambda: services.set_place_archived(current_user, place.id, place.archived_at is None),
        _("Platsen är arkiverad.") if place.archived_at is None else _("Platsen är aktiv igen."),
    )
    return redirect(url_for("places.index"))


@bp.route("/board/districts", methods=["POST"])
def add_district():
    form = DistrictForm()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: services.add_district(current_user, form.name.data),
        _("Kommundelen är tillagd."),
    )
    return redirect(url_for("places.index"))


@bp.route("/board/places/<int:place_id>/edit", methods=["GET", "POST"])
def edit(place_id: int):
    place = services.get_place(place_id)
    form = _place_form()
    if place.district.archived_at is not None:  # keep its current district selectable
        form.district_id.choices.append(SelectChoice(place.district_id, place.district.name))
    if form.validate_on_submit():
        if run_action(
            lambda: services.update_place(
                current_user, place.id, form.name.data, form.district_id.data, form.kind.data
            ),
            _("Platsen är ändrad."),
        ):
            return redirect(url_for("places.index"))
        return redirect(url_for("places.edit", place_id=place.id))
    form.name.data, form.district_id.data, form.kind.data = (
        place.name,
        place.district_id,
        place.kind,
    )
    return render_template("places/edit.html", form=form, title=_("Ändra %(n)s", n=place.name))


@bp.route("/board/districts/<int:district_id>/edit", methods=["GET", "POST"])
def edit_district(district_id: int):
    district = services.get_district(district_id)
    form = DistrictEditForm()
    if form.validate_on_submit():
        if run_action(
            lambda: services.update_district(
                current_user, district.id, form.name.data, bool(form.archived.data)
            ),
            _("Kommundelen är ändrad."),
        ):
            return redirect(url_for("places.index"))
        return redirect(url_for("places.edit_district", district_id=district.id))
    if not form.is_submitted():
        form.name.data, form.archived.data = district.name, district.archived_at is not None
    return render_template("places/edit.html", form=form, title=_("Ändra %(n)s", n=district.name))
