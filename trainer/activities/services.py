"""Activities: drafting, the board's approval, sign-ups with a waiting list, attendance,
evaluation and reflections. Flush, never commit: the caller owns the transaction.

Sign-ups, cancellations and offers lock the activity's row first (PostgreSQL: SELECT … FOR
UPDATE; SQLite: every transaction already starts with BEGIN IMMEDIATE, see db_setup.py),
then count and write in that same transaction, so capacity is never exceeded.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from trainer.activities import rules
from trainer.activities.models import (
    Activity,
    ActivityTransition,
    Evaluation,
    SignUp,
    WaitlistOffer,
)
from trainer.auth.models import User
from trainer.certification.services import current_certified_ids
from trainer.errors import Conflict, NotAllowed, NotFound, TrainerError
from trainer.extensions import db
from trainer.mail import send_mail
from trainer.places.models import District, Place
from trainer.timeutil import utcnow
from trainer.workgroups import rules as group_rules
from trainer.workgroups import services as groups
from trainer.workgroups.models import Membership, Workgroup


def _cfg(name: str) -> int:
    return current_app.config[name]


def problem_message(code: str) -> str:
    """The Swedish sentence for a rule's problem code."""
    if code == "min_below_safety":
        return _(
            "När ni träffar allmänheten på plats behövs minst %(n)d volontärer. "
            "Ingen ska vara ensam.",
            n=_cfg("MIN_VOLUNTEERS_IN_PERSON"),
        )
    if code == "max_range":
        return _("Skriv ett högsta antal mellan 1 och %(n)d.", n=rules.MAX_VOLUNTEERS)
    return {
        "title_missing": _("Skriv en rubrik."),
        "kind_unknown": _("Välj vad det är för aktivitet."),
        "audience_unknown": _("Välj vilka som får anmäla sig."),
        "ends_before_start": _("Sluttiden måste vara efter starttiden."),
        "in_past": _("Tiden har redan passerat. Välj en tid framåt."),
        "min_above_max": _("Det minsta antalet kan inte vara större än det högsta."),
        "max_below_taken": _("Fler än så är redan anmälda. Skriv ett högre antal."),
        "place_unknown": _("Välj en plats i listan."),
        "district_unknown": _("Välj en kommundel i listan."),
        "unknown_action": _("Det går inte att göra så."),
        "not_allowed": _("Du har inte behörighet att göra det med aktiviteten."),
        "own_submission": _(
            "Du skickade själv in aktiviteten. En annan i styrelsen behöver besluta om den."
        ),
        "wrong_state": _("Det går inte just nu, i aktivitetens nuvarande läge."),
        "comment_required": _("Skriv en kommentar som förklarar varför."),
        "started": _("Aktiviteten har redan börjat."),
        "not_started": _("Aktiviteten har inte börjat än."),
        "already_over": _("Aktiviteten är redan över."),
        "not_open": _("Aktiviteten tar inte emot anmälningar."),
        "not_certified": _(
            "Du behöver ett giltigt certifikat från utbildningen för att anmäla dig."
        ),
        "members_only": _("Bara gruppens medlemmar kan anmäla sig till aktiviteten."),
        "already_signed_up": _("Du är redan anmäld."),
        "already_waiting": _("Du står redan på väntelistan."),
    }.get(code, _("Det går inte att göra så."))


class InvalidActivity(TrainerError):
    """The draft breaks one or more rules; `problems` holds (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(" ".join(m for _f, m in problems))
        self.problems = problems


def _link(endpoint: str, **values) -> str:
    """A path for an e-mail, in a request and in a CLI command alike."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


# --- reading ------------------------------------------------------------------------------


def get_activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(_("Aktiviteten finns inte."))
    return activity


def _lock(activity_id: int) -> Activity:
    """The activity's row, locked until the transaction ends, freshly read."""
    activity = db.session.scalar(
        sa.select(Activity)
        .where(Activity.id == activity_id)
        .with_for_update(of=Activity)
        .execution_options(populate_existing=True)
    )
    if activity is None:
        raise NotFound(_("Aktiviteten finns inte."))
    return activity


@dataclass
class Facts:
    """What is known about one person and one activity: her membership of its group, her
    certification, and what that makes her (rules.Actor)."""

    membership: Membership | None
    certified: bool
    actor: rules.Actor

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.state == group_rules.ACTIVE


def facts_for(user: User, activity: Activity, now: datetime) -> Facts:
    """Three queries: membership, certification, the latest submission."""
    m = groups.membership_of(user, activity.workgroup_id)
    certified = current_certified_ids(now, [user.id])
    active = (
        m is not None and m.state == group_rules.ACTIVE and groups.eligible(user, now, certified)
    )
    last_submitter = _last_submitter_id(activity.id)
    actor = rules.Actor(
        is_board=groups.is_board(user),
        is_lead=active and m.role == group_rules.LEAD,
        is_member=active,
        is_creator=activity.created_by_id == user.id,
        submitted_it=last_submitter is not None and last_submitter == user.id,
    )
    return Facts(membership=m, certified=user.id in certified, actor=actor)


def actor_for(user: User, activity: Activity, now: datetime) -> rules.Actor:
    return facts_for(user, activity, now).actor


def _last_submitter_id(activity_id: int) -> int | None:
    """Who sent the activity to the board most recently."""
    return db.session.scalar(
        sa.select(ActivityTransition.actor_id)
        .where(
            ActivityTransition.activity_id == activity_id,
            ActivityTransition.to_state == rules.SUBMITTED,
        )
        .order_by(ActivityTransition.created_at.desc(), ActivityTransition.id.desc())
        .limit(1)
    )


def history(activity_id: int) -> list[ActivityTransition]:
    return list(
        db.session.scalars(
            sa.select(ActivityTransition)
            .options(joinedload(ActivityTransition.actor))
            .where(ActivityTransition.activity_id == activity_id)
            .order_by(ActivityTransition.created_at, ActivityTransition.id)
        )
    )


