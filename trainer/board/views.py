"""The board's overview (/board), reach (/board/reach) and their CSV exports."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.activities.forms import DecisionForm
from trainer.activities.labels import KIND_LABELS
from trainer.audit import services as audit
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


def stage_labels() -> dict[str, str]:
    return {
        rules.INTEREST: _("Intresseanmälan"),
        rules.INVITED: _("Inbjuden"),
        rules.IN_TRAINING: _("Under utbildning"),
        rules.TRAINED: _("Utbildning klar, väntar på godkännande"),
        rules.CERTIFIED: _("Certifierad"),
        rules.IN_GROUP: _("I en arbetsgrupp"),
    }


@bp.route("")
def overview():
    now = utcnow()
    pipe = services.pipeline(now)
    labels = stage_labels()
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


EXPORTS = ("ready", "pipeline", "decisions", "places", "districts")


@bp.route("/export/<name>.csv")
def export(name: str):
    if name not in EXPORTS:
        abort(404)
    now = utcnow()
    header, rows = _export_rows(name, now)
    audit.record(f"export.board.{name}", actor_id=current_user.id, detail=f"{len(rows)} rader")
    db.session.commit()
    return csv_response(f"styrelsen-{name}-{now:%Y-%m-%d}.csv", header, rows)


def _export_rows(name: str, now):
    if name == "ready":
        return (
            [
                _("Namn"),
                _("E-post"),
                _("Telefon"),
                _("Certifierad"),
                _("Giltig till"),
                _("Intresserad av"),
                _("Väntat (dagar)"),
            ],
            [
                [
                    r.user.full_name,
                    r.user.email,
                    r.user.phone,
                    r.certified_at.date(),
                    r.valid_until.date(),
                    ", ".join(g.name for g in r.interests),
                    r.waited_days,
                ]
                for r in services.ready_to_assign(now)
            ],
        )
    if name == "pipeline":
        pipe = services.pipeline(now)
        labels = stage_labels()
        return (
            [_("Intag (månad)")] + [labels[st] for st in rules.PIPELINE],
            [
                [month] + [counts[st] for st in rules.PIPELINE]
                for month, counts in pipe.by_month.items()
            ],
        )
    if name == "decisions":
        d = services.needs_decision(now)
        rows = [
            [_("Väntar på godkännande"), a.title, a.workgroup.name, a.starts_at]
            for a in d.approvals
        ]
        rows += [
            [_("Under minsta antal volontärer"), a.title, a.workgroup.name, a.starts_at]
            for a, _n in d.below_minimum
        ]
        rows += [
            [_("Saknar utvärdering"), a.title, a.workgroup.name, a.starts_at]
            for a in d.missing_evaluation
        ]
        rows += [
            [_("Obesvarad intresseanmälan"), ap.name, "", ap.created_at] for ap in d.applicants
        ]
        return [_("Vad"), _("Titel eller namn"), _("Arbetsgrupp"), _("Datum")], rows
    r = services.reach(now)
    if name == "places":
        return (
            [_("Plats"), _("Område"), _("Typ"), _("Aktiviteter i år"), _("Senast")],
            [
                [
                    p.place.name,
                    p.place.district.name,
                    PLACE_KIND_LABELS.get(p.place.kind, p.place.kind),
                    p.activities,
                    p.last,
                ]
                for p in r.reached + r.not_reached
            ],
        )
    return (
        [
            _("Område"),
            _("Aktiviteter i år"),
            _("Personer nådda i år"),
            _("Ingen aktivitet på sex månader"),
        ],
        [[d, n, r.people_by_district[d], d in r.quiet_districts] for d, n in r.by_district.items()],
    )
