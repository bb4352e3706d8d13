"""The board's overview: who is ready to be assigned, the pipeline, what needs a decision,
and reach across Botkyrka. Reads only; every list costs a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from trainer.activities import rules as activity_rules
from trainer.activities import services as activities
from trainer.activities.models import Activity, Evaluation
from trainer.applicants.models import Applicant, applicant_interest
from trainer.audit import services as audit
from trainer.auth.models import User
from trainer.board import rules
from trainer.certification import rules as cert_rules
from trainer.certification import services as certification
from trainer.certification.models import Certification
from trainer.extensions import db
from trainer.places.labels import PLACE_KIND_LABELS
from trainer.places.models import District, Place
from trainer.timeutil import to_local
from trainer.workgroups import rules as group_rules
from trainer.workgroups.models import Membership, Workgroup

DONE = (activity_rules.CARRIED_OUT, activity_rules.EVALUATED)


# --- ready to be assigned --------------------------------------------------------------------


@dataclass
class ReadyRow:
    user: User
    certified_at: datetime
    valid_until: datetime
    interests: list[Workgroup]
    waited_days: int
    requested: list[Workgroup] = field(default_factory=list)  # groups she asked to join


def ready_to_assign(now: datetime) -> list[ReadyRow]:
    """Volunteers with a current certification who are in no (open) workgroup, longest
    waiting first, with the groups they said interested them and any they asked to join.
    A fixed number of queries however many."""
    certs = {
        c.user_id: c
        for c in db.session.scalars(
            sa.select(Certification)
            .where(
                Certification.revoked_at.is_(None),
                Certification.valid_until > now,
            )
            .order_by(Certification.issued_at)
        )
    }
    memberships = db.session.execute(
        sa.select(Membership.user_id, Membership.state, Membership.workgroup_id)
        .join(Workgroup, Workgroup.id == Membership.workgroup_id)
        .where(
            Membership.state.in_((group_rules.ACTIVE, group_rules.REQUESTED)),
            Workgroup.archived_at.is_(None),  # an archived group is no group
        )
    ).all()
    in_group = {uid for uid, state, _g in memberships if state == group_rules.ACTIVE}
    wanted_ids = [uid for uid in certs if uid not in in_group]
    if not wanted_ids:
        return []
    groups = {g.id: g for g in db.session.scalars(sa.select(Workgroup))}
    requested: dict[int, list[Workgroup]] = {}
    for uid, state, gid in memberships:
        if state == group_rules.REQUESTED and gid in groups:
            requested.setdefault(uid, []).append(groups[gid])
    users = db.session.scalars(
        sa.select(User)
        .options(lazyload(User.roles))
        .where(User.id.in_(wanted_ids), User.active.is_(True))
    ).all()
    interests: dict[int, list[Workgroup]] = {}
    for uid, gid in db.session.execute(
        sa.select(Applicant.user_id, applicant_interest.c.workgroup_id)
        .join(applicant_interest, applicant_interest.c.applicant_id == Applicant.id)
        .where(Applicant.user_id.in_(wanted_ids))
    ):
        if gid in groups and groups[gid].archived_at is None:
            interests.setdefault(uid, []).append(groups[gid])
    rows = [
        ReadyRow(
            user=u,
            certified_at=certs[u.id].issued_at,
            valid_until=certs[u.id].valid_until,
            interests=interests.get(u.id, []),
            waited_days=rules.waited_days(certs[u.id].issued_at, now),
            requested=requested.get(u.id, []),
        )
        for u in users
    ]
    rows.sort(key=lambda r: (-r.waited_days, r.user.full_name))
    return rows


# --- pipeline ------------------------------------------------------------------------------


@dataclass
class Pipeline:
    totals: dict[str, int]
    by_month: dict[str, dict[str, int]]  # "2026-09" -> stage -> count
    median_days_to_certification: float | None
    expiring: list[certification.Standing]


def pipeline(now: datetime) -> Pipeline:
    """Counts per stage, overall and by intake month; median days from invitation to
    (first) certification; certifications running out within the expiring window."""
    standings = certification.standings(now)
    active_members = set(
        db.session.scalars(
            sa.select(Membership.user_id)
            .join(Workgroup, Workgroup.id == Membership.workgroup_id)
            .where(Membership.state == group_rules.ACTIVE, Workgroup.archived_at.is_(None))
        )
    )
    applicants = db.session.execute(
        sa.select(Applicant.user_id, Applicant.created_at, Applicant.invited_at)
    ).all()
    first_cert = dict(
        db.session.execute(
            sa.select(Certification.user_id, sa.func.min(Certification.issued_at)).group_by(
                Certification.user_id
            )
        ).all()
    )
    applied = {uid: (created, invited) for uid, created, invited in applicants if uid}
    by_month: dict[str, Counter] = {}
    totals: Counter = Counter()

    def count(stage: str, when: datetime) -> None:
        totals[stage] += 1
        by_month.setdefault(rules.month_key(to_local(when)), Counter())[stage] += 1

    for uid, created, _invited in applicants:
        if uid is None:
            count(rules.INTEREST, created)
    pairs = []
    for s in standings.values():
        started = any(c.sections_read or c.attempts for c in s.cells.values())
        stage = rules.pipeline_stage(
            has_account=True,
            started=started,
            cert_stage=s.stage,
            in_group=s.user.id in active_members,
        )
        created, invited = applied.get(s.user.id, (s.user.created_at, s.user.created_at))
        count(stage, created)
        if s.user.id in first_cert:
            pairs.append((invited or s.user.created_at, first_cert[s.user.id]))
    expiring = sorted(
        (s for s in standings.values() if s.stage == cert_rules.EXPIRING),
        key=lambda s: s.certification.valid_until,
    )
    return Pipeline(
        totals={st: totals.get(st, 0) for st in rules.PIPELINE},
        by_month={
            m: {st: c.get(st, 0) for st in rules.PIPELINE}
            for m, c in sorted(by_month.items(), reverse=True)
        },
        median_days_to_certification=rules.median_days(pairs),
        expiring=expiring,
    )


# --- needs a decision ---------------------------------------------------------------------------


@dataclass
class Decisions:
    approvals: list[Activity]
    approval_counts: dict[int, tuple[int, int, int]]
    below_minimum: list[tuple[Activity, int]]
    missing_evaluation: list[Activity]
    applicants: list[Applicant]


def needs_decision(now: datetime) -> Decisions:
    queue = activities.approval_queue()
    return Decisions(
        approvals=queue,
        approval_counts=activities.counts_for([a.id for a in queue], now),
        below_minimum=activities.below_minimum(now, 14),
        missing_evaluation=activities.missing_evaluation(now),
        applicants=list(
            db.session.scalars(
                sa.select(Applicant)
                .where(Applicant.invited_at.is_(None), Applicant.user_id.is_(None))
                .order_by(Applicant.created_at)
            )
        ),
    )


# --- reach -------------------------------------------------------------------------------------


@dataclass
class PlaceRow:
    place: Place
    activities: int
    last: datetime | None


@dataclass
class Reach:
    year: int
    by_district: dict[str, int]
    by_group: dict[str, int]
    people_by_district: dict[str, int]
    people_reached: int
    reached: list[PlaceRow]
    not_reached: list[PlaceRow]
    quiet_districts: list[str]


def reach(now: datetime) -> Reach:
    """For the current year (Swedish time): activities carried out per district and per
    workgroup, places reached and not, people reached according to the evaluations, and
    districts with no activity carried out in the last six months. Five queries."""
    local = to_local(now)
    year = local.year
    start = datetime(year, 1, 1)  # close enough in UTC for a yearly overview
    districts = list(
        db.session.scalars(
            sa.select(District)
            .where(District.archived_at.is_(None))
            .order_by(District.position, District.name)
        )
    )
    groups = list(db.session.scalars(sa.select(Workgroup).order_by(Workgroup.id)))
    done = db.session.execute(
        sa.select(
            Activity.id,
            Activity.district_id,
            Activity.workgroup_id,
            Activity.place_id,
            Activity.starts_at,
            Evaluation.people_reached,
        )
        .outerjoin(Evaluation, Evaluation.activity_id == Activity.id)
        .where(Activity.state.in_(DONE), Activity.starts_at <= now)
    ).all()
    places = list(
        db.session.scalars(sa.select(Place).where(Place.archived_at.is_(None)).order_by(Place.name))
    )
    district_name = {d.id: d.name for d in districts}
    by_district = Counter()
    by_group = Counter()
    people_by_district = Counter()
    place_count = Counter()
    place_last: dict[int, datetime] = {}
    last_in_district: dict[str, datetime] = {}
    people = 0
    for _id, district_id, group_id, place_id, starts, reached in done:
        name = district_name.get(district_id)
        if name:
            last_in_district[name] = max(last_in_district.get(name, starts), starts)
        if starts < start:
            continue
        if name:
            by_district[name] += 1
            people_by_district[name] += reached or 0
        by_group[group_id] += 1
        people += reached or 0
        if place_id:
            place_count[place_id] += 1
            place_last[place_id] = max(place_last.get(place_id, starts), starts)
    rows = [PlaceRow(p, place_count.get(p.id, 0), place_last.get(p.id)) for p in places]
    return Reach(
        year=year,
        by_district={d.name: by_district.get(d.name, 0) for d in districts},
        by_group={g.name: by_group.get(g.id, 0) for g in groups if g.archived_at is None},
        people_by_district={d.name: people_by_district.get(d.name, 0) for d in districts},
        people_reached=people,
        reached=[r for r in rows if r.activities],
        not_reached=[r for r in rows if not r.activities],
        quiet_districts=rules.quiet_districts([d.name for d in districts], last_in_district, now),
    )


# --- labels and exports ------------------------------------------------------------------

EXPORTS = ("ready", "pipeline", "decisions", "places", "districts")


def stage_labels() -> dict[str, str]:
    return {
        rules.INTEREST: _("Intresseanmälan"),
        rules.INVITED: _("Inbjuden"),
        rules.IN_TRAINING: _("Under utbildning"),
        rules.TRAINED: _("Utbildning klar, väntar på godkännande"),
        rules.CERTIFIED: _("Certifierad"),
        rules.IN_GROUP: _("I en arbetsgrupp"),
    }


def export_rows(actor: User, name: str, now: datetime) -> tuple[list[str], list[list]]:
    """One of the board's lists (EXPORTS) as CSV rows; recorded in the audit log."""
    header, rows = _rows_for(name, now)
    audit.record(f"export.board.{name}", actor_id=actor.id, detail=f"{len(rows)} rader", now=now)
    return header, rows


def _rows_for(name: str, now: datetime) -> tuple[list[str], list[list]]:
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
                for r in ready_to_assign(now)
            ],
        )
    if name == "pipeline":
        pipe = pipeline(now)
        labels = stage_labels()
        return (
            [_("Intag (månad)")] + [labels[st] for st in rules.PIPELINE],
            [
                [month] + [counts[st] for st in rules.PIPELINE]
                for month, counts in pipe.by_month.items()
            ],
        )
    if name == "decisions":
        d = needs_decision(now)
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
    r = reach(now)
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
