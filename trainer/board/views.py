"""The board's overview (/board), reach (/board/reach) and their CSV exports."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.activities.forms import DecisionForm
from trainer.activities.labels import KIND_LABELS
from trainer.board import rules, services
from trainer.board.charts import Bar, bar_chart
from trainer.exports import csv_response
from trainer.extensions import db
from trainer.places.labels import PLACE_KIND_LABELS
from trainer.timeutil import utcnow
from trainer.trainers.services import stage_label
from trainer.web import run_action
from trainer.workgroups import services as groups

bp = Blueprint("board", __name__, url_prefix="/board")
READY_SHOWN = 50  # the page shows the 50 who waited longest; the CSV has everyone


@bp.route("")
def overview():
    now = utcnow()
    pipe = services.pipeline(now)
    labels = services.stage_labels()
    return render_template(
        "board/overview.html",
        ready=services.ready_to_assign(now),
        ready_shown=READY_SHOWN,
        groups=groups.active_workgroups(),
        pipe=pipe,
        labels=labels,
        chart=bar_chart(
            [Bar(labels[st], pipe.totals[st]) for st in rules.PIPELINE],
            _("Antal personer i varje steg"),
        ),
        decisions=services.needs_decision(now),
        decision_form=DecisionForm(),
        kind_labels=KIND_LABELS,
        stage_label=stage_label,
        form=FlaskForm(),
    )


@bp.route("/assign", methods=["POST"])
def assign():
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        user_id = int(request.form.get("user_id", ""))
        group_id = int(request.form.get("workgroup_id", ""))
    except ValueError:
        abort(400)
    run_action(
        lambda: groups.place_member(current_user, group_id, user_id),
        _("Volontären är placerad i arbetsgruppen."),
    )
    return redirect(url_for("board.overview") + "#ready-h")


@bp.route("/reach")
def reach():
    r = services.reach(utcnow())
    return render_template(
        "board/reach.html",
        r=r,
        district_chart=bar_chart(
            [Bar(k, v) for k, v in r.by_district.items()],
            _("Genomförda aktiviteter per område %(y)d", y=r.year),
        ),
        group_chart=bar_chart(
            [Bar(k, v) for k, v in r.by_group.items()],
            _("Genomförda aktiviteter per arbetsgrupp %(y)d", y=r.year),
        ),
        place_kinds=PLACE_KIND_LABELS,
    )


@bp.route("/export/<name>.csv")
def export(name: str):
    if name not in services.EXPORTS:
        abort(404)
    now = utcnow()
    header, rows = services.export_rows(current_user, name, now)
    db.session.commit()  # the audit entry
    return csv_response(f"styrelsen-{name}-{now:%Y-%m-%d}.csv", header, rows)
