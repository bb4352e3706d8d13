"""The confidentiality pledge, where each volunteer stands, trainers' decisions and
certifications. Flush, never commit: the caller owns the transaction."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from trainer.audit import services as audit
from trainer.auth.models import User, UserRole
from trainer.certification import rules
from trainer.certification.models import (
    Certification,
    PledgeAcceptance,
    SignOffDecision,
    TrainerNote,
)
from trainer.content.schema import Pledge
from trainer.errors import Conflict, NotAllowed, NotFound, TrainerError
from trainer.extensions import db
from trainer.learning.models import ModuleVersion, SectionRead
from trainer.learning.services import catalog, sync_versions
from trainer.quizzes.models import QuizAttempt
from trainer.timeutil import utcnow


def current_pledge() -> Pledge:
    pledge = catalog().pledge
    if pledge is None:
        raise NotFound(_("Tystnadslöftet finns inte."))
    return pledge


def accepted_current(user: User) -> PledgeAcceptance | None:
    """Her acceptance of the current version, or None."""
    return db.session.scalar(
        sa.select(PledgeAcceptance).where(
            PledgeAcceptance.user_id == user.id,
            PledgeAcceptance.version == current_pledge().version,
        )
    )


def accept_pledge(user: User, version: int, *, now: datetime | None = None) -> PledgeAcceptance:
    """Record acceptance of the version she was shown; an older version is refused."""
    pledge = current_pledge()
    if version != pledge.version:
        raise TrainerError(_("Tystnadslöftet har ändrats. Läs den nya versionen och godkänn igen."))
    existing = accepted_current(user)
    if existing:
        return existing
    row = PledgeAcceptance(user_id=user.id, version=version, accepted_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # accepted twice at once
        return accepted_current(user)
    return row


# --- where volunteers stand ---------------------------------------------------------------


@dataclass
class Cell:
    """One volunteer × one module, for the matrix and her record."""

    state: str  # passed | retake | quiz_open | reading | not_started
    best_score: float | None = None  # on the current version
    passed_at: datetime | None = None
    version: int | None = None  # the version passed (or the current one)
    sections_read: int = 0
    attempts: int = 0


@dataclass
class Standing:
    """Everything the trainers' view and the board need to know about one volunteer."""

    user: User
    cells: dict[str, Cell]
    readiness: rules.Readiness
    stage: str
    certification: Certification | None  # her latest
    cert_status: str | None
    decision: SignOffDecision | None  # her latest
    pledge_at: datetime | None
    last_activity: datetime
    since: datetime | None  # passes before this don't count (after an expiry)

    @property
    def passed_count(self) -> int:
        return sum(1 for c in self.cells.values() if c.state == "passed")


def required_slugs() -> list[str]:
    """Every module in the course is required, in course order."""
    return [m.slug for m in catalog().modules]


