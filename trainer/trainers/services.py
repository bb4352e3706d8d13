"""The trainers' view: the matrix, the to-do list, one volunteer's record, question
statistics and the export. Reads only, except the audit entries and reflections marked read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from trainer.audit import services as audit
from trainer.auth.models import User
from trainer.certification import rules
from trainer.certification import services as certification
from trainer.certification.models import PledgeAcceptance
from trainer.content.payload import from_payload
from trainer.content.schema import Module
from trainer.errors import NotFound
from trainer.extensions import db
from trainer.learning.models import ModuleVersion
from trainer.learning.services import catalog
from trainer.quizzes.models import AttemptAnswer, QuizAttempt, Reflection
from trainer.timeutil import to_local, utcnow

PAGE_SIZE = 50
SORTS = ("name", "intake", "progress", "activity", "stage")


@dataclass(frozen=True)
class MatrixFilter:
    q: str = ""
    stage: str = ""
    intake: str = ""  # "2026-09"
    sort: str = "name"
    desc: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> MatrixFilter:
        stage = args.get("stage", "")
        sort = args.get("sort", "name")
        try:
            page = max(1, int(args.get("page", "1")))
        except ValueError:
            page = 1
        intake = args.get("intake", "")
        if intake and not (
            len(intake) == 7 and intake[4] == "-" and intake.replace("-", "").isdigit()
        ):
            intake = ""
        return cls(
            q=args.get("q", "").strip()[:100],
            stage=stage if stage in rules.STAGES else "",
            intake=intake,
            sort=sort if sort in SORTS else "name",
            desc=args.get("dir") == "desc",
            page=page,
        )

    def args(self, **change) -> dict[str, str]:
        """Query arguments for a link that keeps the other filters."""
        values = {
            "q": self.q,
            "stage": self.stage,
            "intake": self.intake,
            "sort": self.sort,
            "dir": "desc" if self.desc else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({k: ("" if v is None else str(v)) for k, v in change.items()})
        return {k: v for k, v in values.items() if v}


@dataclass
class MatrixPage:
    rows: list[certification.Standing]
    total: int
    page: int
    pages: int
    stage_counts: dict[str, int]
    intakes: list[str]
    filters: MatrixFilter
    modules: list[Module] = field(default_factory=list)


def intake_of(user: User) -> str:
    return to_local(user.created_at).strftime("%Y-%m")


def _matches(s: certification.Standing, f: MatrixFilter) -> bool:
    if f.stage and s.stage != f.stage:
        return False
    if f.intake and intake_of(s.user) != f.intake:
        return False
    if f.q:
        needle = f.q.casefold()
        hay = f"{s.user.full_name} {s.user.display_name} {s.user.email}".casefold()
        if needle not in hay:
            return False
    return True


def _sort_key(sort: str):
    order = {st: i for i, st in enumerate(rules.STAGES)}
    return {
        "name": lambda s: (s.user.full_name.casefold(), s.user.id),
        "intake": lambda s: (s.user.created_at, s.user.id),
        "progress": lambda s: (s.passed_count, s.user.full_name.casefold()),
        "activity": lambda s: (s.last_activity, s.user.id),
        "stage": lambda s: (order.get(s.stage, 99), s.user.full_name.casefold()),
    }[sort]


def filtered(now: datetime, f: MatrixFilter) -> tuple[list[certification.Standing], dict, list]:
    everyone = list(certification.standings(now).values())
    counts = Counter(s.stage for s in everyone)
    intakes = sorted({intake_of(s.user) for s in everyone}, reverse=True)
    rows = [s for s in everyone if _matches(s, f)]
    rows.sort(key=_sort_key(f.sort), reverse=f.desc)
    return rows, dict(counts), intakes


def matrix(now: datetime, f: MatrixFilter) -> MatrixPage:
    """One page (at most 50 rows) of volunteers × modules. The queries are the same few
    however many volunteers there are; filtering and sorting run on the standings."""
    rows, counts, intakes = filtered(now, f)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(f.page, pages)
    start = (page - 1) * PAGE_SIZE
    return MatrixPage(
        rows=rows[start : start + PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=pages,
        stage_counts=counts,
        intakes=intakes,
        filters=f,
        modules=list(catalog().modules),
    )


def export_rows(actor: User, now: datetime, f: MatrixFilter) -> tuple[list[str], list[list]]:
    """The whole filtered matrix (every page) for CSV; recorded in the audit log. A person
    with protected identity is exported without her name."""
    rows, _counts, _intakes = filtered(now, f)
    modules = list(catalog().modules)
    header = [_("Namn"), _("Intag"), _("Läge"), _("Klara moduler")]
    for m in modules:
        header += [
            m.title,
            _("%(m)s: bästa resultat (%%)", m=m.title),
            _("%(m)s: datum", m=m.title),
        ]
    header += [_("Tystnadslöfte"), _("Certifierad"), _("Giltig till"), _("Senast aktiv")]
    out = []
    for s in rows:
        name = (
            _("Skyddad identitet (nr %(id)d)", id=s.user.id)
            if s.user.protected_identity
            else s.user.full_name
        )
        line: list = [name, intake_of(s.user), stage_label(s.stage), s.passed_count]
        for m in modules:
            c = s.cells[m.slug]
            line += [
                cell_label(c.state),
                round(c.best_score * 100) if c.best_score is not None else None,
                c.passed_at.date() if c.passed_at else None,
            ]
        cert = s.certification
        line += [
            s.pledge_at.date() if s.pledge_at else None,
            cert.issued_at.date() if cert else None,
            cert.valid_until.date() if cert else None,
            s.last_activity.date(),
        ]
        out.append(line)
    audit.record(
        "export.matrix",
        actor_id=actor.id,
        detail=f"{len(out)} rader; filter: {f.args(page=None)}",
        now=now,
    )
    return header, out


def stage_label(stage: str) -> str:
    return {
        rules.IN_TRAINING: _("Under utbildning"),
        rules.READY: _("Klar för godkännande"),
        rules.ASKED_TO_REPEAT: _("Behöver repetera"),
        rules.CERTIFIED: _("Certifierad"),
        rules.EXPIRING: _("Går snart ut"),
        rules.EXPIRED: _("Har gått ut"),
        rules.REVOKED: _("Återkallad"),
    }.get(stage, stage)


def cell_label(state: str) -> str:
    return {
        "passed": _("klar"),
        "retake": _("gör om"),
        "quiz_open": _("quiz öppet"),
        "reading": _("läser"),
        "not_started": _("ej påbörjad"),
    }.get(state, state)


# --- to do --------------------------------------------------------------------------------


@dataclass
class ReflectionItem:
    reflection: Reflection
    user: User
    module_title: str


@dataclass
class Todo:
    ready: list[certification.Standing]
    reflections: list[ReflectionItem]
    stalled: list[certification.Standing]
    expiring: list[certification.Standing]


def todo(now: datetime) -> Todo:
    """Ready for sign-off; reflections nobody has read; no progress for 30 days (or what
    TRAINER_INACTIVE_DAYS says); certifications about to run out."""
    everyone = certification.standings(now)
    idle = timedelta(days=current_app.config["INACTIVE_DAYS"])
    ready = sorted(
        (s for s in everyone.values() if s.stage == rules.READY),
        key=lambda s: s.last_activity,
    )
    stalled = sorted(
        (
            s
            for s in everyone.values()
            if s.stage in (rules.IN_TRAINING, rules.ASKED_TO_REPEAT, rules.EXPIRED)
            and now - s.last_activity >= idle
        ),
        key=lambda s: s.last_activity,
    )
    expiring = sorted(
        (s for s in everyone.values() if s.stage == rules.EXPIRING),
        key=lambda s: s.certification.valid_until if s.certification else now,
    )
    titles = {m.slug: m.title for m in catalog().modules}
    unread = db.session.execute(
        sa.select(Reflection, User)
        .join(User, User.id == Reflection.user_id)
        .where(Reflection.read_at.is_(None), User.active.is_(True))
        .order_by(Reflection.updated_at)
        .limit(200)
    ).all()
    return Todo(
        ready=ready,
        reflections=[
            ReflectionItem(r, u, titles.get(r.module_slug, r.module_slug)) for r, u in unread
        ],
        stalled=stalled,
        expiring=expiring,
    )


# --- one volunteer ------------------------------------------------------------------------


@dataclass
class Record:
    standing: certification.Standing
    attempts: list[QuizAttempt]
    modules: dict[int, Module]  # version id -> content, for the attempts' questions
    reflections: list[Reflection]
    pledges: list[PledgeAcceptance]
    certifications: list
    decisions: list
    notes: list
    names: dict[int, str]  # user id -> name, for trainers and authors


def volunteer_record(actor: User, user_id: int, now: datetime | None = None) -> Record:
    """Everything about one volunteer's training. Opening it is recorded in the audit log."""
    now = now or utcnow()
    user = db.session.get(User, user_id)
    if user is None or not user.has_role("volunteer"):
        raise NotFound(_("Volontären finns inte."))
    where = certification.standings(now, user_ids=[user.id])[user.id]
    attempts = list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id)
            .order_by(QuizAttempt.started_at.desc())
        )
    )
    versions = {a.module_version_id: a.module_version for a in attempts}
    modules = {vid: from_payload(v.payload) for vid, v in versions.items()}
    reflections = list(
        db.session.scalars(
            sa.select(Reflection)
            .where(Reflection.user_id == user.id)
            .order_by(Reflection.module_slug, Reflection.question_id)
        )
    )
    pledges = list(
        db.session.scalars(
            sa.select(PledgeAcceptance)
            .where(PledgeAcceptance.user_id == user.id)
            .order_by(PledgeAcceptance.accepted_at.desc())
        )
    )
    certs, decisions, notes = certification.history(user.id)
    people = {c.trainer_id for c in certs} | {c.revoked_by_id for c in certs}
    people |= {d.trainer_id for d in decisions} | {n.author_id for n in notes}
    people.discard(None)
    names = dict(
        db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(people))).all()
    )
    audit.record("volunteer.view", actor_id=actor.id, target_user_id=user.id, now=now)
    return Record(where, attempts, modules, reflections, pledges, certs, decisions, notes, names)


