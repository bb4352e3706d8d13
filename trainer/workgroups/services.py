"""Workgroups and their members. Flush, never commit: the caller owns the transaction.

The plan's five groups are inserted by the first migration. Members are board members and
volunteers whose certification is current; a volunteer asks to join and the board or the
group's lead decides, or the board places her directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from trainer.audit.services import record
from trainer.auth.models import User, UserRole
from trainer.certification.services import current_certified_ids
from trainer.errors import Conflict, NotAllowed, NotFound, TrainerError
from trainer.extensions import db
from trainer.timeutil import utcnow
from trainer.workgroups import rules
from trainer.workgroups.models import PLAN_WORKGROUPS, Membership, Workgroup


def ensure_plan_workgroups() -> None:
    """Insert the plan's groups that are missing (used where tables come from create_all)."""
    have = set(db.session.scalars(sa.select(Workgroup.slug)))
    for slug, name, purpose in PLAN_WORKGROUPS:
        if slug not in have:
            db.session.add(Workgroup(slug=slug, name=name, purpose=purpose))
    db.session.flush()


def is_board(user: User) -> bool:
    """Board members and admins hold the board's powers over groups and activities."""
    return user.has_role("board", "admin")


def _is_board_member(user: User) -> bool:
    # Membership is for the board itself (and certified volunteers), not for admins as such.
    return user.has_role("board")


def eligible(user: User, now: datetime, certified: set[int] | None = None) -> bool:
    """May she be a member of a group? Pass `certified` (from current_certified_ids) to
    save the query when checking many people."""
    if certified is None:
        certified = current_certified_ids(now, [user.id])
    return rules.may_be_member(is_board=_is_board_member(user), certified=user.id in certified)


# --- groups -------------------------------------------------------------------------------


def get_workgroup(workgroup_id: int) -> Workgroup:
    group = db.session.get(Workgroup, workgroup_id)
    if group is None:
        raise NotFound(_("Arbetsgruppen finns inte."))
    return group


def get_by_slug(slug: str) -> Workgroup:
    group = db.session.scalar(sa.select(Workgroup).where(Workgroup.slug == slug))
    if group is None:
        raise NotFound(_("Arbetsgruppen finns inte."))
    return group


def active_workgroups() -> list[Workgroup]:
    return list(
        db.session.scalars(
            sa.select(Workgroup).where(Workgroup.archived_at.is_(None)).order_by(Workgroup.id)
        )
    )


def _require_board(actor: User, message: str | None = None) -> None:
    if not is_board(actor):
        raise NotAllowed(message or _("Bara styrelsen kan göra det."))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TrainerError(_("Skriv gruppens namn."))
    if len(name) > 120:
        raise TrainerError(_("Namnet får ha högst 120 tecken."))
    return name


def create_workgroup(
    actor: User, name: str, purpose: str, *, now: datetime | None = None
) -> Workgroup:
    """A new group (board and admins). The slug comes from the name and never changes."""
    _require_board(actor)
    name = _clean_name(name)
    base = rules.slugify(name)
    taken = set(
        db.session.scalars(sa.select(Workgroup.slug).where(Workgroup.slug.like(f"{base}%")))
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    group = Workgroup(
        slug=slug, name=name, purpose=(purpose or "").strip()[:4000], created_at=now or utcnow()
    )
    db.session.add(group)
    db.session.flush()
    record("workgroup.created", actor_id=actor.id, detail=f"group={slug}", now=now)
    return group


def update_workgroup(actor: User, workgroup_id: int, name: str, purpose: str) -> Workgroup:
    """Rename a group or change its purpose; the address (slug) stays the same."""
    _require_board(actor)
    group = get_workgroup(workgroup_id)
    group.name = _clean_name(name)
    group.purpose = (purpose or "").strip()[:4000]
    record("workgroup.updated", actor_id=actor.id, detail=f"group={group.slug}")
    db.session.flush()
    return group


def set_archived(
    actor: User, workgroup_id: int, archived: bool, *, now: datetime | None = None
) -> Workgroup:
    """Archive a group (it takes no new members or activities) or bring it back."""
    _require_board(actor)
    group = get_workgroup(workgroup_id)
    group.archived_at = (now or utcnow()) if archived else None
    record(
        "workgroup.archived" if archived else "workgroup.restored",
        actor_id=actor.id,
        detail=f"group={group.slug}",
        now=now,
    )
    db.session.flush()
    return group


# --- memberships --------------------------------------------------------------------------


def membership_of(user: User, workgroup_id: int) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.workgroup_id == workgroup_id, Membership.user_id == user.id
        )
    )