def _record(
    activity: Activity, to_state: str, actor: User | None, comment: str, now: datetime
) -> None:
    db.session.add(
        ActivityTransition(
            activity_id=activity.id,
            from_state=activity.state,
            to_state=to_state,
            actor_id=actor.id if actor else None,
            comment=comment.strip()[:2000],
            created_at=now,
        )
    )
    activity.state = to_state


# --- drafting and editing -----------------------------------------------------------------


@dataclass
class ActivityInput:
    """An activity as a member enters it; times already converted to naive UTC."""

    title: str
    description: str
    kind: str
    in_person: bool
    district_id: int | None
    place_id: int | None
    starts_at: datetime
    ends_at: datetime
    min_volunteers: int
    max_volunteers: int
    audience: str


def _check(data: ActivityInput, now: datetime, *, taken: int = 0) -> tuple[int | None, int | None]:
    """Raise InvalidActivity with every problem; return (district_id, place_id) to store.
    A place from the register decides the district."""
    problems = [
        (f, problem_message(code))
        for f, code in rules.draft_problems(
            rules.Draft(
                title=data.title,
                kind=data.kind,
                in_person=data.in_person,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                min_volunteers=data.min_volunteers,
                max_volunteers=data.max_volunteers,
                audience=data.audience,
            ),
            now=now,
            safety_minimum=_cfg("MIN_VOLUNTEERS_IN_PERSON"),
        )
    ]
    if data.max_volunteers < taken:
        problems.append(("max_volunteers", problem_message("max_below_taken")))
    district_id, place_id = data.district_id or None, data.place_id or None
    if place_id is not None:
        place = db.session.get(Place, place_id)
        if place is None:
            problems.append(("place", problem_message("place_unknown")))
        else:
            district_id = place.district_id
    elif district_id is not None and db.session.get(District, district_id) is None:
        problems.append(("district", problem_message("district_unknown")))
    if problems:
        raise InvalidActivity(problems)
    return district_id, place_id


def _apply(activity: Activity, data: ActivityInput, district_id, place_id) -> None:
    activity.title = " ".join(data.title.split())[:120]
    activity.description = data.description.strip()[:4000]
    activity.kind = data.kind
    activity.in_person = rules.meets_public(data.kind, data.in_person)
    activity.district_id, activity.place_id = district_id, place_id
    activity.starts_at, activity.ends_at = data.starts_at, data.ends_at
    activity.min_volunteers, activity.max_volunteers = data.min_volunteers, data.max_volunteers
    activity.audience = data.audience


