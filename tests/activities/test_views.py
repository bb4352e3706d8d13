"""Activity pages: drafting with the safety rule, the board's queue and decisions, sign-up,
waiting list and claim links, cancellation after the cut-off, attendance, evaluation,
reflections; privacy of the sign-up list; constant queries; tampered forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import link_from
from tests.factories import activity, certify, district, group, join, place, signup
from trainer.activities import rules, services
from trainer.activities.models import Activity, Evaluation, SignUp
from trainer.extensions import db
from trainer.timeutil import to_local, utcnow


@pytest.fixture
def crew(app, make_user):
    class C:
        g = group("skolor-och-fritid")
        lead = make_user(name="Lena Ledare", email="lena@example.org", phone="070-1")
        member = make_user(name="Mia Medlem", email="mia@example.org")
        board = make_user("board", name="Siri Styrelse")
        vol = make_user(name="Vera Volontär", email="vera@example.org")

    for u in (C.lead, C.member, C.vol):
        certify(u)
    join(C.lead, C.g, role="lead")
    join(C.member, C.g)
    return C


def form_data(**kw):
    """The activity form as a browser posts it; a None value leaves the field out."""
    day = to_local(utcnow() + timedelta(days=10)).date()
    data = {
        "workgroup_id": str(group("skolor-och-fritid").id),
        "title": "Skolbesök på Storvretskolan",
        "description": "Vi pratar om sunda relationer i årskurs 8.",
        "kind": "skolbesok",
        "in_person": "y",
        "district_id": str(district("Tumba").id),
        "place_id": "0",
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "min_volunteers": "2",
        "max_volunteers": "3",
        "audience": "members",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def count(model=Activity):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- drafting -----------------------------------------------------------------------------


def test_a_member_drafts_in_swedish_local_time(client, crew, login):
    login(crew.member)
    page = client.get(f"/activities/new?group={crew.g.id}").get_data(as_text=True)
    assert "Planera en aktivitet" in page and "minst 2 volontärer" in page
    r = client.post("/activities/new", data=form_data())
    assert r.status_code == 302
    a = db.session.scalar(sa.select(Activity))
    assert a.state == rules.DRAFT and a.min_volunteers == 2
    local = to_local(a.starts_at)
    assert (local.hour, local.minute) == (9, 0)  # stored in UTC, entered in Stockholm time
    assert a.starts_at != local.replace(tzinfo=None) or local.utcoffset().total_seconds() == 0


def test_the_safety_minimum_on_the_page(client, crew, login):
    login(crew.member)
    r = client.post("/activities/new", data=form_data(min_volunteers="1", in_person=""))
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Ingen ska vara ensam" in body and count() == 0


@pytest.mark.parametrize(
    "tampered",
    [
        {"kind": "inbrott"},
        {"audience": "everyone"},
        {"workgroup_id": "999"},
        {"district_id": "999"},
        {"min_volunteers": "-3"},
        {"date": "igår"},
    ],
)
def test_a_tampered_activity_form_gets_400_and_stores_nothing(client, crew, login, tampered):
    login(crew.member)
    assert client.post("/activities/new", data=form_data(**tampered)).status_code == 400
    assert count() == 0


def test_someone_outside_the_group_is_told_to_join_one(client, crew, login):
    login(crew.vol)
    page = client.get("/activities/new").get_data(as_text=True)
    assert "Du behöver vara medlem i en arbetsgrupp" in page
    assert client.post("/activities/new", data=form_data()).status_code == 400
    assert count() == 0


def test_without_csrf_nothing_is_stored(app, crew, login):
    c = login(crew.member, c=app.test_client())
    app.config["WTF_CSRF_ENABLED"] = True
    assert c.post("/activities/new", data=form_data()).status_code == 400
    assert count() == 0


# --- submit and the board's decision ------------------------------------------------------


def test_submit_and_approve_from_the_queue(app, crew, login, outbox):
    a = activity(crew.g, crew.member, state=rules.DRAFT)
    mc = login(crew.member, c=app.test_client())
    mc.post(f"/activities/{a.id}/submit")
    db.session.refresh(a)
    assert a.state == rules.SUBMITTED
    bc = login(crew.board, c=app.test_client())
    queue = bc.get("/board/approvals").get_data(as_text=True)
    assert a.title in queue
    r = bc.post(
        f"/activities/{a.id}/decide",
        data={"decision": "approve", "comment": "", "next": "approvals"},
    )
    assert r.headers["Location"] == "/board/approvals"
    db.session.refresh(a)
    assert a.state == rules.APPROVED and "Styrelsen har godkänt" in outbox()[-1]
    assert "Inget väntar på beslut" in bc.get("/board/approvals").get_data(as_text=True)


def test_a_rejection_needs_a_comment_on_the_page(client, crew, login):
    a = activity(crew.g, crew.member, state=rules.SUBMITTED, submitted_by=crew.member)
    login(crew.board)
    r = client.post(
        f"/activities/{a.id}/decide", data={"decision": "reject"}, follow_redirects=True
    )
    assert "Skriv en kommentar" in r.get_data(as_text=True)
    db.session.refresh(a)
    assert a.state == rules.SUBMITTED
    assert client.post(f"/activities/{a.id}/decide", data={"decision": "ok"}).status_code == 400


def test_volunteers_cannot_decide_or_see_the_queue(client, crew, login):
    a = activity(crew.g, crew.member, state=rules.SUBMITTED)
    login(crew.lead)
    assert client.get("/board/approvals").status_code == 403
    assert client.post(f"/activities/{a.id}/decide", data={"decision": "approve"}).status_code == (
        403
    )


def test_drafts_are_hidden_outside_the_group(client, crew, login):
    a = activity(crew.g, crew.member, state=rules.DRAFT)
    login(crew.vol)
    assert client.get(f"/activities/{a.id}").status_code == 404
    assert client.get(f"/activities/{a.id}.ics").status_code == 404


def test_edit_time_of_an_approved_activity_on_the_page(client, crew, login, outbox):
    a = activity(crew.g, crew.member, kind="skolbesok")
    signup(a, crew.vol)
    login(crew.member)
    page = client.get(f"/activities/{a.id}/edit").get_data(as_text=True)
    assert "behöver styrelsen godkänna den igen" in page
    local = to_local(a.starts_at)
    data = form_data(
        workgroup_id=None,  # the edit page has no group field
        date=local.date().isoformat(),
        start_time=(local + timedelta(hours=1)).strftime("%H:%M"),
        end_time=(local + timedelta(hours=2)).strftime("%H:%M"),
        district_id=str(a.district_id),
    )
    r = client.post(f"/activities/{a.id}/edit", data=data, follow_redirects=True)
    assert "behöver godkännas av styrelsen igen" in r.get_data(as_text=True)
    db.session.refresh(a)
    assert a.state == rules.SUBMITTED and "har ändrats" in outbox()[-1]
    login(crew.vol, c=client)


def test_outsiders_cannot_edit(client, crew, login):
    a = activity(crew.g, crew.member, state=rules.DRAFT)
    login(crew.vol)
    assert client.get(f"/activities/{a.id}/edit").status_code == 403


# --- sign-up ------------------------------------------------------------------------------


def test_sign_up_and_overlap_warning(client, crew, login, outbox):
    a = activity(crew.g, crew.member, starts_in=timedelta(days=3), title="Först")
    b = activity(crew.g, crew.member, starts_in=timedelta(days=3, hours=1), title="Sedan")
    login(crew.vol)
    page = client.get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Anmäl mig" in page and "4 platser kvar" in page
    client.post(f"/activities/{a.id}/signup")
    assert "Du är anmäld" in client.get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Du är anmäld: Först" in outbox()[-1]
    assert "Obs! Du är redan anmäld till Först" in client.get(f"/activities/{b.id}").get_data(
        as_text=True
    )
    r = client.post(f"/activities/{b.id}/signup", follow_redirects=True)
    assert "Obs! Du är också anmäld till Först" in r.get_data(as_text=True)


def test_not_certified_sees_why_and_cannot_sign_up(client, crew, login, make_user):
    a = activity(crew.g, crew.member)
    vol = make_user()
    login(vol)
    page = client.get(f"/activities/{a.id}").get_data(as_text=True)
    assert "giltigt certifikat" in page and "Anmäl mig" not in page
    client.post(f"/activities/{a.id}/signup")
    assert count(SignUp) == 0


def test_full_activity_offers_the_waiting_list(app, crew, login, outbox):
    a = activity(crew.g, crew.member, max_volunteers=1, min_volunteers=1)
    signup(a, crew.member)
    c = login(crew.vol, c=app.test_client())
    assert "Ställ mig på väntelistan" in c.get(f"/activities/{a.id}").get_data(as_text=True)
    c.post(f"/activities/{a.id}/waitlist")
    assert "Du står på väntelistan" in c.get(f"/activities/{a.id}").get_data(as_text=True)
    mc = login(crew.member, c=app.test_client())
    mc.post(f"/activities/{a.id}/withdraw")
    link = link_from(outbox()[-1])
    assert link.startswith("/activities/offers/") and "vera@example.org" in outbox()[-1]
    # Another person cannot open her link.
    assert mc.get(link).status_code == 404
    page = c.get(link).get_data(as_text=True)
    assert "Ta platsen" in page
    c.post(link)
    s = db.session.scalar(sa.select(SignUp).where(SignUp.user_id == crew.vol.id))
    assert s.state == rules.CONFIRMED


def test_taking_an_offered_place_from_the_activity_page(app, crew, login):
    a = activity(crew.g, crew.member, max_volunteers=1, min_volunteers=1)
    signup(a, crew.member)
    c = login(crew.vol, c=app.test_client())
    c.post(f"/activities/{a.id}/waitlist")
    login(crew.member, c=app.test_client()).post(f"/activities/{a.id}/withdraw")
    page = c.get(f"/activities/{a.id}").get_data(as_text=True)
    assert "En plats är ledig för dig" in page
    c.post(f"/activities/{a.id}/signup")
    s = db.session.scalar(sa.select(SignUp).where(SignUp.user_id == crew.vol.id))
    assert s.state == rules.CONFIRMED


def test_after_the_cut_off_cancelling_is_a_message_to_the_lead(app, crew, login, outbox):
    a = activity(crew.g, crew.member, starts_in=timedelta(hours=10))
    signup(a, crew.vol)
    c = login(crew.vol, c=app.test_client())
    page = c.get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Skicka återbud" in page and "Avanmäl mig" not in page
    r = c.post(f"/activities/{a.id}/withdraw", data={"message": "Sjuk"}, follow_redirects=True)
    assert "skickats till gruppens sammankallande" in r.get_data(as_text=True)
    assert "lena@example.org" in outbox()[-1] and "Sjuk" in outbox()[-1]
    s = db.session.scalar(sa.select(SignUp))
    assert s.state == rules.CONFIRMED
    lc = login(crew.lead, c=app.test_client())
    lead_page = lc.get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Återbud" in lead_page and "vera@example.org" in lead_page
    lc.post(f"/activities/{a.id}/signups/{s.id}/release")
    db.session.refresh(s)
    assert s.state == rules.WITHDRAWN


def test_before_the_cut_off_she_cancels_herself(client, crew, login):
    a = activity(crew.g, crew.member, starts_in=timedelta(days=3))
    signup(a, crew.vol)
    login(crew.vol)
    assert "Du kan avanmäla dig fram till" in client.get(f"/activities/{a.id}").get_data(
        as_text=True
    )
    r = client.post(f"/activities/{a.id}/withdraw", follow_redirects=True)
    assert "Du är avanmäld" in r.get_data(as_text=True)


def test_sign_up_list_privacy(app, crew, login, make_user):
    a = activity(crew.g, crew.member)
    shielded = make_user(name="Sara Skyddad", email="sara@example.org", protected_identity=True)
    outsider = make_user(name="Olle Utanför")
    certify(shielded), certify(outsider)
    signup(a, crew.vol), signup(a, shielded)

    peer = login(crew.vol, c=app.test_client()).get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Vera" in peer and "en volontär" in peer
    assert "Sara" not in peer and "sara@example.org" not in peer and "Volontär</" not in peer

    lead = login(crew.lead, c=app.test_client()).get(f"/activities/{a.id}").get_data(as_text=True)
    assert "vera@example.org" in lead and "en volontär" in lead and "Sara" not in lead

    board = login(crew.board, c=app.test_client()).get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Sara Skyddad" in board and "sara@example.org" in board

    out = login(outsider, c=app.test_client()).get(f"/activities/{a.id}").get_data(as_text=True)
    assert "Vera" not in out and "en volontär" not in out  # numbers only
    assert "2 anmälda" in out


# --- afterwards ---------------------------------------------------------------------------


def test_attendance_evaluation_and_reflection_pages(app, crew, login):
    a = activity(crew.g, crew.member, starts_in=timedelta(hours=-3))
    came, absent = signup(a, crew.vol), signup(a, crew.member)
    lc = login(crew.lead, c=app.test_client())
    page = lc.get(f"/activities/{a.id}/attendance").get_data(as_text=True)
    assert "Vera" in page and "Mia" in page
    r = lc.post(f"/activities/{a.id}/attendance", data={"attended": [str(came.id)]})
    assert r.headers["Location"] == f"/activities/{a.id}/evaluation"
    db.session.refresh(a)
    assert a.state == rules.CARRIED_OUT
    assert lc.post(f"/activities/{a.id}/attendance", data={"attended": ["999"]}).status_code == 400
    r = lc.post(
        f"/activities/{a.id}/evaluation",
        data={
            "people_reached": "55",
            "target_group": "Årskurs 8",
            "went_well": "Eleverna frågade mycket.",
            "to_improve": "Mer tid.",
            "incidents": "",
        },
    )
    assert r.status_code == 302
    db.session.refresh(a)
    assert a.state == rules.EVALUATED
    assert lc.post(f"/activities/{a.id}/evaluation", data={"people_reached": "-1"}).status_code == (
        400
    )
    vc = login(crew.vol, c=app.test_client())
    assert "Din reflektion" in vc.get(f"/activities/{a.id}").get_data(as_text=True)
    vc.post(f"/activities/{a.id}/reflection", data={"text": "Jag lärde mig mycket."})
    db.session.refresh(came)
    assert came.reflection == "Jag lärde mig mycket."
    mc = login(crew.member, c=app.test_client())
    assert "Din reflektion" not in mc.get(f"/activities/{a.id}").get_data(as_text=True)
    mc.post(f"/activities/{a.id}/reflection", data={"text": "Jag var inte där."})
    db.session.refresh(absent)
    assert absent.reflection == ""
    # Only leads and the board mark attendance.
    assert mc.get(f"/activities/{a.id}/attendance").status_code == 403


def test_board_reads_evaluations_per_group_and_period(client, crew, login):
    a = activity(crew.g, crew.member, state=rules.EVALUATED, starts_in=timedelta(days=-3))
    other = activity(group("tantjour"), crew.member, state=rules.EVALUATED, title="Träffpunkten")
    other.starts_at = utcnow() - timedelta(days=2)
    s = signup(a, crew.vol, attended=True, reflection="Bra dag.")
    db.session.add_all(
        [
            Evaluation(activity_id=a.id, people_reached=30, went_well="Bra samtal"),
            Evaluation(activity_id=other.id, people_reached=12),
        ]
    )
    db.session.commit()
    login(crew.board)
    body = client.get("/board/evaluations").get_data(as_text=True)
    assert "Bra samtal" in body and "Vera Volontär" in body and "Bra dag." in body
    assert "42 personer nådda" in body
    body = client.get(f"/board/evaluations?group={crew.g.id}").get_data(as_text=True)
    assert "30 personer nådda" in body and "Träffpunkten" not in body
    body = client.get("/board/evaluations?start=2020-01-01&end=2020-12-31").get_data(as_text=True)
    assert "Inga utvärderingar under perioden" in body
    assert client.get("/board/evaluations?start=inte-ett-datum").status_code == 400
    assert s.id


# --- constant queries ---------------------------------------------------------------------


def test_activity_pages_use_constant_queries(app, crew, login, make_user, count_queries):
    a = activity(crew.g, crew.member, max_volunteers=40, state=rules.SUBMITTED)
    db.session.commit()
    bc = login(crew.board, c=app.test_client())
    lc = login(crew.lead, c=app.test_client())
    vc = login(crew.vol, c=app.test_client())
    first = make_user()
    certify(first)
    signup(a, first)
    activity(crew.g, crew.member, title="Annan", starts_in=timedelta(days=2))
    done = activity(crew.g, crew.member, state=rules.EVALUATED, starts_in=timedelta(days=-1))
    db.session.add(Evaluation(activity_id=done.id, people_reached=3))
    signup(done, first, attended=True, reflection="Bra.")

    def measure():
        out = []
        for c, path in (
            (lc, f"/activities/{a.id}"),
            (bc, f"/activities/{a.id}"),
            (vc, "/activities"),
            (lc, "/activities"),
            (bc, "/board/approvals"),
            (bc, "/board/evaluations"),
        ):
            c.get(path)
            with count_queries() as q:
                assert c.get(path).status_code == 200, path
            out.append(q.count)
        return out

    few = measure()
    for i in range(12):
        u = make_user()
        certify(u)
        signup(a, u, state=rules.CONFIRMED if i % 2 else rules.WAITING)
        b = activity(crew.g, crew.member, title=f"A{i}", state=rules.SUBMITTED)
        signup(b, crew.vol)
        c = activity(
            crew.g,
            crew.member,
            title=f"E{i}",
            state=rules.EVALUATED,
            starts_in=timedelta(days=-i - 1),
        )
        db.session.add(Evaluation(activity_id=c.id, people_reached=i))
        signup(c, u, attended=True, reflection="Fint.")
    db.session.commit()
    many = measure()
    assert few == many, (few, many)


def test_places_register_for_the_board(client, crew, login):
    login(crew.board)
    r = client.post(
        "/board/places",
        data={
            "name": "Storvretskolan",
            "district_id": district("Tumba").id,
            "kind": "hogstadieskola",
        },
    )
    assert r.status_code == 302
    page = client.get("/board/places").get_data(as_text=True)
    assert "Storvretskolan" in page and "Högstadieskola" in page and "Vårsta-Grödinge" in page
    assert client.post("/board/places", data={"name": "X", "kind": "slott"}).status_code == 400
    p = place("Hallunda gård", "Hallunda-Norsborg", "fritidsgard")
    client.post(f"/board/places/{p.id}/archive")
    db.session.refresh(p)
    assert p.archived_at is not None
    client.post("/board/districts", data={"name": "Storvreten"})
    assert "Storvreten" in client.get("/board/places").get_data(as_text=True)
    assert services  # the services are exercised through the pages above