def active_memberships(user: User) -> dict[int, Membership]:
    """Her active memberships by group id."""
    rows = db.session.scalars(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.state == rules.ACTIVE)
    )
    return {m.workgroup_id: m for m in rows}


def is_lead(user: User, workgroup_id: int) -> bool:
    m = membership_of(user, workgroup_id)
    return m is not None and m.state == rules.ACTIVE and m.role == rules.LEAD


def leads_of(workgroup_id: int) -> list[User]:
    """The group's active leads (sammankallande)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.workgroup_id == workgroup_id,
                Membership.state == rules.ACTIVE,
                Membership.role == rules.LEAD,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def plannable(user: User, now: datetime) -> list[Workgroup]:
    """Open groups she may plan activities for: every one for the board, otherwise those
    she is an active member of while her certification is current."""
    if is_board(user):
        return active_workgroups()
    if not eligible(user, now):
        return []
    mine = active_memberships(user)
    return [g for g in active_workgroups() if g.id in mine]


def _open_group(workgroup_id: int) -> Workgroup:
    group = get_workgroup(workgroup_id)
    if group.archived_at is not None:
        raise Conflict(_("Gruppen är arkiverad och tar inte emot nya medlemmar."))
    return group


def request_to_join(user: User, workgroup_id: int, *, now: datetime | None = None) -> Membership:
    """She asks to join; the board or the group's lead decides."""
    now = now or utcnow()
    group = _open_group(workgroup_id)
    if not eligible(user, now):
        raise NotAllowed(
            _("Du behöver ett giltigt certifikat från utbildningen för att gå med i en grupp.")
        )
    m = membership_of(user, group.id)
    if m is not None and m.state == rules.ACTIVE:
        raise Conflict(_("Du är redan med i gruppen."))
    if m is not None and m.state == rules.REQUESTED:
        raise Conflict(_("Du har redan frågat. Gruppen svarar så snart den kan."))
    if m is None:
        m = Membership(workgroup_id=group.id, user_id=user.id)
        db.session.add(m)
    m.state, m.role, m.requested_at = rules.REQUESTED, rules.MEMBER, now
    m.joined_at = m.ended_at = m.decided_by_id = None
    db.session.flush()
    record("workgroup.requested", actor_id=user.id, target_user_id=user.id, detail=group.slug)
    return m


def _membership(membership_id: int) -> Membership:
    m = db.session.get(Membership, membership_id)
    if m is None:
        raise NotFound(_("Medlemskapet finns inte."))
    return m


def decide_request(
    actor: User, membership_id: int, accept: bool, *, now: datetime | None = None
) -> Membership:
    """Accept or decline a request to join. Her certification is checked again on accept."""
    now = now or utcnow()
    m = _membership(membership_id)
    if not rules.may_decide_request(
        viewer_is_board=is_board(actor),
        viewer_is_lead=is_lead(actor, m.workgroup_id),
        requester_protected=m.user.protected_identity,
    ):
        raise NotAllowed(_("Bara styrelsen eller gruppens sammankallande kan svara."))
    if m.state != rules.REQUESTED:
        raise Conflict(_("Förfrågan är redan besvarad."))
    if accept:
        if not eligible(m.user, now):
            raise Conflict(_("Hon har inte längre ett giltigt certifikat och kan inte gå med."))
        m.state, m.joined_at = rules.ACTIVE, now
    else:
        m.state, m.ended_at = rules.DECLINED, now
    m.decided_by_id = actor.id
    db.session.flush()
    record(
        "workgroup.accepted" if accept else "workgroup.declined",
        actor_id=actor.id,
        target_user_id=m.user_id,
        detail=m.workgroup.slug,
        now=now,
    )
    return m