def create_activity(
    user: User, workgroup_id: int, data: ActivityInput, *, now: datetime | None = None
) -> Activity:
    """A member of the group (or the board) drafts an activity."""
    now = now or utcnow()
    group = groups.get_workgroup(workgroup_id)
    if group.archived_at is not None:
        raise Conflict(_("Gruppen är arkiverad och planerar inga nya aktiviteter."))
    m = groups.membership_of(user, group.id)
    member = m is not None and m.state == group_rules.ACTIVE and groups.eligible(user, now)
    if not (member or groups.is_board(user)):
        raise NotAllowed(_("Bara gruppens medlemmar kan planera aktiviteter för gruppen."))
    district_id, place_id = _check(data, now)
    activity = Activity(
        workgroup_id=group.id,
        state=rules.DRAFT,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    _apply(activity, data, district_id, place_id)
    db.session.add(activity)
    db.session.flush()
    db.session.add(
        ActivityTransition(
            activity_id=activity.id,
            from_state=None,
            to_state=rules.DRAFT,
            actor_id=user.id,
            created_at=now,
        )
    )
    db.session.flush()
    return activity


def update_activity(
    user: User, activity_id: int, data: ActivityInput, *, now: datetime | None = None
) -> Activity:
    """Edit an activity. A new time or place for an approved one sends it back to the board,
    and everyone signed up is told."""
    now = now or utcnow()
    activity = _lock(activity_id)
    if not rules.may_edit(activity.state, actor_for(user, activity, now)):
        raise NotAllowed(problem_message("not_allowed"))
    confirmed, offers = _counts(activity.id, now)
    district_id, place_id = _check(data, now, taken=confirmed + offers)
    before = (activity.starts_at, activity.ends_at, activity.district_id, activity.place_id)
    old_max = activity.max_volunteers
    _apply(activity, data, district_id, place_id)
    moved = before != (
        activity.starts_at,
        activity.ends_at,
        activity.district_id,
        activity.place_id,
    )
    activity.updated_at = now
    if moved:
        activity.revision += 1
    if moved:
        if activity.state == rules.APPROVED:
            _record(activity, rules.SUBMITTED, user, _("Tiden eller platsen har ändrats."), now)
        db.session.flush()
        _tell_signed_up(activity, "activity_changed", _("Aktiviteten har ändrats"))
    elif activity.state == rules.APPROVED and activity.max_volunteers > old_max:
        db.session.flush()
        _refill(activity, now, freed=True)
    db.session.flush()
    return activity


# --- transitions --------------------------------------------------------------------------


def take_action(
    user: User, activity_id: int, action: str, comment: str = "", *, now: datetime | None = None
) -> Activity:
    """Submit, decide (approve, request changes, reject), carry out or cancel, as the
    rules allow this person. Every transition is recorded with who, when and the comment."""
    now = now or utcnow()
    if action not in rules.TRANSITIONS or action in ("resubmit", "evaluate"):
        raise TrainerError(problem_message("unknown_action"))
    activity = _lock(activity_id)
    problem = rules.transition_problem(
        action,
        state=activity.state,
        actor=actor_for(user, activity, now),
        now=now,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        comment=comment,
    )
    if problem == "not_allowed" or problem == "own_submission":
        raise NotAllowed(problem_message(problem))
    if problem:
        raise Conflict(problem_message(problem))
    was = activity.state
    _record(activity, rules.TRANSITIONS[action].target, user, comment, now)
    activity.updated_at = now
    db.session.flush()
    if action in rules.DECISIONS:
        _tell_submitter(activity, action, comment)
    if action == "approve":
        _refill(activity, now, freed=True)  # places freed while it waited for the board
    if action == "cancel" and was == rules.APPROVED:
        _withdraw_offers(activity, now)
        _tell_signed_up(activity, "activity_cancelled", _("Aktiviteten är inställd"), comment)
    return activity


def _tell_submitter(activity: Activity, action: str, comment: str) -> None:
    submitter_id = _last_submitter_id(activity.id)
    person = db.session.get(User, submitter_id) if submitter_id else None
    if person is None or not person.active:
        return
    subject = {
        "approve": _("Styrelsen har godkänt: %(t)s", t=activity.title),
        "request_changes": _("Styrelsen vill ha ändringar: %(t)s", t=activity.title),
        "reject": _("Styrelsen har inte godkänt: %(t)s", t=activity.title),
    }[action]
    send_mail(
        person.email,
        subject,
        "activity_decided",
        user=person,
        activity=activity,
        decision=action,
        comment=comment.strip(),
        link=_link("activities.show", activity_id=activity.id),
    )


def _tell_signed_up(activity: Activity, template: str, subject: str, comment: str = "") -> None:
    """E-mail everyone signed up or waiting, one message each (nobody sees the others)."""
    people = db.session.scalars(
        sa.select(User)
        .join(SignUp, SignUp.user_id == User.id)
        .where(
            SignUp.activity_id == activity.id,
            SignUp.state.in_((rules.CONFIRMED, rules.WAITING)),
            User.active.is_(True),
        )
        .order_by(User.id)
    )
    link = _link("activities.show", activity_id=activity.id)
    for person in people:
        send_mail(
            person.email,
            f"{subject}: {activity.title}",
            template,
            user=person,
            activity=activity,
            comment=comment.strip(),
            link=link,
        )


# --- sign-ups and the waiting list --------------------------------------------------------


def _counts(activity_id: int, now: datetime) -> tuple[int, int]:
    """(confirmed sign-ups, open unexpired offers) for one activity."""
    confirmed = db.session.scalar(
        sa.select(sa.func.count(SignUp.id)).where(
            SignUp.activity_id == activity_id, SignUp.state == rules.CONFIRMED
        )
    )
    offers = db.session.scalar(
        sa.select(sa.func.count(WaitlistOffer.id))
        .join(SignUp, SignUp.id == WaitlistOffer.signup_id)
        .where(
            SignUp.activity_id == activity_id,
            WaitlistOffer.state == rules.OFFER_OPEN,
            WaitlistOffer.expires_at > now,
        )
    )
    return confirmed or 0, offers or 0


def _own_signup(user_id: int, activity_id: int) -> SignUp | None:
    return db.session.scalar(
        sa.select(SignUp)
        .where(SignUp.activity_id == activity_id, SignUp.user_id == user_id)
        .execution_options(populate_existing=True)
    )


def _signup_problem(
    facts: Facts, activity: Activity, current: SignUp | None, now: datetime
) -> str | None:
    return rules.signup_problem(
        state=activity.state,
        starts_at=activity.starts_at,
        now=now,
        certified=facts.certified,
        audience=activity.audience,
        is_member=facts.is_member,
        current=current.state if current else None,
    )


def _raise_signup_problem(code: str) -> None:
    if code in ("not_certified", "members_only"):
        raise NotAllowed(problem_message(code))
    raise Conflict(problem_message(code))


@dataclass
class SignUpResult:
    signup: SignUp | None  # None when the activity was full
    overlaps: list[Activity] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.signup is None


def sign_up(user: User, activity_id: int, *, now: datetime | None = None) -> SignUpResult:
    """Take a place. When none is left the result is `full` (nothing stored for her);
    she can then join the waiting list. Offers that ran out are handled first, so people
    already waiting keep their turn."""
    now = now or utcnow()
    activity = _lock(activity_id)
    current = _own_signup(user.id, activity.id)
    offer = _open_offer(current, now) if current is not None else None
    if offer is not None:  # she holds an offer: taking the place claims it
        _claim(user, activity, current, offer, now)
        return SignUpResult(signup=current, overlaps=overlapping(user, activity))
    problem = _signup_problem(facts_for(user, activity, now), activity, current, now)
    if problem:
        _raise_signup_problem(problem)
    _refill(activity, now, freed=False)
    confirmed, offers = _counts(activity.id, now)
    if rules.places_left(activity.max_volunteers, confirmed, offers) == 0:
        return SignUpResult(signup=None)
    if current is None:
        current = SignUp(
            activity_id=activity.id, user_id=user.id, created_at=now, state=rules.CONFIRMED
        )
        try:
            with db.session.begin_nested():
                db.session.add(current)
        except IntegrityError:  # the unique (activity, person) pair: a parallel double click
            raise Conflict(problem_message("already_signed_up")) from None
    current.state, current.confirmed_at, current.cancelled_at = rules.CONFIRMED, now, None
    current.waitlisted_at = current.cancel_requested_at = None
    current.cancel_message = ""
    current.attended = None
    db.session.flush()
    _confirm_mail(user, activity)
    return SignUpResult(signup=current, overlaps=overlapping(user, activity))


def _confirm_mail(user: User, activity: Activity) -> None:
    send_mail(
        user.email,
        _("Du är anmäld: %(t)s", t=activity.title),
        "signup_confirmed",
        user=user,
        activity=activity,
        deadline=rules.cancel_deadline(activity.starts_at, _cfg("CANCEL_CUTOFF_HOURS")),
        link=_link("activities.show", activity_id=activity.id),
        ics=_link("activities.ics", activity_id=activity.id),
    )


def join_waitlist(user: User, activity_id: int, *, now: datetime | None = None) -> SignUp:
    """Join the end of the waiting list of a full activity."""
    now = now or utcnow()
    activity = _lock(activity_id)
    current = _own_signup(user.id, activity.id)
    problem = _signup_problem(facts_for(user, activity, now), activity, current, now)
    if problem:
        _raise_signup_problem(problem)
    confirmed, offers = _counts(activity.id, now)
    if rules.places_left(activity.max_volunteers, confirmed, offers) > 0 and not _queue(
        activity.id, now
    ):
        raise Conflict(_("Det finns en ledig plats. Anmäl dig direkt i stället."))
    if current is None:
        current = SignUp(
            activity_id=activity.id, user_id=user.id, created_at=now, state=rules.WAITING
        )
        db.session.add(current)
    current.state, current.waitlisted_at, current.cancelled_at = rules.WAITING, now, None
    current.confirmed_at = current.cancel_requested_at = None
    db.session.flush()
    return current


def overlapping(user: User, activity: Activity) -> list[Activity]:
    """Her other activities (signed up, not cancelled) that share time with this one."""
    rows = db.session.scalars(
        sa.select(Activity)
        .join(SignUp, SignUp.activity_id == Activity.id)
        .where(
            SignUp.user_id == user.id,
            SignUp.state == rules.CONFIRMED,
            Activity.id != activity.id,
            Activity.state.not_in((rules.CANCELLED, rules.REJECTED)),
            Activity.starts_at < activity.ends_at,
            Activity.ends_at > activity.starts_at,
        )
        .order_by(Activity.starts_at)
    )
    return [
        a
        for a in rows
        if rules.overlaps(a.starts_at, a.ends_at, activity.starts_at, activity.ends_at)
    ]


WITHDRAW_CANCELLED = "cancelled"
WITHDRAW_LEFT_WAITLIST = "left_waitlist"
WITHDRAW_MESSAGE_SENT = "message_sent"


def withdraw(
    user: User, activity_id: int, message: str = "", *, now: datetime | None = None
) -> str:
    """She cancels her place or leaves the waiting list. After the cut-off she cannot
    cancel herself: her cancellation goes to the lead as a message and the place stays
    hers until the lead releases it."""
    now = now or utcnow()
    activity = _lock(activity_id)
    signup = _own_signup(user.id, activity.id)
    if signup is None or signup.state == rules.WITHDRAWN:
        raise Conflict(_("Du är inte anmäld till aktiviteten."))
    if now >= activity.starts_at:
        raise Conflict(problem_message("started"))
    if signup.state == rules.WAITING:
        had_offer = _withdraw_offers(activity, now, signup_id=signup.id)
        signup.state, signup.cancelled_at = rules.WITHDRAWN, now
        db.session.flush()
        if had_offer:
            _refill(activity, now, freed=True)
        return WITHDRAW_LEFT_WAITLIST
    if rules.may_cancel_self(
        now=now, starts_at=activity.starts_at, cutoff_hours=_cfg("CANCEL_CUTOFF_HOURS")
    ):
        signup.state, signup.cancelled_at = rules.WITHDRAWN, now
        db.session.flush()
        _refill(activity, now, freed=True)
        return WITHDRAW_CANCELLED
    signup.cancel_requested_at, signup.cancel_message = now, message.strip()[:1000]
    db.session.flush()
    who = _label_for_leads(user)
    for lead in _lead_recipients(activity):
        send_mail(
            lead.email,
            _("Återbud till %(t)s", t=activity.title),
            "late_cancellation",
            user=lead,
            activity=activity,
            who=who,
            message=signup.cancel_message,
            link=_link("activities.show", activity_id=activity.id),
        )
    return WITHDRAW_MESSAGE_SENT


def release(actor: User, signup_id: int, *, now: datetime | None = None) -> SignUp:
    """The lead (or the board) frees someone's place, e.g. after a late cancellation."""
    now = now or utcnow()
    signup = db.session.get(SignUp, signup_id)
    if signup is None:
        raise NotFound(_("Anmälan finns inte."))
    activity = _lock(signup.activity_id)
    signup = _own_signup(signup.user_id, activity.id)
    if not rules.may_act(rules.LEAD, actor_for(actor, activity, now)):
        raise NotAllowed(problem_message("not_allowed"))
    if signup.state == rules.WITHDRAWN:
        raise Conflict(_("Personen är inte anmäld längre."))
    had_place = signup.state == rules.CONFIRMED
    had_offer = _withdraw_offers(activity, now, signup_id=signup.id)
    signup.state, signup.cancelled_at = rules.WITHDRAWN, now
    db.session.flush()
    if (had_place or had_offer) and activity.state == rules.APPROVED:
        _refill(activity, now, freed=True)
    return signup


def _queue(activity_id: int, now: datetime) -> list[SignUp]:
    """The waiting list in order, without those holding an open offer."""
    holding = (
        sa.select(WaitlistOffer.signup_id)
        .where(WaitlistOffer.state == rules.OFFER_OPEN, WaitlistOffer.expires_at > now)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            sa.select(SignUp)
            .options(joinedload(SignUp.user))
            .where(
                SignUp.activity_id == activity_id,
                SignUp.state == rules.WAITING,
                SignUp.id.not_in(holding),
            )
            .order_by(SignUp.waitlisted_at, SignUp.id)
        )
    )