def mark_reflections_read(actor: User, user_id: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    n = db.session.execute(
        sa.update(Reflection)
        .where(Reflection.user_id == user_id, Reflection.read_at.is_(None))
        .values(read_at=now)
    ).rowcount
    audit.record("reflections.read", actor_id=actor.id, target_user_id=user_id, now=now)
    return n


# --- question statistics -------------------------------------------------------------------


@dataclass
class QuestionStat:
    question_id: str
    prompt: str
    kind: str
    answered: int
    correct: int
    top_wrong: str | None  # the wrong option chosen most often
    top_wrong_count: int = 0
    section_id: str = ""

    @property
    def share(self) -> float | None:
        return self.correct / self.answered if self.answered else None


def versions_of(slug: str) -> list[ModuleVersion]:
    rows = list(
        db.session.scalars(
            sa.select(ModuleVersion)
            .where(ModuleVersion.slug == slug)
            .order_by(ModuleVersion.version.desc())
        )
    )
    if not rows:
        raise NotFound(_("Modulen finns inte."))
    return rows


def question_stats(version: ModuleVersion) -> tuple[Module, int, list[QuestionStat]]:
    """Per question of one module version: how many answered, the share correct and the
    wrong option chosen most often; plus the number of graded attempts. Two queries."""
    module = from_payload(version.payload)
    attempts = db.session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.module_version_id == version.id, QuizAttempt.state == "graded"
        )
    )
    answers = db.session.execute(
        sa.select(AttemptAnswer.question_id, AttemptAnswer.chosen, AttemptAnswer.correct)
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .where(QuizAttempt.module_version_id == version.id)
    ).all()
    by_q: dict[str, list] = {}
    for qid, chosen, correct in answers:
        by_q.setdefault(qid, []).append((chosen, correct))
    stats = []
    for q in module.questions:
        if not q.graded:
            continue
        rows = by_q.get(q.id, [])
        right = {i for i, o in enumerate(q.options) if o.correct}
        wrong = Counter(i for chosen, _ok in rows for i in chosen if i not in right)
        top = wrong.most_common(1)
        stats.append(
            QuestionStat(
                question_id=q.id,
                prompt=q.prompt,
                kind=q.type,
                answered=len(rows),
                correct=sum(1 for _c, ok in rows if ok),
                top_wrong=q.options[top[0][0]].text if top and top[0][0] < len(q.options) else None,
                top_wrong_count=top[0][1] if top else 0,
                section_id=q.section,
            )
        )
    return module, attempts or 0, stats