def place_member(
    actor: User,
    workgroup_id: int,
    user_id: int,
    role: str = rules.MEMBER,
    now: datetime | None = None,
) -> Membership:
    """The board places a ready person in a group directly (also from the board's list of
    certified volunteers without a group). An earlier request, decline or departure is
    replaced; an active member only gets the new role."""
    now = now or utcnow()
    _require_board(actor, _("Bara styrelsen kan placera någon i en grupp."))
    if role not in rules.ROLES:
        raise TrainerError(_("Välj sammankallande eller medlem."))
    group = _open_group(workgroup_id)
    person = db.session.get(User, user_id)
    if person is None or not person.active:
        raise NotFound(_("Personen finns inte."))
    if not eligible(person, now):
        raise Conflict(
            _(
                "%(name)s har inget giltigt certifikat och kan inte bli medlem.",
                name=person.full_name,
            )
        )
    m = membership_of(person, group.id)
    if m is None:
        m = Membership(workgroup_id=group.id, user_id=person.id)
        db.session.add(m)
    if m.state != rules.ACTIVE:
        m.state, m.joined_at, m.ended_at = rules.ACTIVE, now, None
    m.role, m.decided_by_id = role, actor.id
    db.session.flush()
    record(
        "workgroup.placed",
        actor_id=actor.id,
        target_user_id=person.id,
        detail=f"{group.slug} role={role}",
        now=now,
    )
    return m


def set_role(actor: User, membership_id: int, role: str) -> Membership:
    """Make an active member lead (sammankallande) or member again (board)."""
    _require_board(actor)
    if role not in rules.ROLES:
        raise TrainerError(_("Välj sammankallande eller medlem."))
    m = _membership(membership_id)
    if m.state != rules.ACTIVE:
        raise Conflict(_("Hon är inte medlem i gruppen."))
    m.role = role
    db.session.flush()
    record(
        "workgroup.role",
        actor_id=actor.id,
        target_user_id=m.user_id,
        detail=f"{m.workgroup.slug} role={role}",
    )
    return m


def leave(user: User, workgroup_id: int, *, now: datetime | None = None) -> Membership:
    """She leaves a group, or withdraws her request to join."""
    m = membership_of(user, workgroup_id)
    if m is None or m.state not in (rules.ACTIVE, rules.REQUESTED):
        raise Conflict(_("Du är inte med i gruppen."))
    m.state, m.ended_at = rules.LEFT, now or utcnow()
    db.session.flush()
    record("workgroup.left", actor_id=user.id, target_user_id=user.id, detail=m.workgroup.slug)
    return m


def remove_member(actor: User, membership_id: int, *, now: datetime | None = None) -> Membership:
    """The board takes someone out of a group."""
    _require_board(actor)
    m = _membership(membership_id)
    if m.state != rules.ACTIVE:
        raise Conflict(_("Hon är inte medlem i gruppen."))
    m.state, m.ended_at, m.decided_by_id = rules.LEFT, now or utcnow(), actor.id
    db.session.flush()
    record(
        "workgroup.removed", actor_id=actor.id, target_user_id=m.user_id, detail=m.workgroup.slug
    )
    return m


# --- what people see ----------------------------------------------------------------------


@dataclass
class PersonRow:
    """One person in a list, as this viewer may see her."""

    shown: str  # rules.FULL | NAME | ANONYMOUS
    label: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None
    protected: bool = False  # only ever True for the board's eyes
    certified: bool = True
    membership_id: int | None = None
    user_id: int | None = None  # only when the viewer may act on her (board, or herself)


def person_row(
    person: User,
    *,
    viewer: User,
    viewer_is_board: bool,
    viewer_is_lead: bool,
    member_list: bool,
) -> PersonRow | None:
    """How `viewer` sees `person`, or None when she is left out of the list."""
    shown = rules.shown_as(
        protected=person.protected_identity,
        viewer_is_board=viewer_is_board,
        viewer_is_lead=viewer_is_lead,
        is_self=person.id == viewer.id,
        member_list=member_list,
    )
    if shown == rules.HIDDEN:
        return None
    if shown == rules.ANONYMOUS:
        return PersonRow(shown=shown, label=_("en volontär"))
    row = PersonRow(shown=shown, label=person.display_name)
    if shown == rules.FULL:
        row.label = person.full_name if viewer_is_board else person.display_name
        row.email, row.phone = person.email, person.phone
    if viewer_is_board:
        row.protected, row.user_id = person.protected_identity, person.id
    return row