def _withdraw_offers(activity: Activity, now: datetime, *, signup_id: int | None = None) -> bool:
    """Close open offers (all of the activity's, or one person's). Returns whether any was
    still valid."""
    q = (
        sa.select(WaitlistOffer)
        .join(SignUp, SignUp.id == WaitlistOffer.signup_id)
        .where(SignUp.activity_id == activity.id, WaitlistOffer.state == rules.OFFER_OPEN)
    )
    if signup_id is not None:
        q = q.where(WaitlistOffer.signup_id == signup_id)
    valid = False
    for offer in db.session.scalars(q):
        valid = valid or offer.expires_at > now
        offer.state, offer.closed_at = rules.OFFER_WITHDRAWN, now
    return valid


def _expire_offers(activity: Activity, now: datetime) -> int:
    """Offers that ran out: closed, and their holder leaves the waiting list (she can join
    it again, at the end)."""
    rows = list(
        db.session.scalars(
            sa.select(WaitlistOffer)
            .options(joinedload(WaitlistOffer.signup))
            .join(SignUp, SignUp.id == WaitlistOffer.signup_id)
            .where(
                SignUp.activity_id == activity.id,
                WaitlistOffer.state == rules.OFFER_OPEN,
                WaitlistOffer.expires_at <= now,
            )
        )
    )
    for offer in rows:
        offer.state, offer.closed_at = rules.OFFER_EXPIRED, now
        if offer.signup.state == rules.WAITING:
            offer.signup.state, offer.signup.cancelled_at = rules.WITHDRAWN, now
    if rows:
        db.session.flush()
    return len(rows)


