"""Activity services: drafting, every transition with its record and e-mails, sign-ups,
the waiting list with offers that expire, the cut-off, overlaps, attendance, evaluation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import activity, certify, district, group, join, place, signup
from trainer.activities import rules, services
from trainer.activities.models import ActivityTransition, SignUp, WaitlistOffer
from trainer.errors import Conflict, NotAllowed, NotFound, TrainerError
from trainer.extensions import db
from trainer.timeutil import utcnow


@pytest.fixture
def people(app, make_user):
    """A group with a lead and a member, a board member, certified volunteers outside it."""

    class P:
        g = group("tantjour")
        lead = make_user(name="Lena Ledare")
        member = make_user(name="Mia Medlem")
        board = make_user("board", name="Siri Styrelse")
        board2 = make_user("board", name="Bodil Styrelse")
        vols = [make_user(name=f"Vol {i} Volontär") for i in range(5)]

    for u in (P.lead, P.member, *P.vols):
        certify(u)
    join(P.lead, P.g, role="lead")
    join(P.member, P.g)
    return P


def draft_input(now, **kw):
    start = now + timedelta(days=10)
    data = dict(
        title="Tantjour-träff på träffpunkten",
        description="Vi berättar om jouren.",
        kind="tantjour",
        in_person=True,
        district_id=district("Alby").id,
        place_id=None,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        min_volunteers=2,
        max_volunteers=3,
        audience=rules.CERTIFIED,
    )
    data.update(kw)
    return services.ActivityInput(**data)


def states(a):
    return [
        (t.from_state, t.to_state)
        for t in db.session.scalars(
            sa.select(ActivityTransition)
            .where(ActivityTransition.activity_id == a.id)
            .order_by(ActivityTransition.id)
        )
    ]


# --- drafting -----------------------------------------------------------------------------


def test_a_member_drafts_and_the_transition_is_recorded(people):
    now = utcnow()
    a = services.create_activity(people.member, people.g.id, draft_input(now), now=now)
    assert a.state == rules.DRAFT and a.created_by_id == people.member.id
    t = db.session.scalar(
        sa.select(ActivityTransition).where(ActivityTransition.activity_id == a.id)
    )
    assert (t.from_state, t.to_state, t.actor_id, t.created_at) == (
        None,
        rules.DRAFT,
        people.member.id,
        now,
    )


def test_outsiders_and_expired_members_cannot_draft(people, make_user):
    now = utcnow()
    with pytest.raises(NotAllowed):
        services.create_activity(people.vols[0], people.g.id, draft_input(now))
    expired = make_user()
    certify(expired, valid_days=-1)
    join(expired, people.g)
    with pytest.raises(NotAllowed):
        services.create_activity(expired, people.g.id, draft_input(now))
    assert services.create_activity(people.board, people.g.id, draft_input(now)).id


def test_the_safety_minimum_is_enforced_on_the_server(people, app):
    now = utcnow()
    with pytest.raises(services.InvalidActivity) as info:
        services.create_activity(
            people.member, people.g.id, draft_input(now, min_volunteers=1, in_person=False)
        )
    assert info.value.problems[0][0] == "min_volunteers"
    assert "minst 2 volontärer" in info.value.problems[0][1]
    online = draft_input(now, kind="sociala-medier", in_person=False, min_volunteers=1)
    assert services.create_activity(people.member, people.g.id, online).min_volunteers == 1
    app.config["MIN_VOLUNTEERS_IN_PERSON"] = 3
    with pytest.raises(services.InvalidActivity):
        services.create_activity(people.member, people.g.id, draft_input(now))


def test_a_place_decides_the_district(people):
    now = utcnow()
    p = place("Fittja träffpunkt", "Fittja", "motesplats-aldre")
    a = services.create_activity(
        people.member, people.g.id, draft_input(now, place_id=p.id, district_id=district().id)
    )
    assert a.place_id == p.id and a.district.name == "Fittja"
    with pytest.raises(services.InvalidActivity):
        services.create_activity(people.member, people.g.id, draft_input(now, place_id=9999))


# --- every transition ---------------------------------------------------------------------


def test_draft_submit_approve_carry_out_evaluate(people, outbox):
    now = utcnow()
    a = services.create_activity(people.member, people.g.id, draft_input(now), now=now)
    services.take_action(people.member, a.id, "submit", now=now)
    with pytest.raises(NotAllowed):
        services.take_action(people.lead, a.id, "approve", now=now)
    services.take_action(people.board, a.id, "approve", "Bra!", now=now)
    mail = outbox()[-1]
    assert "Styrelsen har godkänt" in mail and people.member.email in mail and "Bra!" in mail
    s = signup(a, people.vols[0])
    later = a.starts_at + timedelta(minutes=5)
    services.record_attendance(people.lead, a.id, {s.id}, now=later)
    assert a.state == rules.CARRIED_OUT and s.attended is True
    services.save_evaluation(
        people.lead,
        a.id,
        services.EvaluationInput(40, "Seniorer", "Många frågor", "Mer material", ""),
        now=later,
    )
    assert a.state == rules.EVALUATED
    assert states(a) == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "carried_out"),
        ("carried_out", "evaluated"),
    ]
    # Editing the evaluation later keeps the state and records no new transition.
    services.save_evaluation(
        people.board, a.id, services.EvaluationInput(42, "", "", "", ""), now=later
    )
    assert len(states(a)) == 5 and services.get_evaluation(a.id).people_reached == 42


def test_changes_requested_then_resubmitted_and_rejected(people, outbox):
    now = utcnow()
    a = services.create_activity(people.member, people.g.id, draft_input(now), now=now)
    services.take_action(people.member, a.id, "submit", now=now)
    with pytest.raises(Conflict):
        services.take_action(people.board, a.id, "request_changes", " ", now=now)
    services.take_action(people.board, a.id, "request_changes", "Byt lokal.", now=now)
    assert "vill ha ändringar" in outbox()[-1] and "Byt lokal." in outbox()[-1]
    services.take_action(people.lead, a.id, "submit", now=now)
    services.take_action(people.board, a.id, "reject", "Krockar med årsmötet.", now=now)
    assert "inte godkänt" in outbox()[-1] and people.lead.email in outbox()[-1]
    assert a.state == rules.REJECTED
    t = db.session.scalars(
        sa.select(ActivityTransition).where(ActivityTransition.activity_id == a.id)
    ).all()[-1]
    assert (t.actor_id, t.comment) == (people.board.id, "Krockar med årsmötet.")
    with pytest.raises(Conflict):
        services.take_action(people.member, a.id, "submit", now=now)


def test_a_board_member_cannot_approve_what_she_submitted(people):
    now = utcnow()
    a = services.create_activity(people.board, people.g.id, draft_input(now), now=now)
    services.take_action(people.board, a.id, "submit", now=now)
    with pytest.raises(NotAllowed):
        services.take_action(people.board, a.id, "approve", now=now)
    services.take_action(people.board2, a.id, "approve", now=now)
    assert a.state == rules.APPROVED


def test_members_cannot_cancel_an_approved_activity_but_the_lead_can(people, outbox):
    a = activity(people.g, people.member)
    signup(a, people.vols[0])
    signup(a, people.vols[1], state=rules.WAITING)
    with pytest.raises(NotAllowed):
        services.take_action(people.member, a.id, "cancel", "Sjuk")
    with pytest.raises(Conflict):
        services.take_action(people.lead, a.id, "cancel", "")
    services.take_action(people.lead, a.id, "cancel", "Lokalen är stängd.")
    assert a.state == rules.CANCELLED
    mails = [m for m in outbox() if "inställd" in m]
    assert len(mails) == 2 and all("Lokalen är stängd." in m for m in mails)
    assert {people.vols[0].email, people.vols[1].email} == {
        m.split("\n")[0].removeprefix("To: ") for m in mails
    }


def test_a_creator_may_cancel_her_draft(people):
    a = activity(people.g, people.member, state=rules.DRAFT)
    services.take_action(people.member, a.id, "cancel")
    assert a.state == rules.CANCELLED


def test_carry_out_only_after_the_start(people):
    a = activity(people.g, people.member)
    with pytest.raises(Conflict):
        services.record_attendance(people.lead, a.id, set())
    with pytest.raises(NotAllowed):
        services.record_attendance(
            people.member, a.id, set(), now=a.starts_at + timedelta(minutes=1)
        )
    with pytest.raises(Conflict):
        services.save_evaluation(people.lead, a.id, services.EvaluationInput(1, "", "", "", ""))


def test_unknown_action_is_refused(people):
    a = activity(people.g, people.member, state=rules.DRAFT)
    for action in ("fly", "resubmit", "evaluate"):
        with pytest.raises(TrainerError):
            services.take_action(people.board, a.id, action)


def test_changing_time_of_an_approved_activity_sends_it_back(people, outbox):
    now = utcnow()
    a = services.create_activity(people.member, people.g.id, draft_input(now), now=now)
    services.take_action(people.member, a.id, "submit", now=now)
    services.take_action(people.board, a.id, "approve", now=now)
    signup(a, people.vols[0])
    # A new description keeps the approval.
    services.update_activity(people.member, a.id, draft_input(now, description="Ny text"), now=now)
    assert a.state == rules.APPROVED and a.revision == 0
    later = draft_input(
        now, starts_at=a.starts_at + timedelta(hours=1), ends_at=a.ends_at + timedelta(hours=1)
    )
    services.update_activity(people.member, a.id, later, now=now)
    assert a.state == rules.SUBMITTED and a.revision == 1
    assert states(a)[-1] == ("approved", "submitted")
    assert services.previously_approved([a.id]) == {a.id}
    assert "har ändrats" in outbox()[-1] and people.vols[0].email in outbox()[-1]
    services.take_action(people.board, a.id, "approve", now=now)
    # A new place sends it back too.
    services.update_activity(
        people.member,
        a.id,
        draft_input(
            now, district_id=district("Tullinge").id, starts_at=a.starts_at, ends_at=a.ends_at
        ),
        now=now,
    )
    assert a.state == rules.SUBMITTED and a.revision == 2


def test_a_second_change_is_told_too_and_reapproval_passes_freed_places_on(people, outbox):
    now = utcnow()
    a = activity(people.g, people.member, max_volunteers=1, min_volunteers=1, now=now)
    v = people.vols
    signup(a, v[0])
    services.join_waitlist(v[1], a.id, now=now)
    base = dict(district_id=a.district_id, min_volunteers=1, max_volunteers=1, kind="annat")
    base["in_person"] = False
    for hours in (1, 2):  # moved twice: once approved, once already back at the board
        sent = len(outbox())
        services.update_activity(
            people.member,
            a.id,
            draft_input(
                now,
                starts_at=a.starts_at + timedelta(hours=1),
                ends_at=a.ends_at + timedelta(hours=1),
                **base,
            ),
            now=now,
        )
        assert a.state == rules.SUBMITTED and a.revision == hours
        assert any(v[0].email in m and "har ändrats" in m for m in outbox()[sent:])
    services.withdraw(v[0], a.id, now=now)  # frees the place while the board decides
    assert db.session.scalar(sa.select(sa.func.count(WaitlistOffer.id))) == 0
    services.take_action(people.board, a.id, "approve", now=now)
    assert v[1].email in outbox()[-1] and "En plats är ledig" in outbox()[-1]


def test_max_cannot_drop_below_those_signed_up(people):
    now = utcnow()
    a = activity(people.g, people.member, max_volunteers=3)
    signup(a, people.vols[0]), signup(a, people.vols[1])
    data = draft_input(now, starts_at=a.starts_at, ends_at=a.ends_at, district_id=a.district_id)
    with pytest.raises(services.InvalidActivity):
        services.update_activity(
            people.lead,
            a.id,
            services.ActivityInput(**{**data.__dict__, "max_volunteers": 1}),
            now=now,
        )


def test_finished_activities_cannot_be_edited(people):
    a = activity(people.g, people.member, state=rules.CARRIED_OUT)
    with pytest.raises(NotAllowed):
        services.update_activity(people.board, a.id, draft_input(utcnow()))


# --- sign-ups -----------------------------------------------------------------------------


def test_sign_up_confirms_and_mails(people, outbox):
    a = activity(people.g, people.member, max_volunteers=2)
    result = services.sign_up(people.vols[0], a.id)
    assert not result.full and result.signup.state == rules.CONFIRMED
    assert "Du är anmäld" in outbox()[-1] and f"/activities/{a.id}.ics" in outbox()[-1]
    with pytest.raises(Conflict):
        services.sign_up(people.vols[0], a.id)


@pytest.mark.parametrize("case", ["none", "expired", "revoked"])
def test_not_certified_cannot_sign_up(people, make_user, case):
    a = activity(people.g, people.member)
    vol = make_user()
    if case == "expired":
        certify(vol, valid_days=-1)
    if case == "revoked":
        certify(vol, revoked=True)
    with pytest.raises(NotAllowed):
        services.sign_up(vol, a.id)
    with pytest.raises(NotAllowed):
        services.join_waitlist(vol, a.id)


def test_members_only_activities(people):
    a = activity(people.g, people.member, audience=rules.MEMBERS)
    with pytest.raises(NotAllowed):
        services.sign_up(people.vols[0], a.id)
    assert services.sign_up(people.member, a.id).signup is not None


@pytest.mark.parametrize("state", [s for s in rules.STATES if s != rules.APPROVED])
def test_only_approved_activities_take_sign_ups(people, state):
    a = activity(people.g, people.member, state=state)
    with pytest.raises(Conflict):
        services.sign_up(people.vols[0], a.id)


def test_no_sign_ups_once_started(people):
    a = activity(people.g, people.member)
    with pytest.raises(Conflict):
        services.sign_up(people.vols[0], a.id, now=a.starts_at)


def test_full_means_the_waiting_list(people):
    a = activity(people.g, people.member, max_volunteers=2, min_volunteers=2)
    services.sign_up(people.vols[0], a.id)
    services.sign_up(people.vols[1], a.id)
    assert services.sign_up(people.vols[2], a.id).full
    assert _own(a, people.vols[2]) is None
    w = services.join_waitlist(people.vols[2], a.id)
    assert w.state == rules.WAITING
    with pytest.raises(Conflict):
        services.join_waitlist(people.vols[2], a.id)
    b = activity(people.g, people.member, max_volunteers=2, title="Ledig")
    with pytest.raises(Conflict):
        services.join_waitlist(people.vols[0], b.id)


def _own(a, user):
    return db.session.scalar(
        sa.select(SignUp).where(SignUp.activity_id == a.id, SignUp.user_id == user.id)
    )


def _offer_token(outbox):
    from tests.conftest import link_from

    path = link_from(outbox()[-1])
    assert path.startswith("/activities/offers/")
    return path.rsplit("/", 1)[1]


def test_a_freed_place_is_offered_and_claimed(people, outbox):
    now = utcnow()
    a = activity(people.g, people.member, max_volunteers=2, starts_in=timedelta(days=5))
    v = people.vols
    services.sign_up(v[0], a.id, now=now)
    services.sign_up(v[1], a.id, now=now)
    services.join_waitlist(v[2], a.id, now=now)
    services.join_waitlist(v[3], a.id, now=now + timedelta(minutes=1))
    assert services.withdraw(v[0], a.id, now=now) == services.WITHDRAW_CANCELLED
    assert v[2].email in outbox()[-1] and "En plats är ledig" in outbox()[-1]
    token = _offer_token(outbox)
    offer = services.find_offer(token)
    assert offer.expires_at == now + timedelta(hours=12)
    # The place is held: a newcomer cannot take it.
    assert services.sign_up(v[4], a.id, now=now).full
    # Someone else cannot use her link.
    with pytest.raises(NotFound):
        services.claim_offer(v[3], token, now=now)
    outcome, _a = services.claim_offer(v[2], token, now=now + timedelta(hours=1))
    assert outcome == services.CLAIMED and _own(a, v[2]).state == rules.CONFIRMED
    with pytest.raises(Conflict):
        services.claim_offer(v[2], token, now=now + timedelta(hours=1))


def test_an_expired_offer_passes_to_the_next(people, outbox):
    now = utcnow()
    a = activity(people.g, people.member, max_volunteers=2, starts_in=timedelta(days=5))
    v = people.vols
    services.sign_up(v[0], a.id, now=now)
    services.sign_up(v[1], a.id, now=now)
    services.join_waitlist(v[2], a.id, now=now)
    services.join_waitlist(v[3], a.id, now=now + timedelta(minutes=1))
    services.withdraw(v[0], a.id, now=now)
    first = _offer_token(outbox)
    late = now + timedelta(hours=12)
    outcome, _a = services.claim_offer(v[2], first, now=late)
    assert outcome == services.CLAIM_EXPIRED
    assert _own(a, v[2]).state == rules.WITHDRAWN  # she left the list; she may join again
    assert v[3].email in outbox()[-1]
    second = _offer_token(outbox)
    assert services.claim_offer(v[3], second, now=late)[0] == services.CLAIMED


def test_tick_expires_offers_and_offers_again(people, outbox, app):
    now = utcnow()
    a = activity(people.g, people.member, max_volunteers=1, starts_in=timedelta(days=5))
    v = people.vols
    services.sign_up(v[0], a.id, now=now)
    services.join_waitlist(v[1], a.id, now=now)
    services.join_waitlist(v[2], a.id, now=now + timedelta(minutes=1))
    services.withdraw(v[0], a.id, now=now)
    assert services.tick(now + timedelta(hours=1)).expired == 0
    result = services.tick(now + timedelta(hours=13))
    assert (result.expired, result.offered) == (1, 1)
    assert v[2].email in outbox()[-1]
    db.session.commit()
    out = app.test_cli_runner().invoke(args=["activities", "tick"])
    assert out.exit_code == 0 and "offers expired" in out.output


def test_close_to_the_start_the_lead_is_told_instead(people, outbox):
    a = activity(people.g, people.member, max_volunteers=1, starts_in=timedelta(hours=30))
    v = people.vols
    now = a.starts_at - timedelta(hours=30)
    services.sign_up(v[0], a.id, now=now)
    services.join_waitlist(v[1], a.id, now=now)
    # A place freed 20 hours before the start, by the lead releasing it: no offer.
    soon = a.starts_at - timedelta(hours=20)
    s = _own(a, v[0])
    services.release(people.lead, s.id, now=soon)
    mail = outbox()[-1]
    assert people.lead.email in mail and "Ledig plats nära start" in mail and "Vol 1" not in mail
    assert "Vol" in mail  # display name of the first waiting
    assert db.session.scalar(sa.select(sa.func.count(WaitlistOffer.id))) == 0


def test_an_offer_made_late_becomes_a_lead_notice_when_it_expires(people, outbox):
    a = activity(people.g, people.member, max_volunteers=1, starts_in=timedelta(hours=40))
    v = people.vols
    now = a.starts_at - timedelta(hours=40)
    services.sign_up(v[0], a.id, now=now)
    services.join_waitlist(v[1], a.id, now=now)
    services.join_waitlist(v[2], a.id, now=now)
    services.join_waitlist(v[3], a.id, now=now + timedelta(minutes=1))
    services.withdraw(v[0], a.id, now=now)  # 40 h before: offered to v[1] for 12 h
    assert v[1].email in outbox()[-1]
    services.tick(now + timedelta(hours=13))  # 27 h before: expired, and outside the window
    assert v[2].email in outbox()[-1]
    sent = len(outbox())
    services.tick(now + timedelta(hours=26))  # 14 h before: expired inside the window
    assert people.lead.email in outbox()[-1] and "nära start" in outbox()[-1]
    assert v[3].email not in "".join(outbox()[sent:])  # no offer this close to the start
    services.tick(now + timedelta(hours=27))  # nothing new happened: the lead is not told again
    assert len(outbox()) == sent + 1


def test_cancel_before_the_cut_off_and_message_after(people, outbox, app):
    a = activity(people.g, people.member, starts_in=timedelta(days=3))
    v = people.vols[0]
    services.sign_up(v, a.id)
    before = a.starts_at - timedelta(hours=25)
    assert services.withdraw(v, a.id, now=before) == services.WITHDRAW_CANCELLED
    assert _own(a, v).state == rules.WITHDRAWN
    services.sign_up(v, a.id, now=before)  # she may come back
    after = a.starts_at - timedelta(hours=23)
    assert services.withdraw(v, a.id, "Sjuk", now=after) == services.WITHDRAW_MESSAGE_SENT
    s = _own(a, v)
    assert s.state == rules.CONFIRMED and s.cancel_requested_at == after
    mail = outbox()[-1]
    assert people.lead.email in mail and "Sjuk" in mail and "Vol 0" not in mail  # display name
    with pytest.raises(Conflict):
        services.withdraw(v, a.id, now=a.starts_at)
    # The cut-off is a setting.
    app.config["CANCEL_CUTOFF_HOURS"] = 2
    assert services.withdraw(v, a.id, now=after) == services.WITHDRAW_CANCELLED


def test_a_late_message_from_someone_protected_does_not_name_her(people, outbox, make_user):
    a = activity(people.g, people.member, starts_in=timedelta(hours=10))
    shielded = make_user(name="Sara Skyddad", protected_identity=True)
    certify(shielded)
    services.sign_up(shielded, a.id)
    services.withdraw(shielded, a.id)
    assert "Sara" not in outbox()[-1] and "en volontär" in outbox()[-1]


def test_leaving_the_waiting_list(people):
    a = activity(people.g, people.member, max_volunteers=1)
    services.sign_up(people.vols[0], a.id)
    services.join_waitlist(people.vols[1], a.id)
    assert services.withdraw(people.vols[1], a.id) == services.WITHDRAW_LEFT_WAITLIST
    with pytest.raises(Conflict):
        services.withdraw(people.vols[1], a.id)


def test_overlap_warning(people):
    a = activity(people.g, people.member, starts_in=timedelta(days=2), title="A")
    b = activity(people.g, people.member, starts_in=timedelta(days=2, hours=1), title="B")
    c = activity(people.g, people.member, starts_in=timedelta(days=2, hours=2), title="C")
    v = people.vols[0]
    assert services.sign_up(v, a.id).overlaps == []
    assert [x.title for x in services.sign_up(v, b.id).overlaps] == ["A"]
    assert [x.title for x in services.sign_up(v, c.id).overlaps] == ["B"]  # A ends as C starts


def test_only_leads_release_places(people):
    a = activity(people.g, people.member)
    s = signup(a, people.vols[0])
    with pytest.raises(NotAllowed):
        services.release(people.member, s.id)
    services.release(people.board, s.id)
    assert s.state == rules.WITHDRAWN


def test_attendance_only_for_those_signed_up_and_reflections(people):
    a = activity(people.g, people.member)
    came, absent = signup(a, people.vols[0]), signup(a, people.vols[1])
    later = a.starts_at + timedelta(hours=1)
    with pytest.raises(TrainerError):
        services.record_attendance(people.lead, a.id, {came.id, 9999}, now=later)
    services.record_attendance(people.lead, a.id, {came.id}, now=later)
    assert (came.attended, absent.attended) == (True, False)
    services.save_reflection(people.vols[0], a.id, "Det gick fint.")
    with pytest.raises(NotAllowed):
        services.save_reflection(people.vols[1], a.id, "Jag var inte där.")
    with pytest.raises(TrainerError):
        services.save_reflection(people.vols[0], a.id, "  ")


# --- board lists --------------------------------------------------------------------------


def test_lists_for_the_board(people):
    now = utcnow()
    queued = activity(people.g, people.member, state=rules.SUBMITTED)
    short = activity(people.g, people.member, min_volunteers=2, starts_in=timedelta(days=3))
    signup(short, people.vols[0])
    ok = activity(people.g, people.member, min_volunteers=2, starts_in=timedelta(days=4))
    signup(ok, people.vols[0]), signup(ok, people.vols[1])
    far = activity(people.g, people.member, starts_in=timedelta(days=20))
    over = activity(people.g, people.member, starts_in=timedelta(days=-2))
    done = activity(people.g, people.member, state=rules.CARRIED_OUT, starts_in=timedelta(days=-5))
    activity(people.g, people.member, state=rules.EVALUATED, starts_in=timedelta(days=-9))
    assert services.approval_queue() == [queued]
    assert services.previously_approved([queued.id, short.id]) == set()  # put in directly
    assert services.below_minimum(now) == [(short, 1)]
    assert far not in [a for a, _n in services.below_minimum(now)]
    assert services.missing_evaluation(now) == [done, over]