def standings(now: datetime, *, user_ids: list[int] | None = None) -> dict[int, Standing]:
    """Where each volunteer stands (or the given people), in a constant number of queries
    however many there are: users, roles, attempts, reads, pledges, certifications,
    decisions."""
    cat = catalog()
    ids = sync_versions(cat)
    current_vid = set(ids.values())
    required = [m.slug for m in cat.modules]
    sections = {m.slug: {s.id for s in m.sections} for m in cat.modules}
    pledge = cat.pledge

    if user_ids is not None:
        who = User.id.in_(user_ids)
        scope = sa.select(User.id).where(who).scalar_subquery()
        users_q = sa.select(User).where(who)
    else:
        scope = sa.select(UserRole.user_id).where(UserRole.role == "volunteer").scalar_subquery()
        users_q = sa.select(User).where(User.id.in_(scope), User.active.is_(True))
    # Roles are not needed here; their default eager load would cost a query per 500 people.
    users = list(
        db.session.scalars(users_q.options(lazyload(User.roles)).order_by(User.full_name, User.id))
    )

    graded = QuizAttempt.state == "graded"
    passed = sa.and_(graded, QuizAttempt.passed.is_(True))
    attempt_rows = db.session.execute(
        sa.select(
            QuizAttempt.user_id,
            ModuleVersion.slug,
            ModuleVersion.version,
            QuizAttempt.module_version_id,
            sa.func.max(sa.case((graded, QuizAttempt.score))),
            sa.func.count(sa.case((graded, QuizAttempt.id))),
            sa.func.max(sa.case((passed, QuizAttempt.submitted_at))),
            sa.func.max(QuizAttempt.started_at),
        )
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .where(QuizAttempt.user_id.in_(scope))
        .group_by(
            QuizAttempt.user_id,
            ModuleVersion.slug,
            ModuleVersion.version,
            QuizAttempt.module_version_id,
        )
    ).all()
    read_rows = db.session.execute(
        sa.select(
            SectionRead.user_id,
            SectionRead.module_version_id,
            SectionRead.section_id,
            SectionRead.read_at,
        ).where(SectionRead.user_id.in_(scope), SectionRead.module_version_id.in_(current_vid))
    ).all()
    pledge_at: dict[int, datetime] = {}
    if pledge is not None:
        pledge_at = dict(
            db.session.execute(
                sa.select(PledgeAcceptance.user_id, PledgeAcceptance.accepted_at).where(
                    PledgeAcceptance.user_id.in_(scope),
                    PledgeAcceptance.version == pledge.version,
                )
            ).all()
        )
    latest_cert: dict[int, Certification] = {}
    for cert in db.session.scalars(
        sa.select(Certification)
        .where(Certification.user_id.in_(scope))
        .order_by(Certification.issued_at, Certification.id)
    ):
        latest_cert[cert.user_id] = cert
    latest_decision: dict[int, SignOffDecision] = {}
    for d in db.session.scalars(
        sa.select(SignOffDecision)
        .where(SignOffDecision.user_id.in_(scope))
        .order_by(SignOffDecision.created_at, SignOffDecision.id)
    ):
        latest_decision[d.user_id] = d

    slug_of = {v: s for s, v in ids.items()}
    reads: dict[tuple[int, str], int] = {}
    last_seen: dict[int, datetime] = {}
    for uid, vid, sid, at in read_rows:
        slug = slug_of[vid]
        if sid in sections[slug]:
            reads[(uid, slug)] = reads.get((uid, slug), 0) + 1
        last_seen[uid] = max(last_seen.get(uid, at), at)
    attempts: dict[int, list] = {}
    for row in attempt_rows:
        attempts.setdefault(row[0], []).append(row)
        last_seen[row[0]] = max(last_seen.get(row[0], row[7]), row[7])

    result: dict[int, Standing] = {}
    for user in users:
        cert = latest_cert.get(user.id)
        cert_status = status_of(cert, now) if cert else None
        since = (
            rules.retake_since(valid_until=cert.valid_until, revoked_at=cert.revoked_at, now=now)
            if cert
            else None
        )
        cells = {
            s: Cell(state="not_started", sections_read=reads.get((user.id, s), 0)) for s in required
        }
        last_pass: datetime | None = None
        passed_before: set[str] = set()
        for _uid, slug, version, vid, best, count, pass_at, _started in attempts.get(user.id, []):
            if slug not in cells:
                continue
            cell = cells[slug]
            cell.attempts += count
            if pass_at and (last_pass is None or pass_at > last_pass):
                last_pass = pass_at
            if vid in current_vid:
                cell.best_score, cell.version = best, version
                if pass_at and (since is None or pass_at > since):
                    cell.state, cell.passed_at = "passed", pass_at
                    continue
            if pass_at:
                passed_before.add(slug)  # an older version, or before her certification ran out
        for slug, cell in cells.items():
            if cell.state == "passed":
                continue
            if slug in passed_before:
                cell.state = "retake"
            elif cell.sections_read >= len(sections[slug]):
                cell.state = "quiz_open"
            elif cell.sections_read:
                cell.state = "reading"
        passed_current = {s for s, c in cells.items() if c.state == "passed"}
        ready = rules.readiness(
            required=required,
            passed_current=passed_current,
            pledge_accepted=user.id in pledge_at,
            current_status=cert_status,
        )
        decision = latest_decision.get(user.id)
        pending = rules.repeat_pending(
            last_decision=decision.decision if decision else None,
            decided_at=decision.created_at if decision else None,
            last_issued_at=cert.issued_at if cert else None,
            last_pass_at=last_pass,
        )
        result[user.id] = Standing(
            user=user,
            cells=cells,
            readiness=ready,
            stage=rules.stage(
                rules.StageFacts(ready=ready.ready, cert_status=cert_status, repeat_pending=pending)
            ),
            certification=cert,
            cert_status=cert_status,
            decision=decision,
            pledge_at=pledge_at.get(user.id),
            last_activity=max(last_seen.get(user.id, user.created_at), user.created_at),
            since=since,
        )
    return result