@dataclass
class GroupSummary:
    group: Workgroup
    members: int
    mine: Membership | None


def overview(viewer: User) -> list[GroupSummary]:
    """Every group (archived ones for the board only) with its member count and the viewer's
    own membership. Two queries however many groups and members there are."""
    q = sa.select(Workgroup).order_by(Workgroup.archived_at.is_not(None), Workgroup.id)
    if not is_board(viewer):
        q = q.where(Workgroup.archived_at.is_(None))
    counts = dict(
        db.session.execute(
            sa.select(Membership.workgroup_id, sa.func.count(Membership.id))
            .where(Membership.state == rules.ACTIVE)
            .group_by(Membership.workgroup_id)
        ).all()
    )
    mine = {
        m.workgroup_id: m
        for m in db.session.scalars(sa.select(Membership).where(Membership.user_id == viewer.id))
    }
    return [
        GroupSummary(group=g, members=counts.get(g.id, 0), mine=mine.get(g.id))
        for g in db.session.scalars(q)
    ]


@dataclass
class GroupPage:
    group: Workgroup
    mine: Membership | None
    viewer_is_board: bool
    viewer_is_lead: bool
    members: list[PersonRow]
    requests: list[PersonRow]
    eligible: bool  # may the viewer ask to join


def group_page(viewer: User, slug: str, now: datetime) -> GroupPage:
    """Members and requests as this viewer may see them, in a constant number of queries."""
    group = get_by_slug(slug)
    viewer_board = is_board(viewer)
    if group.archived_at is not None and not viewer_board:
        raise NotFound(_("Arbetsgruppen finns inte."))
    rows = list(
        db.session.scalars(
            sa.select(Membership)
            .options(joinedload(Membership.user))
            .where(
                Membership.workgroup_id == group.id,
                Membership.state.in_((rules.ACTIVE, rules.REQUESTED)),
            )
            .join(User, User.id == Membership.user_id)
            .order_by(Membership.role, User.display_name, User.id)
        )
    )
    mine = next((m for m in rows if m.user_id == viewer.id), None) or membership_of(
        viewer, group.id
    )
    viewer_lead = mine is not None and mine.state == rules.ACTIVE and mine.role == rules.LEAD
    ids = [m.user_id for m in rows] + [viewer.id]
    certified = current_certified_ids(now, ids)
    members, requests = [], []
    for m in rows:
        if m.state == rules.REQUESTED and not rules.may_decide_request(
            viewer_is_board=viewer_board,
            viewer_is_lead=viewer_lead,
            requester_protected=m.user.protected_identity,
        ):
            continue
        row = person_row(
            m.user,
            viewer=viewer,
            viewer_is_board=viewer_board,
            viewer_is_lead=viewer_lead,
            member_list=True,
        )
        if row is None:
            continue
        row.role, row.membership_id = m.role, m.id
        row.certified = rules.may_be_member(
            is_board=_is_board_member(m.user), certified=m.user_id in certified
        )
        (members if m.state == rules.ACTIVE else requests).append(row)
    return GroupPage(
        group=group,
        mine=mine,
        viewer_is_board=viewer_board,
        viewer_is_lead=viewer_lead,
        members=members,
        requests=requests,
        eligible=eligible(viewer, now, certified),
    )


def placeable(workgroup_id: int, now: datetime) -> list[User]:
    """People the board may place in this group: active board members and certified
    volunteers who are not active members of it yet. Three queries."""
    certified = current_certified_ids(now)
    board_ids = sa.select(UserRole.user_id).where(UserRole.role == "board")
    in_group = sa.select(Membership.user_id).where(
        Membership.workgroup_id == workgroup_id, Membership.state == rules.ACTIVE
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.active.is_(True),
                sa.or_(User.id.in_(certified), User.id.in_(board_ids)),
                User.id.not_in(in_group),
            )
            .order_by(User.full_name, User.id)
        )
    )