def _refill(activity: Activity, now: datetime, *, freed: bool) -> tuple[int, int]:
    """Under the activity's lock: close offers that ran out, then offer each free place to
    the next on the waiting list. Within LEAD_NOTICE_HOURS of the start the lead is told
    instead (only when a place has just been freed, so she is told once). Returns
    (offers expired, offers made)."""
    expired = _expire_offers(activity, now)
    if activity.state != rules.APPROVED or now >= activity.starts_at:
        return expired, 0
    confirmed, offers = _counts(activity.id, now)
    free = rules.places_left(activity.max_volunteers, confirmed, offers)
    queue = _queue(activity.id, now) if free else []
    if not queue:
        return expired, 0
    if rules.lead_window(
        now=now, starts_at=activity.starts_at, notice_hours=_cfg("LEAD_NOTICE_HOURS")
    ):
        if freed or expired:
            _tell_lead_place_free(activity, free, queue)
        return expired, 0
    for signup in queue[:free]:
        _offer(activity, signup, now)
    return expired, min(free, len(queue))


def _offer(activity: Activity, signup: SignUp, now: datetime) -> None:
    token = secrets.token_urlsafe(32)
    expires = rules.offer_expiry(
        now=now, starts_at=activity.starts_at, valid_hours=_cfg("OFFER_VALID_HOURS")
    )
    db.session.add(
        WaitlistOffer(
            signup_id=signup.id,
            token_hash=_hash(token),
            created_at=now,
            expires_at=expires,
            state=rules.OFFER_OPEN,
        )
    )
    db.session.flush()
    send_mail(
        signup.user.email,
        _("En plats är ledig: %(t)s", t=activity.title),
        "waitlist_offer",
        user=signup.user,
        activity=activity,
        expires_at=expires,
        link=_link("activities.claim", token=token),
    )


def _label_for_leads(person: User) -> str:
    return _("en volontär") if person.protected_identity else person.display_name


def _lead_recipients(activity: Activity) -> list[User]:
    """The group's leads; without any, whoever planned the activity."""
    leads = groups.leads_of(activity.workgroup_id)
    if not leads and activity.created_by_id:
        creator = db.session.get(User, activity.created_by_id)
        leads = [creator] if creator and creator.active else []
    return leads


def _tell_lead_place_free(activity: Activity, free: int, queue: list[SignUp]) -> None:
    waiting = [_label_for_leads(s.user) for s in queue]
    for lead in _lead_recipients(activity):
        send_mail(
            lead.email,
            _("Ledig plats nära start: %(t)s", t=activity.title),
            "lead_place_free",
            user=lead,
            activity=activity,
            free=free,
            waiting=waiting,
            link=_link("activities.show", activity_id=activity.id),
        )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_offer(token: str) -> WaitlistOffer | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(WaitlistOffer)
        .options(joinedload(WaitlistOffer.signup))
        .where(WaitlistOffer.token_hash == _hash(token))
    )


CLAIMED = "claimed"
CLAIM_EXPIRED = "expired"


def claim_offer(user: User, token: str, *, now: datetime | None = None) -> tuple[str, Activity]:
    """Take the offered place. Returns ("claimed" | "expired", activity); an expired offer
    passes the place on to the next in line, so the caller commits either way."""
    now = now or utcnow()
    offer = find_offer(token)
    if offer is None or offer.signup.user_id != user.id:
        raise NotFound(_("Erbjudandet finns inte. Kontrollera länken."))
    activity = _lock(offer.signup.activity_id)
    db.session.refresh(offer)
    signup = _own_signup(user.id, activity.id)
    if offer.state == rules.OFFER_CLAIMED:
        raise Conflict(_("Du har redan tagit platsen."))
    if not rules.offer_is_open(state=offer.state, expires_at=offer.expires_at, now=now):
        _refill(activity, now, freed=False)
        return CLAIM_EXPIRED, activity
    _claim(user, activity, signup, offer, now)
    return CLAIMED, activity


def _open_offer(signup: SignUp, now: datetime) -> WaitlistOffer | None:
    return db.session.scalar(
        sa.select(WaitlistOffer).where(
            WaitlistOffer.signup_id == signup.id,
            WaitlistOffer.state == rules.OFFER_OPEN,
            WaitlistOffer.expires_at > now,
        )
    )


def _claim(
    user: User, activity: Activity, signup: SignUp, offer: WaitlistOffer, now: datetime
) -> None:
    """Under the lock: the offered place becomes hers."""
    if activity.state != rules.APPROVED or now >= activity.starts_at:
        raise Conflict(problem_message("not_open"))
    offer.state, offer.closed_at = rules.OFFER_CLAIMED, now
    signup.state, signup.confirmed_at, signup.waitlisted_at = rules.CONFIRMED, now, None
    db.session.flush()
    _confirm_mail(user, activity)


@dataclass
class TickResult:
    expired: int = 0
    offered: int = 0
    activities: int = 0


def pending_activity_ids(now: datetime) -> list[int]:
    """Upcoming approved activities with an open offer or a waiting list: what `tick`
    looks at."""
    has_open_offer = (
        sa.select(SignUp.activity_id)
        .join(WaitlistOffer, WaitlistOffer.signup_id == SignUp.id)
        .where(WaitlistOffer.state == rules.OFFER_OPEN)
    )
    has_queue = sa.select(SignUp.activity_id).where(SignUp.state == rules.WAITING)
    return list(
        db.session.scalars(
            sa.select(Activity.id)
            .where(
                sa.or_(Activity.id.in_(has_open_offer), Activity.id.in_(has_queue)),
                Activity.state == rules.APPROVED,
                Activity.starts_at > now,
            )
            .order_by(Activity.id)
        )
    )


