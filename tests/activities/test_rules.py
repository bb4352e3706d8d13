"""Activity rules, without app or database: states, who may, safety, sign-ups, timing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from trainer.activities import rules

NOW = datetime(2026, 3, 2, 9, 0)
START = NOW + timedelta(days=5)
END = START + timedelta(hours=2)

BOARD = rules.Actor(is_board=True)
LEAD = rules.Actor(is_lead=True, is_member=True)
MEMBER = rules.Actor(is_member=True)
CREATOR = rules.Actor(is_creator=True)  # drafted it, no longer a member
OUTSIDER = rules.Actor()
BOARD_SUBMITTER = rules.Actor(is_board=True, submitted_it=True)


def problem(action, state, actor, *, now=NOW, comment="ok"):
    return rules.transition_problem(
        action, state=state, actor=actor, now=now, starts_at=START, ends_at=END, comment=comment
    )


# --- every transition and who may take it -------------------------------------------------

ACTORS = {"board": BOARD, "lead": LEAD, "member": MEMBER, "outsider": OUTSIDER}
WHO_MAY = {
    "submit": {"board", "lead", "member"},
    "approve": {"board"},
    "request_changes": {"board"},
    "reject": {"board"},
    "resubmit": {"board", "lead", "member"},
    "carry_out": {"board", "lead"},
    "evaluate": {"board", "lead"},
    "cancel": {"board", "lead"},
}


@pytest.mark.parametrize("action", sorted(rules.TRANSITIONS))
@pytest.mark.parametrize("who", sorted(ACTORS))
def test_who_may_take_each_transition(action, who):
    t = rules.TRANSITIONS[action]
    state = sorted(t.sources)[0]
    now = START + timedelta(minutes=1) if action in ("carry_out", "evaluate") else NOW
    result = problem(action, state, ACTORS[who], now=now)
    assert (result is None) == (who in WHO_MAY[action]), (action, who, result)
    if who not in WHO_MAY[action]:
        assert result == "not_allowed"


@pytest.mark.parametrize("action", sorted(rules.TRANSITIONS))
@pytest.mark.parametrize("state", rules.STATES)
def test_transitions_only_from_their_source_states(action, state):
    t = rules.TRANSITIONS[action]
    now = START + timedelta(minutes=1) if action in ("carry_out", "evaluate") else NOW
    result = problem(action, state, BOARD, now=now)
    assert (result is None) == (state in t.sources), (action, state, result)


def test_the_state_machine_paths():
    assert rules.TRANSITIONS["submit"].target == rules.SUBMITTED
    assert rules.TRANSITIONS["approve"].target == rules.APPROVED
    assert rules.TRANSITIONS["request_changes"].target == rules.CHANGES_REQUESTED
    assert rules.TRANSITIONS["reject"].target == rules.REJECTED
    assert rules.TRANSITIONS["carry_out"].target == rules.CARRIED_OUT
    assert rules.TRANSITIONS["evaluate"].target == rules.EVALUATED
    assert rules.TRANSITIONS["resubmit"].target == rules.SUBMITTED
    assert rules.TRANSITIONS["cancel"].target == rules.CANCELLED
    assert rules.CHANGES_REQUESTED in rules.TRANSITIONS["submit"].sources
    for final in (rules.REJECTED, rules.EVALUATED, rules.CANCELLED):
        assert not any(final in t.sources for t in rules.TRANSITIONS.values())


def test_a_board_member_does_not_decide_on_her_own_submission():
    for action in rules.DECISIONS:
        assert problem(action, rules.SUBMITTED, BOARD_SUBMITTER) == "own_submission"
    assert problem("cancel", rules.SUBMITTED, BOARD_SUBMITTER) is None


def test_the_creator_may_cancel_her_own_draft_only():
    assert problem("cancel", rules.DRAFT, CREATOR) is None
    assert problem("cancel", rules.SUBMITTED, CREATOR) == "not_allowed"


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_changes_and_rejections_need_a_comment(action):
    assert problem(action, rules.SUBMITTED, BOARD, comment="  ") == "comment_required"


def test_cancelling_an_approved_activity_needs_a_reason():
    assert problem("cancel", rules.APPROVED, LEAD, comment="") == "comment_required"
    assert problem("cancel", rules.DRAFT, LEAD, comment="") is None


def test_timing_of_transitions():
    assert problem("submit", rules.DRAFT, MEMBER, now=START) == "started"
    assert problem("approve", rules.SUBMITTED, BOARD, now=START) == "started"
    assert problem("carry_out", rules.APPROVED, LEAD, now=START - timedelta(minutes=1)) == (
        "not_started"
    )
    assert problem("carry_out", rules.APPROVED, LEAD, now=START) is None
    assert problem("cancel", rules.APPROVED, LEAD, now=END) == "already_over"
    assert problem("no_such", rules.DRAFT, BOARD) == "unknown_action"


def test_editing_and_viewing():
    assert rules.may_edit(rules.APPROVED, MEMBER) and rules.may_edit(rules.DRAFT, BOARD)
    assert not rules.may_edit(rules.CARRIED_OUT, BOARD)
    assert not rules.may_edit(rules.DRAFT, OUTSIDER)
    assert not rules.may_view(rules.DRAFT, actor=OUTSIDER, has_signup=False)
    assert rules.may_view(rules.SUBMITTED, actor=MEMBER, has_signup=False)
    assert rules.may_view(rules.APPROVED, actor=OUTSIDER, has_signup=False)
    assert rules.may_view(rules.CANCELLED, actor=OUTSIDER, has_signup=True)
    assert not rules.may_view(rules.CANCELLED, actor=OUTSIDER, has_signup=False)


# --- the safety minimum and other draft checks --------------------------------------------

GOOD = rules.Draft(
    title="Skolbesök",
    kind="skolbesok",
    in_person=False,
    starts_at=START,
    ends_at=END,
    min_volunteers=2,
    max_volunteers=3,
    audience=rules.MEMBERS,
)


def codes(d, safety=2):
    return [c for _f, c in rules.draft_problems(d, now=NOW, safety_minimum=safety)]


def test_a_good_draft_has_no_problems():
    assert codes(GOOD) == []


@pytest.mark.parametrize("kind", sorted(rules.MEETS_PUBLIC))
def test_meeting_the_public_needs_at_least_two_whatever_the_checkbox(kind):
    assert codes(replace(GOOD, kind=kind, min_volunteers=1, in_person=False)) == [
        "min_below_safety"
    ]


def test_other_kinds_need_two_only_when_held_in_person():
    online = replace(GOOD, kind="sociala-medier", min_volunteers=1, max_volunteers=1)
    assert codes(online) == []
    assert codes(replace(online, in_person=True, max_volunteers=3)) == ["min_below_safety"]


def test_the_safety_minimum_is_configurable():
    assert codes(replace(GOOD, min_volunteers=2), safety=3) == ["min_below_safety"]
    assert rules.min_floor("skolbesok", False, 3) == 3
    assert rules.min_floor("annat", False, 3) == 1


def test_draft_problems_name_their_fields():
    bad = replace(
        GOOD,
        title=" ",
        kind="x",
        audience="y",
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW - timedelta(hours=2),
        min_volunteers=5,
        max_volunteers=4,
    )
    assert rules.draft_problems(bad, now=NOW, safety_minimum=2) == [
        ("title", "title_missing"),
        ("kind", "kind_unknown"),
        ("audience", "audience_unknown"),
        ("end_time", "ends_before_start"),
        ("date", "in_past"),
        ("min_volunteers", "min_above_max"),
    ]
    assert codes(replace(GOOD, max_volunteers=0, min_volunteers=0)) == [
        "max_range",
        "min_below_safety",
    ]


# --- sign-ups -----------------------------------------------------------------------------


def signup(**kw):
    base = dict(
        state=rules.APPROVED,
        starts_at=START,
        now=NOW,
        certified=True,
        audience=rules.CERTIFIED,
        is_member=False,
        current=None,
    )
    base.update(kw)
    return rules.signup_problem(**base)


def test_sign_up_eligibility():
    assert signup() is None
    assert signup(certified=False) == "not_certified"
    assert signup(audience=rules.MEMBERS) == "members_only"
    assert signup(audience=rules.MEMBERS, is_member=True) is None
    assert signup(now=START) == "started"
    assert signup(current=rules.CONFIRMED) == "already_signed_up"
    assert signup(current=rules.WAITING) == "already_waiting"
    assert signup(current=rules.WITHDRAWN) is None
    for state in set(rules.STATES) - {rules.APPROVED}:
        assert signup(state=state) == "not_open"


def test_places_left_counts_offers_as_taken():
    assert rules.places_left(4, 2, 1) == 1
    assert rules.places_left(4, 4, 0) == 0
    assert rules.places_left(3, 4, 0) == 0


def test_cut_off():
    assert rules.may_cancel_self(now=START - timedelta(hours=24), starts_at=START, cutoff_hours=24)
    assert not rules.may_cancel_self(
        now=START - timedelta(hours=23, minutes=59), starts_at=START, cutoff_hours=24
    )
    assert rules.may_cancel_self(now=START - timedelta(hours=3), starts_at=START, cutoff_hours=2)
    assert rules.cancel_deadline(START, 24) == START - timedelta(days=1)


def test_waiting_list_timing():
    assert rules.offer_expiry(now=NOW, starts_at=START, valid_hours=12) == NOW + timedelta(hours=12)
    assert rules.offer_expiry(now=START - timedelta(hours=2), starts_at=START, valid_hours=12) == (
        START
    )
    assert rules.lead_window(now=START - timedelta(hours=24), starts_at=START, notice_hours=24)
    assert not rules.lead_window(now=START - timedelta(hours=25), starts_at=START, notice_hours=24)
    expires = NOW + timedelta(hours=12)
    assert rules.offer_is_open(state=rules.OFFER_OPEN, expires_at=expires, now=NOW)
    assert not rules.offer_is_open(state=rules.OFFER_OPEN, expires_at=expires, now=expires)
    assert not rules.offer_is_open(state=rules.OFFER_CLAIMED, expires_at=expires, now=NOW)


def test_overlaps():
    h = timedelta(hours=1)
    assert rules.overlaps(NOW, NOW + 2 * h, NOW + h, NOW + 3 * h)
    assert rules.overlaps(NOW, NOW + 3 * h, NOW + h, NOW + 2 * h)
    assert not rules.overlaps(NOW, NOW + h, NOW + h, NOW + 2 * h)  # back to back
    assert not rules.overlaps(NOW, NOW + h, NOW + 2 * h, NOW + 3 * h)


def test_reflections_only_from_those_who_came():
    assert rules.may_reflect(
        signup_state=rules.CONFIRMED, attended=True, activity_state=rules.CARRIED_OUT
    )
    assert not rules.may_reflect(
        signup_state=rules.CONFIRMED, attended=False, activity_state=rules.CARRIED_OUT
    )
    assert not rules.may_reflect(
        signup_state=rules.CONFIRMED, attended=None, activity_state=rules.APPROVED
    )
