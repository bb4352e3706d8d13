"""Activity rules as pure functions: states and who may move between them, the safety
minimum, sign-up eligibility, cut-off, waiting-list timing, overlaps.

Nothing here reads the clock, the database or the request: `now` and the facts are passed
in. Problems come back as short codes; the services turn them into Swedish sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# --- kinds and audiences ------------------------------------------------------------------

KINDS = (
    "forelasning",
    "skolbesok",
    "informationsbord",
    "omradesstrateg",
    "armbandsverkstad",
    "tantjour",
    "sociala-medier",
    "annat",
)
# Kinds that always mean meeting the public in person; the others say so with a checkbox.
MEETS_PUBLIC = frozenset(
    {"forelasning", "skolbesok", "informationsbord", "armbandsverkstad", "tantjour"}
)

MEMBERS = "members"  # the group's members
CERTIFIED = "certified"  # every volunteer with a current certification
AUDIENCES = (MEMBERS, CERTIFIED)

MAX_VOLUNTEERS = 100


def meets_public(kind: str, in_person: bool) -> bool:
    """Is the activity held in person with the public?"""
    return kind in MEETS_PUBLIC or in_person


def min_floor(kind: str, in_person: bool, safety_minimum: int) -> int:
    """The lowest allowed minimum of volunteers: nobody meets the public alone."""
    return max(1, safety_minimum) if meets_public(kind, in_person) else 1


@dataclass(frozen=True)
class Draft:
    """What a member enters for an activity, already converted to UTC."""

    title: str
    kind: str
    in_person: bool
    starts_at: datetime
    ends_at: datetime
    min_volunteers: int
    max_volunteers: int
    audience: str


def draft_problems(d: Draft, *, now: datetime, safety_minimum: int) -> list[tuple[str, str]]:
    """(field, code) for everything wrong with a draft; empty when it is fine."""
    problems: list[tuple[str, str]] = []
    if not d.title.strip():
        problems.append(("title", "title_missing"))
    if d.kind not in KINDS:
        problems.append(("kind", "kind_unknown"))
    if d.audience not in AUDIENCES:
        problems.append(("audience", "audience_unknown"))
    if d.ends_at <= d.starts_at:
        problems.append(("end_time", "ends_before_start"))
    if d.starts_at <= now:
        problems.append(("date", "in_past"))
    if d.max_volunteers < 1 or d.max_volunteers > MAX_VOLUNTEERS:
        problems.append(("max_volunteers", "max_range"))
    if d.min_volunteers > d.max_volunteers:
        problems.append(("min_volunteers", "min_above_max"))
    elif d.min_volunteers < min_floor(d.kind, d.in_person, safety_minimum):
        problems.append(("min_volunteers", "min_below_safety"))
    return problems


# --- states and transitions ---------------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"
REJECTED = "rejected"
CARRIED_OUT = "carried_out"
EVALUATED = "evaluated"
CANCELLED = "cancelled"
STATES = (
    DRAFT,
    SUBMITTED,
    CHANGES_REQUESTED,
    APPROVED,
    REJECTED,
    CARRIED_OUT,
    EVALUATED,
    CANCELLED,
)
EDITABLE = frozenset({DRAFT, SUBMITTED, CHANGES_REQUESTED, APPROVED})
# States in which volunteers outside the group can see an activity.
PUBLISHED = frozenset({APPROVED, CARRIED_OUT, EVALUATED})

# Who may take an action: a member of the group, its lead, the board; the creator of a draft.
MEMBER, LEAD, BOARD = "member", "lead", "board"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    who: str  # MEMBER, LEAD or BOARD
    comment_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({DRAFT, CHANGES_REQUESTED}), SUBMITTED, MEMBER),
    "approve": Transition(frozenset({SUBMITTED}), APPROVED, BOARD),
    "request_changes": Transition(frozenset({SUBMITTED}), CHANGES_REQUESTED, BOARD, True),
    "reject": Transition(frozenset({SUBMITTED}), REJECTED, BOARD, True),
    # The time or place of an approved activity changed: it needs approval again.
    "resubmit": Transition(frozenset({APPROVED}), SUBMITTED, MEMBER),
    "carry_out": Transition(frozenset({APPROVED}), CARRIED_OUT, LEAD),
    "evaluate": Transition(frozenset({CARRIED_OUT}), EVALUATED, LEAD),
    "cancel": Transition(
        frozenset({DRAFT, SUBMITTED, CHANGES_REQUESTED, APPROVED}), CANCELLED, LEAD
    ),
}
DECISIONS = ("approve", "request_changes", "reject")


@dataclass(frozen=True)
class Actor:
    """What the person acting is, in relation to this activity."""

    is_board: bool = False
    is_lead: bool = False  # active lead of the activity's group
    is_member: bool = False  # active member (any role) of the group, eligible to act
    is_creator: bool = False
    submitted_it: bool = False  # she made the latest submission

    @property
    def insider(self) -> bool:
        """The group and the board: they see plans, history and evaluations."""
        return self.is_board or self.is_member or self.is_lead


def may_act(who: str, actor: Actor) -> bool:
    if actor.is_board:
        return True
    if who == LEAD:
        return actor.is_lead
    if who == MEMBER:
        return actor.is_member or actor.is_lead
    return False


def transition_problem(
    action: str,
    *,
    state: str,
    actor: Actor,
    now: datetime,
    starts_at: datetime,
    ends_at: datetime,
    comment: str = "",
) -> str | None:
    """None when `actor` may take `action` now; otherwise a code saying why not."""
    t = TRANSITIONS.get(action)
    if t is None:
        return "unknown_action"
    allowed = may_act(t.who, actor)
    if action == "cancel" and state == DRAFT and actor.is_creator:
        allowed = True
    if not allowed:
        return "not_allowed"
    if t.who == BOARD and actor.submitted_it:
        return "own_submission"  # another board member decides on what you submitted
    if state not in t.sources:
        return "wrong_state"
    needs_comment = t.comment_required or (action == "cancel" and state == APPROVED)
    if needs_comment and not comment.strip():
        return "comment_required"
    if action in ("submit", "approve", "resubmit") and now >= starts_at:
        return "started"
    if action == "carry_out" and now < starts_at:
        return "not_started"
    if action == "cancel" and now >= ends_at:
        return "already_over"
    return None


def may_edit(state: str, actor: Actor) -> bool:
    return state in EDITABLE and may_act(MEMBER, actor)


def may_view(state: str, *, actor: Actor, has_signup: bool) -> bool:
    """Drafts and plans are for the group and the board; approved and later ones for every
    signed-in person; a cancelled one for those who had signed up too."""
    return actor.insider or state in PUBLISHED or has_signup


# --- sign-ups -----------------------------------------------------------------------------

CONFIRMED = "confirmed"
WAITING = "waiting"
WITHDRAWN = "cancelled"

OFFER_OPEN = "open"
OFFER_CLAIMED = "claimed"
OFFER_EXPIRED = "expired"
OFFER_WITHDRAWN = "withdrawn"


def signup_problem(
    *,
    state: str,
    starts_at: datetime,
    now: datetime,
    certified: bool,
    audience: str,
    is_member: bool,
    current: str | None,
) -> str | None:
    """May she sign up (or join the waiting list)? `current` is the state of her existing
    sign-up row, if any. Capacity is checked separately, under the lock."""
    if state != APPROVED:
        return "not_open"
    if now >= starts_at:
        return "started"
    if not certified:
        return "not_certified"
    if audience == MEMBERS and not is_member:
        return "members_only"
    if current == CONFIRMED:
        return "already_signed_up"
    if current == WAITING:
        return "already_waiting"
    return None


def places_left(max_volunteers: int, confirmed: int, open_offers: int) -> int:
    """Places nobody holds: confirmed sign-ups and open offers both hold one."""
    return max(0, max_volunteers - confirmed - open_offers)


def may_cancel_self(*, now: datetime, starts_at: datetime, cutoff_hours: int) -> bool:
    """She can cancel herself until the cut-off; after it her cancellation is a message to
    the lead."""
    return now <= starts_at - timedelta(hours=cutoff_hours)


def cancel_deadline(starts_at: datetime, cutoff_hours: int) -> datetime:
    return starts_at - timedelta(hours=cutoff_hours)


def lead_window(*, now: datetime, starts_at: datetime, notice_hours: int) -> bool:
    """Close to the start, a freed place goes to the lead rather than to a 12-hour offer."""
    return now >= starts_at - timedelta(hours=notice_hours)


def offer_expiry(*, now: datetime, starts_at: datetime, valid_hours: int) -> datetime:
    """An offer is valid for `valid_hours`, never past the start."""
    return min(now + timedelta(hours=valid_hours), starts_at)


def offer_is_open(*, state: str, expires_at: datetime, now: datetime) -> bool:
    return state == OFFER_OPEN and now < expires_at


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Do two time spans share any moment? Back-to-back spans do not."""
    return a_start < b_end and b_start < a_end


def may_reflect(*, signup_state: str, attended: bool | None, activity_state: str) -> bool:
    """Volunteers who took part can add a reflection once the activity is carried out."""
    return (
        signup_state == CONFIRMED
        and attended is True
        and activity_state in (CARRIED_OUT, EVALUATED)
    )