def tick_activity(activity_id: int, now: datetime | None = None) -> tuple[int, int]:
    """Under the activity's lock: close offers that ran out and pass the places on.
    Returns (offers expired, offers made)."""
    return _refill(_lock(activity_id), now or utcnow(), freed=False)


def tick(
    now: datetime | None = None, *, after_each: Callable[[], None] | None = None
) -> TickResult:
    """Process every waiting list: close offers that ran out and pass the places on. The
    CLI passes `after_each=db.session.commit`, so each activity's lock is held only while
    that activity is handled."""
    now = now or utcnow()
    result = TickResult()
    for activity_id in pending_activity_ids(now):
        expired, offered = tick_activity(activity_id, now)
        if after_each:
            after_each()
        result.expired += expired
        result.offered += offered
        result.activities += 1
    return result


# --- afterwards: attendance, evaluation, reflection ---------------------------------------


def record_attendance(
    actor: User, activity_id: int, attended_ids: set[int], *, now: datetime | None = None
) -> Activity:
    """The lead marks who came (sign-up ids). An approved activity becomes carried out."""
    now = now or utcnow()
    activity = _lock(activity_id)
    who = actor_for(actor, activity, now)
    if not rules.may_act(rules.LEAD, who):
        raise NotAllowed(problem_message("not_allowed"))
    if activity.state == rules.APPROVED:
        problem = rules.transition_problem(
            "carry_out",
            state=activity.state,
            actor=who,
            now=now,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
        )
        if problem:
            raise Conflict(problem_message(problem))
        _record(activity, rules.CARRIED_OUT, actor, "", now)
    elif activity.state not in (rules.CARRIED_OUT, rules.EVALUATED):
        raise Conflict(problem_message("wrong_state"))
    signups = {s.id: s for s in confirmed_signups(activity.id)}
    if not attended_ids <= set(signups):
        raise TrainerError(_("Välj bland dem som var anmälda."))
    for sid, s in signups.items():
        s.attended = sid in attended_ids
    activity.updated_at = now
    db.session.flush()
    return activity


@dataclass
class EvaluationInput:
    people_reached: int
    target_group: str
    went_well: str
    to_improve: str
    incidents: str


def get_evaluation(activity_id: int) -> Evaluation | None:
    return db.session.scalar(sa.select(Evaluation).where(Evaluation.activity_id == activity_id))


def save_evaluation(
    actor: User, activity_id: int, data: EvaluationInput, *, now: datetime | None = None
) -> Evaluation:
    """The lead's evaluation; saving it the first time makes the activity evaluated."""
    now = now or utcnow()
    activity = _lock(activity_id)
    who = actor_for(actor, activity, now)
    if not rules.may_act(rules.LEAD, who):
        raise NotAllowed(problem_message("not_allowed"))
    if activity.state not in (rules.CARRIED_OUT, rules.EVALUATED):
        raise Conflict(_("Markera först vilka som kom, så blir aktiviteten genomförd."))
    if data.people_reached < 0 or data.people_reached > 100000:
        raise TrainerError(_("Skriv hur många ni nådde, som ett tal från 0."))
    ev = get_evaluation(activity.id)
    if ev is None:
        ev = Evaluation(activity_id=activity.id, created_at=now)
        db.session.add(ev)
    ev.author_id, ev.updated_at = actor.id, now
    ev.people_reached = data.people_reached
    ev.target_group = data.target_group.strip()[:200]
    ev.went_well = data.went_well.strip()[:4000]
    ev.to_improve = data.to_improve.strip()[:4000]
    ev.incidents = data.incidents.strip()[:4000]
    if activity.state == rules.CARRIED_OUT:
        _record(activity, rules.EVALUATED, actor, "", now)
    db.session.flush()
    return ev


def save_reflection(
    user: User, activity_id: int, text: str, *, now: datetime | None = None
) -> SignUp:
    """A volunteer who took part writes a short reflection."""
    activity = get_activity(activity_id)
    signup = _own_signup(user.id, activity.id)
    if signup is None or not rules.may_reflect(
        signup_state=signup.state, attended=signup.attended, activity_state=activity.state
    ):
        raise NotAllowed(_("Du kan skriva en reflektion när du har varit med på aktiviteten."))
    text = text.strip()
    if not text:
        raise TrainerError(_("Skriv några ord."))
    signup.reflection, signup.reflected_at = text[:2000], now or utcnow()
    db.session.flush()
    return signup


# --- lists for the pages and the board ----------------------------------------------------


def confirmed_signups(activity_id: int) -> list[SignUp]:
    return list(
        db.session.scalars(
            sa.select(SignUp)
            .options(joinedload(SignUp.user))
            .where(SignUp.activity_id == activity_id, SignUp.state == rules.CONFIRMED)
            .order_by(SignUp.confirmed_at, SignUp.id)
        )
    )


def counts_for(activity_ids: list[int], now: datetime) -> dict[int, tuple[int, int, int]]:
    """{activity id: (confirmed, waiting, open offers)} in two queries."""
    if not activity_ids:
        return {}
    result = {i: [0, 0, 0] for i in activity_ids}
    for aid, state, n in db.session.execute(
        sa.select(SignUp.activity_id, SignUp.state, sa.func.count(SignUp.id))
        .where(SignUp.activity_id.in_(activity_ids), SignUp.state != rules.WITHDRAWN)
        .group_by(SignUp.activity_id, SignUp.state)
    ):
        result[aid][0 if state == rules.CONFIRMED else 1] += n
    for aid, n in db.session.execute(
        sa.select(SignUp.activity_id, sa.func.count(WaitlistOffer.id))
        .join(WaitlistOffer, WaitlistOffer.signup_id == SignUp.id)
        .where(
            SignUp.activity_id.in_(activity_ids),
            WaitlistOffer.state == rules.OFFER_OPEN,
            WaitlistOffer.expires_at > now,
        )
        .group_by(SignUp.activity_id)
    ):
        result[aid][2] = n
    return {k: (v[0], v[1], v[2]) for k, v in result.items()}


