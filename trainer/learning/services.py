"""Module versions, reading progress and the overview. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from trainer.auth.models import User
from trainer.content.payload import from_payload, to_payload
from trainer.content.schema import Catalog, Module
from trainer.errors import NotAllowed, NotFound
from trainer.extensions import db
from trainer.learning import rules
from trainer.learning.models import ModuleVersion, SectionRead
from trainer.quizzes.models import QuizAttempt
from trainer.timeutil import utcnow


def catalog() -> Catalog:
    return current_app.extensions["trainer.catalog"]


def sync_versions(cat: Catalog | None = None) -> dict[str, int]:
    """Make sure every module's current content has a ModuleVersion; return slug → id.

    A new content hash becomes the next version number; old versions stay. The result is
    cached per process, so requests after the first cost no query here.
    """
    cat = cat or catalog()
    cache = current_app.extensions.setdefault("trainer.version_ids", {})
    key = tuple(m.content_hash for m in cat.modules)
    if key in cache:
        return cache[key]
    hashes = {m.slug: m.content_hash for m in cat.modules}
    rows = db.session.execute(
        sa.select(
            ModuleVersion.slug, ModuleVersion.content_hash, ModuleVersion.id, ModuleVersion.version
        ).where(ModuleVersion.slug.in_(hashes))
    ).all()
    ids = {slug: vid for slug, h, vid, _v in rows if hashes[slug] == h}
    latest: dict[str, int] = {}
    for slug, _h, _id, version in rows:
        latest[slug] = max(latest.get(slug, 0), version)
    inserted = False
    for module in cat.modules:
        if module.slug in ids:
            continue
        inserted = True
        try:
            with db.session.begin_nested():
                row = ModuleVersion(
                    slug=module.slug,
                    version=latest.get(module.slug, 0) + 1,
                    content_hash=module.content_hash,
                    title=module.title,
                    payload=to_payload(module),
                )
                db.session.add(row)
        except IntegrityError:
            # Another process added it first: use theirs.
            row = db.session.scalar(
                sa.select(ModuleVersion).where(
                    ModuleVersion.slug == module.slug,
                    ModuleVersion.content_hash == module.content_hash,
                )
            )
        ids[module.slug] = row.id
    if inserted:
        db.session.commit()  # versions are shared reference data, not part of the caller's change
    cache[key] = ids
    return ids


def get_version(version_id: int) -> ModuleVersion:
    row = db.session.get(ModuleVersion, version_id)
    if row is None:
        raise NotFound(_("Modulen finns inte."))
    return row


def current_module(slug: str) -> tuple[ModuleVersion, Module]:
    """The current version of a module and its content."""
    ids = sync_versions()
    if slug not in ids:
        raise NotFound(_("Modulen finns inte."))
    row = get_version(ids[slug])
    return row, from_payload(row.payload)


def passed_slugs(user: User) -> set[str]:
    """Modules she has passed on their current version."""
    ids = sync_versions()
    rows = db.session.scalars(
        sa.select(ModuleVersion.slug)
        .join(QuizAttempt, QuizAttempt.module_version_id == ModuleVersion.id)
        .where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.passed.is_(True),
            ModuleVersion.id.in_(ids.values()),
        )
    )
    return set(rows)


def read_sections(user: User, version_id: int) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(SectionRead.section_id).where(
                SectionRead.user_id == user.id, SectionRead.module_version_id == version_id
            )
        )
    )


def ensure_unlocked(user: User, module: Module, passed: set[str] | None = None) -> None:
    """Refuse a module whose required modules are not passed yet."""
    passed = passed_slugs(user) if passed is None else passed
    missing = [r for r in module.requires if r not in passed]
    if missing:
        titles = [m.title for m in catalog().modules if m.slug in missing]
        raise NotAllowed(_("Modulen öppnas när du klarat %(m)s.", m=", ".join(titles)))


def mark_read(user: User, version_id: int, section_id: str, *, now: datetime | None = None) -> bool:
    """Record that she has read a section; returns False if it was already recorded."""
    exists = db.session.scalar(
        sa.select(SectionRead.id).where(
            SectionRead.user_id == user.id,
            SectionRead.module_version_id == version_id,
            SectionRead.section_id == section_id,
        )
    )
    if exists:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                SectionRead(
                    user_id=user.id,
                    module_version_id=version_id,
                    section_id=section_id,
                    read_at=now or utcnow(),
                )
            )
    except IntegrityError:
        return False  # the same section saved from two tabs at once
    return True


def overview(
    user: User, since: datetime | None = None
) -> tuple[list[rules.ModuleStatus], rules.ModuleStatus | None]:
    """Every module with its state for her, and where "fortsätt" leads. Constant queries.

    `since`: after her certification ran out, only quizzes passed after it count."""
    cat = catalog()
    ids = sync_versions(cat)
    version_ids = list(ids.values())
    reads = db.session.execute(
        sa.select(SectionRead.module_version_id, SectionRead.section_id, SectionRead.read_at).where(
            SectionRead.user_id == user.id, SectionRead.module_version_id.in_(version_ids)
        )
    ).all()
    attempts = db.session.execute(
        sa.select(
            QuizAttempt.module_version_id,
            QuizAttempt.score,
            QuizAttempt.passed,
            QuizAttempt.submitted_at,
            QuizAttempt.started_at,
        ).where(QuizAttempt.user_id == user.id, QuizAttempt.module_version_id.in_(version_ids))
    ).all()
    read_by_version: dict[int, set[str]] = {}
    touched: dict[str, datetime] = {}
    slug_of = {v: s for s, v in ids.items()}
    for vid, sid, at in reads:
        read_by_version.setdefault(vid, set()).add(sid)
        touched[slug_of[vid]] = max(touched.get(slug_of[vid], at), at)
    best: dict[int, float] = {}
    passed_at: dict[int, datetime] = {}
    for vid, score, passed, submitted, started in attempts:
        touched[slug_of[vid]] = max(touched.get(slug_of[vid], started), started)
        if score is not None:
            best[vid] = max(best.get(vid, 0.0), score)
        counts = passed and submitted and (since is None or submitted > since)
        if counts and (vid not in passed_at or submitted < passed_at[vid]):
            passed_at[vid] = submitted
    passed = {slug_of[v] for v in passed_at}
    titles = {m.slug: m.title for m in cat.modules}
    statuses = []
    for m in cat.modules:
        vid = ids[m.slug]
        read = read_by_version.get(vid, set()) & {s.id for s in m.sections}
        state = rules.module_state(
            requires=m.requires,
            passed=passed,
            has_pass=vid in passed_at,
            sections_read=len(read),
            sections_total=len(m.sections),
        )
        statuses.append(
            rules.ModuleStatus(
                slug=m.slug,
                title=m.title,
                summary=m.summary,
                estimated_minutes=m.estimated_minutes,
                state=state,
                sections_read=len(read),
                sections_total=len(m.sections),
                missing=tuple(titles[r] for r in m.requires if r not in passed),
                passed_at=passed_at.get(vid),
                best_score=best.get(vid),
                next_section=rules.next_unread([s.id for s in m.sections], read),
            )
        )
    return statuses, rules.resume_target(statuses, touched)
