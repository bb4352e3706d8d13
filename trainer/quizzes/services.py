"""Starting and submitting quiz attempts. Grading happens only here, on the server."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from trainer.auth.models import User
from trainer.certification import services as certification
from trainer.content.payload import from_payload
from trainer.content.schema import Module
from trainer.errors import NotAllowed, NotFound, TrainerError
from trainer.extensions import db
from trainer.learning import rules
from trainer.learning import services as learning
from trainer.quizzes import grading
from trainer.quizzes.models import AttemptAnswer, QuizAttempt, Reflection
from trainer.timeutil import utcnow


class BadSubmission(TrainerError):
    status = 400


def open_attempt(user: User, version_id: int) -> QuizAttempt | None:
    return db.session.scalar(
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.module_version_id == version_id,
            QuizAttempt.state == "open",
        )
        .order_by(QuizAttempt.id.desc())
        .limit(1)
    )


def quiz_gate(user: User, slug: str, *, now: datetime | None = None) -> tuple[int, Module]:
    """Check on the server that she may take this quiz now; return (version id, module)."""
    now = now or utcnow()
    row, module = learning.current_module(slug)
    learning.ensure_unlocked(user, module)
    unread = [s.title for s in module.sections if s.id not in learning.read_sections(user, row.id)]
    if unread:
        raise NotAllowed(_("Läs alla avsnitt först. Kvar: %(s)s.", s=", ".join(unread)))
    last_failed = db.session.scalar(
        sa.select(sa.func.max(QuizAttempt.submitted_at)).where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.module_version_id == row.id,
            QuizAttempt.passed.is_(False),
        )
    )
    wait = rules.retake_wait(last_failed, module.retake_cooldown_minutes, now)
    if wait.total_seconds() > 0:
        minutes = max(1, round(wait.total_seconds() / 60))
        raise NotAllowed(
            _(
                "Du kan göra quizet igen om %(n)d minuter. Läs gärna avsnitten under tiden.",
                n=minutes,
            )
        )
    return row.id, module


def start_attempt(
    user: User, slug: str, *, now: datetime | None = None, rng: random.Random | None = None
) -> QuizAttempt:
    """Open an attempt (or return the one already open on the current version)."""
    now = now or utcnow()
    version_id, module = quiz_gate(user, slug, now=now)
    existing = open_attempt(user, version_id)
    if existing:
        return existing
    rng = rng or random.Random(secrets.randbits(64))
    attempt = QuizAttempt(
        user_id=user.id,
        module_version_id=version_id,
        started_at=now,
        served=grading.serve(module.questions, rng),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def get_own_attempt(user: User, attempt_id: int) -> QuizAttempt:
    """Her own attempt; another person's looks exactly like a missing one."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(_("Försöket finns inte."))
    return attempt


def submit_attempt(
    user: User, attempt_id: int, form: Mapping[str, list[str]], *, now: datetime | None = None
) -> QuizAttempt:
    """Grade an open attempt from the posted form; a repeated submit returns the first result."""
    now = now or utcnow()
    attempt = get_own_attempt(user, attempt_id)
    if attempt.state != "open":
        return attempt
    module = from_payload(attempt.module_version.payload)  # the version she started on
    questions = {q.id: q for q in module.questions}
    try:
        choices, texts = grading.parse_answers(attempt.served, questions, form)
    except grading.BadSubmission as e:
        raise BadSubmission(
            _("Svaren kunde inte tas emot. Ladda om quizet och försök igen.")
        ) from e
    # Reflections she wrote before (still editable) count too.
    saved = dict(
        db.session.execute(
            sa.select(Reflection.question_id, Reflection.text).where(
                Reflection.user_id == user.id, Reflection.module_slug == module.slug
            )
        ).all()
    )
    merged = {**saved, **{k: v for k, v in texts.items() if v}}
    result = grading.grade(attempt.served, questions, choices, merged, module.pass_mark)
    claimed = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == "open")
        .values(state="graded", submitted_at=now, score=result.score, passed=result.passed)
    ).rowcount
    if claimed != 1:  # graded in parallel by another request: keep the first result
        db.session.refresh(attempt)
        return attempt
    # One executemany, however many questions the quiz has.
    db.session.execute(
        AttemptAnswer.__table__.insert(),  # Core executemany: the ORM would split rows by NULLs
        [
            {
                "attempt_id": attempt.id,
                "question_id": r.question_id,
                "chosen": list(r.chosen),
                "correct": r.correct,
            }
            for r in result.results
        ],
    )
    if not certification.is_certified(user, now):  # reflections lock once she is certified
        _save_reflections(user, module.slug, attempt.module_version_id, texts, saved, now)
    db.session.flush()
    db.session.refresh(attempt)
    return attempt


def _save_reflections(
    user: User,
    slug: str,
    version_id: int,
    texts: Mapping[str, str],
    saved: Mapping[str, str],
    now: datetime,
) -> None:
    existing = {
        r.question_id: r
        for r in db.session.scalars(
            sa.select(Reflection).where(
                Reflection.user_id == user.id, Reflection.module_slug == slug
            )
        )
    }
    for qid, text in texts.items():
        if not text:
            continue
        row = existing.get(qid)
        if row is None:
            db.session.add(
                Reflection(
                    user_id=user.id,
                    module_slug=slug,
                    question_id=qid,
                    module_version_id=version_id,
                    text=text[:5000],
                    updated_at=now,
                )
            )
        elif row.text != text:
            row.text, row.updated_at, row.read_at = text[:5000], now, None


def reflections_for(user: User, slug: str) -> dict[str, str]:
    return dict(
        db.session.execute(
            sa.select(Reflection.question_id, Reflection.text).where(
                Reflection.user_id == user.id, Reflection.module_slug == slug
            )
        ).all()
    )