def approval_queue() -> list[Activity]:
    """Submitted activities, the soonest first: the board's queue (/board/approvals)."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.state == rules.SUBMITTED)
            .order_by(Activity.starts_at, Activity.id)
        )
    )


def previously_approved(activity_ids: list[int]) -> set[int]:
    """Which of these activities have been approved before (a submitted one among them
    came back after a new time or place). One query."""
    if not activity_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(ActivityTransition.activity_id).where(
                ActivityTransition.activity_id.in_(activity_ids),
                ActivityTransition.to_state == rules.APPROVED,
            )
        )
    )


def below_minimum(now: datetime, days: int = 14) -> list[tuple[Activity, int]]:
    """Approved activities starting within `days` with fewer sign-ups than their minimum,
    with the number signed up. Two queries."""
    rows = list(
        db.session.scalars(
            sa.select(Activity)
            .where(
                Activity.state == rules.APPROVED,
                Activity.starts_at > now,
                Activity.starts_at <= now + timedelta(days=days),
            )
            .order_by(Activity.starts_at, Activity.id)
        )
    )
    counts = counts_for([a.id for a in rows], now)
    return [(a, counts[a.id][0]) for a in rows if counts[a.id][0] < a.min_volunteers]


def missing_evaluation(now: datetime) -> list[Activity]:
    """Activities that are over but not evaluated: approved ones past their end (attendance
    not marked yet) and carried-out ones."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(
                sa.or_(
                    Activity.state == rules.CARRIED_OUT,
                    sa.and_(Activity.state == rules.APPROVED, Activity.ends_at <= now),
                )
            )
            .order_by(Activity.starts_at, Activity.id)
        )
    )


@dataclass
class EvaluationRow:
    activity: Activity
    evaluation: Evaluation
    attended: int
    reflections: list[tuple[str, str]]  # (label, text)