def standing(user: User, now: datetime | None = None) -> Standing:
    return standings(now or utcnow(), user_ids=[user.id])[user.id]


def status_of(cert: Certification, now: datetime) -> str:
    return rules.certification_status(
        valid_until=cert.valid_until,
        revoked_at=cert.revoked_at,
        now=now,
        expiring_days=current_app.config["EXPIRING_DAYS"],
    )


# --- decisions and certifications ---------------------------------------------------------


def _volunteer(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.has_role("volunteer"):
        raise NotFound(_("Volontären finns inte."))
    return user


def decide(
    trainer: User,
    volunteer_id: int,
    decision: str,
    *,
    comment: str = "",
    note: str = "",
    now: datetime | None = None,
) -> SignOffDecision:
    """Record a trainer's decision. "approved" issues a certification and needs her to be
    ready; "repeat" needs a comment saying what to repeat. Nobody decides on herself."""
    now = now or utcnow()
    if decision not in rules.DECISIONS:
        raise TrainerError(_("Välj godkänd eller behöver repetera."))
    if not trainer.has_role("trainer", "admin"):
        raise NotAllowed(_("Bara utbildare kan godkänna volontärer."))
    volunteer = _volunteer(volunteer_id)
    if volunteer.id == trainer.id:
        raise NotAllowed(_("Du kan inte godkänna dig själv. Be en annan utbildare."))
    comment, note = comment.strip()[:2000], note.strip()[:500]
    if decision == rules.REPEAT and not comment:
        raise TrainerError(_("Skriv vad hon behöver repetera."))
    where = standing(volunteer, now)
    if decision == rules.APPROVED and not where.readiness.ready:
        raise Conflict(_("Hon är inte klar för godkännande än: %(why)s", why=why_not_ready(where)))
    row = SignOffDecision(
        user_id=volunteer.id,
        trainer_id=trainer.id,
        decision=decision,
        comment=comment,
        note=note,
        created_at=now,
    )
    db.session.add(row)
    db.session.flush()
    if decision == rules.APPROVED:
        issue(volunteer, trainer, row, where, now)
    audit.record(
        f"certification.{decision}",
        actor_id=trainer.id,
        target_user_id=volunteer.id,
        detail=comment or note,
        now=now,
    )
    return row


def why_not_ready(where: Standing) -> str:
    r = where.readiness
    titles = {m.slug: m.title for m in catalog().modules}
    parts = []
    if r.already_certified:
        parts.append(_("hon har redan ett giltigt certifikat"))
    if r.missing_modules:
        parts.append(
            _("moduler kvar: %(m)s", m=", ".join(titles.get(s, s) for s in r.missing_modules))
        )
    if r.pledge_missing:
        parts.append(_("tystnadslöftet är inte godkänt"))
    return "; ".join(parts)


def new_code() -> str:
    """16 characters from a 80-bit random value, in an alphabet that is easy to read aloud."""
    return base64.b32encode(secrets.token_bytes(10)).decode()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def issue(
    volunteer: User, trainer: User, decision: SignOffDecision, where: Standing, now: datetime
) -> Certification:
    cat = catalog()
    titles = {m.slug: m.title for m in cat.modules}
    cert = Certification(
        user_id=volunteer.id,
        decision_id=decision.id,
        trainer_id=trainer.id,
        issued_at=now,
        valid_until=rules.add_months(now, current_app.config["CERTIFICATION_MONTHS"]),
        modules={
            slug: {"version": cell.version, "title": titles.get(slug, slug)}
            for slug, cell in where.cells.items()
        },
        pledge_version=cat.pledge.version if cat.pledge else 0,
        code=new_code(),
        show_name=False,
    )
    db.session.add(cert)
    db.session.flush()
    return cert


def get_certification(cert_id: int) -> Certification:
    cert = db.session.get(Certification, cert_id)
    if cert is None:
        raise NotFound(_("Certifikatet finns inte."))
    return cert


def revoke(
    trainer: User, cert_id: int, reason: str, *, now: datetime | None = None
) -> Certification:
    now = now or utcnow()
    cert = get_certification(cert_id)
    if cert.user_id == trainer.id:
        raise NotAllowed(_("Du kan inte återkalla ditt eget certifikat."))
    reason = reason.strip()[:2000]
    if not reason:
        raise TrainerError(_("Skriv varför certifikatet återkallas."))
    if cert.revoked_at is not None:
        raise Conflict(_("Certifikatet är redan återkallat."))
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = now, trainer.id, reason
    audit.record(
        "certification.revoke",
        actor_id=trainer.id,
        target_user_id=cert.user_id,
        detail=reason,
        now=now,
    )
    db.session.flush()
    return cert


def latest_certification(user_id: int, cert_id: int | None = None) -> Certification | None:
    """Her latest certification (or the given one, if it is hers)."""
    q = sa.select(Certification).where(Certification.user_id == user_id)
    if cert_id is not None:
        q = q.where(Certification.id == cert_id)
    return db.session.scalar(q.order_by(Certification.issued_at.desc()).limit(1))


def own_certification(user: User, cert_id: int | None = None) -> Certification:
    """Her latest certification, or the given one if it is hers."""
    cert = latest_certification(user.id, cert_id)
    if cert is None:
        raise NotFound(_("Du har inget certifikat än."))
    return cert


def set_show_name(user: User, cert_id: int, show: bool) -> Certification:
    cert = own_certification(user, cert_id)
    cert.show_name = show
    db.session.flush()
    return cert


def by_code(raw: str) -> Certification | None:
    code = normalise_code(raw)
    if not code or len(code) > 32:
        return None
    return db.session.scalar(sa.select(Certification).where(Certification.code == code))


def history(user_id: int) -> tuple[list[Certification], list[SignOffDecision], list[TrainerNote]]:
    certs = list(
        db.session.scalars(
            sa.select(Certification)
            .where(Certification.user_id == user_id)
            .order_by(Certification.issued_at.desc())
        )
    )
    decisions = list(
        db.session.scalars(
            sa.select(SignOffDecision)
            .where(SignOffDecision.user_id == user_id)
            .order_by(SignOffDecision.created_at.desc())
        )
    )
    notes = list(
        db.session.scalars(
            sa.select(TrainerNote)
            .where(TrainerNote.user_id == user_id)
            .order_by(TrainerNote.created_at.desc())
        )
    )
    return certs, decisions, notes


def add_note(
    author: User, volunteer_id: int, text: str, *, now: datetime | None = None
) -> TrainerNote:
    volunteer = _volunteer(volunteer_id)
    text = text.strip()[:2000]
    if not text:
        raise TrainerError(_("Anteckningen är tom."))
    note = TrainerNote(
        user_id=volunteer.id, author_id=author.id, text=text, created_at=now or utcnow()
    )
    db.session.add(note)
    db.session.flush()
    return note


def current_certified_ids(now: datetime, user_ids: list[int] | None = None) -> set[int]:
    """People whose latest certification is valid or expiring: who may join workgroups and
    sign up for activities. One query."""
    q = sa.select(Certification.user_id, Certification.valid_until, Certification.revoked_at)
    if user_ids is not None:
        q = q.where(Certification.user_id.in_(user_ids))
    ok = set()
    for uid, until, revoked in db.session.execute(
        q.where(
            Certification.revoked_at.is_(None),
            Certification.valid_until > now,
        )
    ):
        if rules.is_current(
            rules.certification_status(valid_until=until, revoked_at=revoked, now=now)
        ):
            ok.add(uid)
    return ok


def is_certified(user: User, now: datetime | None = None) -> bool:
    return user.id in current_certified_ids(now or utcnow(), [user.id])


def retake_since_for(user: User, now: datetime | None = None) -> datetime | None:
    """After her latest certification expired or was revoked, passes before then don't count."""
    cert = latest_certification(user.id)
    if cert is None:
        return None
    return rules.retake_since(
        valid_until=cert.valid_until, revoked_at=cert.revoked_at, now=now or utcnow()
    )