def evaluations(
    *,
    workgroup_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[EvaluationRow]:
    """Evaluated activities in a period (by start time, UTC, end exclusive), optionally for
    one group, with attendance and the volunteers' reflections. Three queries. For the
    board's eyes: reflections carry full names."""
    q = (
        sa.select(Activity, Evaluation)
        .join(Evaluation, Evaluation.activity_id == Activity.id)
        .where(Activity.state == rules.EVALUATED)
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
    )
    if workgroup_id:
        q = q.where(Activity.workgroup_id == workgroup_id)
    if start:
        q = q.where(Activity.starts_at >= start)
    if end:
        q = q.where(Activity.starts_at < end)
    pairs = db.session.execute(q).all()
    ids = [a.id for a, _e in pairs]
    attended: dict[int, int] = {}
    reflections: dict[int, list[tuple[str, str]]] = {}
    if ids:
        for s in db.session.scalars(
            sa.select(SignUp)
            .options(joinedload(SignUp.user))
            .where(SignUp.activity_id.in_(ids), SignUp.state == rules.CONFIRMED)
            .order_by(SignUp.reflected_at, SignUp.id)
        ):
            if s.attended:
                attended[s.activity_id] = attended.get(s.activity_id, 0) + 1
            if s.reflection:
                reflections.setdefault(s.activity_id, []).append((s.user.full_name, s.reflection))
    return [
        EvaluationRow(
            activity=a,
            evaluation=e,
            attended=attended.get(a.id, 0),
            reflections=reflections.get(a.id, []),
        )
        for a, e in pairs
    ]


def group_activities(
    workgroup: Workgroup, viewer: User, now: datetime
) -> tuple[list[Activity], list[Activity]]:
    """(upcoming, past) activities of a group as this viewer may see them: members and the
    board see plans too; others see approved and later ones."""
    m = groups.membership_of(viewer, workgroup.id)
    insider = groups.is_board(viewer) or (m is not None and m.state == group_rules.ACTIVE)
    q = sa.select(Activity).where(Activity.workgroup_id == workgroup.id)
    if not insider:
        q = q.where(Activity.state.in_(rules.PUBLISHED))
    rows = list(db.session.scalars(q.order_by(Activity.starts_at, Activity.id)))
    upcoming = [
        a for a in rows if a.ends_at > now and a.state not in (rules.CANCELLED, rules.REJECTED)
    ]
    past = [a for a in rows if a not in upcoming]
    past.reverse()
    return upcoming, past


@dataclass
class Listing:
    """Everything /activities shows one person."""

    mine: list[tuple[Activity, SignUp]]
    upcoming: list[Activity]
    planning: list[Activity]  # not yet approved, in her groups
    to_follow_up: list[Activity]  # over, in groups she leads: attendance or evaluation due
    counts: dict[int, tuple[int, int, int]]


def listing(viewer: User, now: datetime) -> Listing:
    """Her sign-ups, upcoming approved activities, her groups' plans and follow-ups, in a
    constant number of queries."""
    memberships = {
        m.workgroup_id: m
        for m in db.session.scalars(
            sa.select(Membership).where(
                Membership.user_id == viewer.id, Membership.state == group_rules.ACTIVE
            )
        )
    }
    led = [g for g, m in memberships.items() if m.role == group_rules.LEAD]
    own = {
        s.activity_id: s
        for s in db.session.scalars(
            sa.select(SignUp).where(SignUp.user_id == viewer.id, SignUp.state != rules.WITHDRAWN)
        )
    }
    mine_groups = list(memberships)
    q = sa.select(Activity).where(
        sa.or_(
            sa.and_(Activity.state == rules.APPROVED, Activity.ends_at > now),
            sa.and_(
                Activity.workgroup_id.in_(mine_groups),
                Activity.state.in_((rules.DRAFT, rules.SUBMITTED, rules.CHANGES_REQUESTED)),
                Activity.ends_at > now,
            ),
            Activity.id.in_(list(own)),
            sa.and_(
                Activity.workgroup_id.in_(led),
                sa.or_(
                    Activity.state == rules.CARRIED_OUT,
                    sa.and_(Activity.state == rules.APPROVED, Activity.ends_at <= now),
                ),
            ),
        )
    )
    rows = list(db.session.scalars(q.order_by(Activity.starts_at, Activity.id)))
    counts = counts_for([a.id for a in rows], now)
    mine = [(a, own[a.id]) for a in rows if a.id in own and a.ends_at > now]
    upcoming = [a for a in rows if a.state == rules.APPROVED and a.ends_at > now]
    planning = [
        a
        for a in rows
        if a.state in (rules.DRAFT, rules.SUBMITTED, rules.CHANGES_REQUESTED)
        and a.workgroup_id in memberships
        and a.ends_at > now
    ]
    follow = [
        a
        for a in rows
        if a.workgroup_id in led
        and (a.state == rules.CARRIED_OUT or (a.state == rules.APPROVED and a.ends_at <= now))
    ]
    return Listing(
        mine=mine,
        upcoming=upcoming,
        planning=planning,
        to_follow_up=follow,
        counts=counts,
    )


@dataclass
class Person:
    """A signed-up person as the viewer may see her."""

    signup: SignUp
    row: groups.PersonRow


@dataclass
class Page:
    """Everything /activities/<id> shows one person, in a constant number of queries."""

    activity: Activity
    facts: Facts
    actions: list[str]  # transitions she may take now
    may_edit: bool
    history: list[tuple[ActivityTransition, str]]  # with who, for the group and the board
    mine: SignUp | None
    my_offer: WaitlistOffer | None
    confirmed: int
    waiting: int
    left: int
    signup_problem: str | None  # a sentence, when she may not sign up
    may_cancel_self: bool
    deadline: datetime
    overlaps: list[Activity]
    people: list[Person] | None  # None: she sees the numbers only
    queue: list[Person]  # the waiting list, for the lead and the board
    evaluation: Evaluation | None
    may_reflect: bool
    signups_open: bool  # approved and not started
    may_mark_attendance: bool  # the lead or the board, once it has started
    may_evaluate: bool

    @property
    def manages(self) -> bool:
        return rules.may_act(rules.LEAD, self.facts.actor)


def page(viewer: User, activity_id: int, now: datetime) -> Page:
    activity = get_activity(activity_id)
    facts = facts_for(viewer, activity, now)
    mine = _own_signup(viewer.id, activity.id)
    actor = facts.actor
    has_signup = mine is not None and mine.state != rules.WITHDRAWN
    if not rules.may_view(activity.state, actor=actor, has_signup=has_signup):
        raise NotFound(_("Aktiviteten finns inte."))
    insider = actor.insider
    manages = rules.may_act(rules.LEAD, actor)
    actions = [
        name
        for name in ("submit", "approve", "request_changes", "reject", "cancel")
        if rules.transition_problem(
            name,
            state=activity.state,
            actor=actor,
            now=now,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            comment="-",
        )
        is None
    ]
    signups = list(
        db.session.scalars(
            sa.select(SignUp)
            .options(joinedload(SignUp.user))
            .where(
                SignUp.activity_id == activity.id,
                SignUp.state.in_((rules.CONFIRMED, rules.WAITING)),
            )
            .order_by(SignUp.confirmed_at, SignUp.waitlisted_at, SignUp.id)
        )
    )
    open_offers = {
        o.signup_id: o
        for o in db.session.scalars(
            sa.select(WaitlistOffer)
            .join(SignUp, SignUp.id == WaitlistOffer.signup_id)
            .where(
                SignUp.activity_id == activity.id,
                WaitlistOffer.state == rules.OFFER_OPEN,
                WaitlistOffer.expires_at > now,
            )
        )
    }
    confirmed = [s for s in signups if s.state == rules.CONFIRMED]
    waiting = [s for s in signups if s.state == rules.WAITING]
    waiting.sort(key=lambda s: (s.waitlisted_at or now, s.id))

    def person(s: SignUp) -> Person:
        row = groups.person_row(
            s.user,
            viewer=viewer,
            viewer_is_board=actor.is_board,
            viewer_is_lead=actor.is_lead,
            member_list=False,
        )
        return Person(signup=s, row=row)

    sees_names = insider or (mine is not None and mine.state == rules.CONFIRMED)
    trail = []
    for t in history(activity.id) if insider else []:
        row = t.actor and groups.person_row(
            t.actor,
            viewer=viewer,
            viewer_is_board=actor.is_board,
            viewer_is_lead=actor.is_lead,
            member_list=False,
        )
        trail.append((t, row.label if row else ""))
    problem = _signup_problem(facts, activity, mine, now)
    return Page(
        activity=activity,
        facts=facts,
        actions=actions,
        may_edit=rules.may_edit(activity.state, actor),
        history=trail,
        mine=mine if has_signup else None,
        my_offer=open_offers.get(mine.id) if mine else None,
        confirmed=len(confirmed),
        waiting=len(waiting),
        left=rules.places_left(activity.max_volunteers, len(confirmed), len(open_offers)),
        signup_problem=problem_message(problem) if problem else None,
        may_cancel_self=rules.may_cancel_self(
            now=now, starts_at=activity.starts_at, cutoff_hours=_cfg("CANCEL_CUTOFF_HOURS")
        ),
        deadline=rules.cancel_deadline(activity.starts_at, _cfg("CANCEL_CUTOFF_HOURS")),
        overlaps=overlapping(viewer, activity)
        if activity.state == rules.APPROVED and activity.ends_at > now
        else [],
        people=[person(s) for s in confirmed] if sees_names else None,
        queue=[person(s) for s in waiting] if manages else [],
        evaluation=get_evaluation(activity.id) if insider else None,
        signups_open=activity.state == rules.APPROVED and now < activity.starts_at,
        may_mark_attendance=manages
        and now >= activity.starts_at
        and activity.state in (rules.APPROVED, rules.CARRIED_OUT, rules.EVALUATED),
        may_evaluate=manages and activity.state in (rules.CARRIED_OUT, rules.EVALUATED),
        may_reflect=mine is not None
        and rules.may_reflect(
            signup_state=mine.state, attended=mine.attended, activity_state=activity.state
        ),
    )
