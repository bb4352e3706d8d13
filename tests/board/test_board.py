"""The board's overview and reach on a prepared data set, and its query count at scale."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests import factories as f
from trainer.activities import rules as ar
from trainer.activities.models import Activity, Evaluation
from trainer.applicants.models import Applicant
from trainer.audit.models import AuditEvent
from trainer.auth.models import User, UserRole
from trainer.board import rules, services
from trainer.certification.models import Certification
from trainer.extensions import db
from trainer.timeutil import utcnow
from trainer.workgroups.models import Membership, Workgroup


@pytest.fixture
def board(make_user):
    return make_user("board", name="Siri Styrelse")


@pytest.fixture
def data(app, make_user, board):
    """Certified and waiting, certified in a group, certified in an archived group only,
    expired, an applicant not answered, activities in several states."""
    now = utcnow()
    waiting = make_user(name="Wilma Väntar")
    f.certify(waiting)
    grp = f.group("tantjour")
    applicant = Applicant(
        name="Wilma Väntar",
        email=waiting.email,
        consent_at=now,
        created_at=now - timedelta(days=60),
        invited_at=now - timedelta(days=50),
        user_id=waiting.id,
        interests=[grp],
    )
    db.session.add(applicant)
    member = make_user(name="Maja Medlem")
    f.certify(member)
    f.join(member, grp)
    archived_only = make_user(name="Arkiv Ansson")
    f.certify(archived_only)
    old = Workgroup(slug="gammal", name="Gammal grupp", purpose="", archived_at=now)
    db.session.add(old)
    db.session.commit()
    f.join(archived_only, old)
    expired = make_user(name="Ebba Utgången")
    f.certify(expired, valid_days=-5)
    db.session.add(
        Applicant(name="Nora Ny", email="nora@example.org", consent_at=now, created_at=now)
    )
    db.session.commit()
    lead = member
    submitted = f.activity(
        grp, lead, state=ar.SUBMITTED, title="Tantjour på träffpunkten", submitted_by=lead
    )
    thin = f.activity(
        grp, lead, state=ar.APPROVED, starts_in=timedelta(days=3), title="Informationsbord Fittja"
    )
    far = f.activity(grp, lead, state=ar.APPROVED, starts_in=timedelta(days=30), title="Långt fram")
    cancelled = f.activity(
        grp, lead, state=ar.CANCELLED, starts_in=timedelta(days=-3), title="Inställd"
    )
    over = f.activity(
        grp,
        lead,
        state=ar.CARRIED_OUT,
        starts_in=timedelta(days=-2),
        title="Genomförd utan utvärdering",
    )
    library = f.place("Tumba bibliotek", "Tumba", "annat")
    school = f.place("Fittjaskolan", "Fittja", "hogstadieskola")
    done = f.activity(
        grp, lead, state=ar.EVALUATED, starts_in=timedelta(days=-10), title="Utvärderad"
    )
    done.place_id = library.id
    db.session.add(
        Evaluation(activity_id=done.id, author_id=lead.id, people_reached=40, target_group="Äldre")
    )
    db.session.commit()
    return locals()


def test_ready_to_assign(data):
    rows = services.ready_to_assign(utcnow())
    names = [r.user.full_name for r in rows]
    assert "Wilma Väntar" in names and "Maja Medlem" not in names and "Ebba Utgången" not in names
    assert "Arkiv Ansson" in names  # her only group is archived
    wilma = next(r for r in rows if r.user.full_name == "Wilma Väntar")
    assert [g.slug for g in wilma.interests] == ["tantjour"] and wilma.waited_days == 30


def test_place_in_one_step(client, login, data, board):
    login(board)
    wilma = data["waiting"]
    r = client.post("/board/assign", data={"user_id": wilma.id, "workgroup_id": data["grp"].id})
    assert r.status_code == 302
    m = db.session.scalar(sa.select(Membership).where(Membership.user_id == wilma.id))
    assert m.state == "active" and m.workgroup_id == data["grp"].id
    assert "Wilma Väntar" not in client.get("/board").get_data(as_text=True).split('id="pipe-h"')[0]
    assert (
        client.post("/board/assign", data={"user_id": "x", "workgroup_id": "1"}).status_code == 400
    )


def test_expired_cannot_be_placed(client, login, data, board):
    login(board)
    client.post(
        "/board/assign", data={"user_id": data["expired"].id, "workgroup_id": data["grp"].id}
    )
    assert (
        db.session.scalar(sa.select(Membership).where(Membership.user_id == data["expired"].id))
        is None
    )


def test_pipeline_counts(data):
    p = services.pipeline(utcnow())
    assert p.totals[rules.INTEREST] == 1  # Nora, not invited
    assert p.totals[rules.IN_GROUP] == 1  # Maja
    assert p.totals[rules.CERTIFIED] == 2  # Wilma, and Arkiv whose group is archived
    assert p.median_days_to_certification is not None
    assert sum(sum(m.values()) for m in p.by_month.values()) == sum(p.totals.values())


def test_needs_decision(data):
    d = services.needs_decision(utcnow())
    assert [a.title for a in d.approvals] == ["Tantjour på träffpunkten"]
    assert [a.title for a, _n in d.below_minimum] == ["Informationsbord Fittja"]
    assert [a.title for a in d.missing_evaluation] == ["Genomförd utan utvärdering"]
    assert [a.name for a in d.applicants] == ["Nora Ny"]


def test_reach(data):
    r = services.reach(utcnow())
    assert r.people_reached == 40
    assert r.by_district["Tumba"] == 2  # carried out + evaluated; cancelled does not count
    assert [p.place.name for p in r.reached] == ["Tumba bibliotek"]
    assert [p.place.name for p in r.not_reached] == ["Fittjaskolan"]
    assert "Tumba" not in r.quiet_districts and "Alby" in r.quiet_districts


def test_pages_work_without_script(client, login, data, board):
    login(board)
    for url in ("/board", "/board/reach"):
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page and "<svg" in page
    page = client.get("/board").get_data(as_text=True)
    assert "Tantjour på träffpunkten" in page and "Nora Ny" in page and "Wilma Väntar" in page


def test_inline_approval_from_the_overview(client, login, data, board):
    login(board)
    a = data["submitted"]
    r = client.post(f"/activities/{a.id}/decide", data={"decision": "approve", "next": "board"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/board#dec-h")
    db.session.refresh(a)
    assert a.state == ar.APPROVED


def test_exports_are_excel_ready_and_audited(client, login, data, board):
    login(board)
    for name in ("ready", "pipeline", "decisions", "places", "districts"):
        r = client.get(f"/board/export/{name}.csv")
        assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(r.data.decode().lstrip("\ufeff")), delimiter=";"))
        assert all(len(row) == len(rows[0]) for row in rows)
    assert client.get("/board/export/nope.csv").status_code == 404
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"export.board.ready", "export.board.places"} <= actions


def test_only_the_board(client, login, make_user):
    login(make_user())
    for url in ("/board", "/board/reach", "/board/export/ready.csv"):
        assert client.get(url).status_code == 403


def _bulk(n_people: int, n_activities: int, grp_id: int, creator_id: int):
    now = utcnow()
    start = db.session.scalar(sa.select(sa.func.max(User.id))) or 0
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"bulk{start + i}@example.org",
                "full_name": f"Bulk {start + i}",
                "display_name": "B",
                "session_version": 1,
                "active": True,
                "protected_identity": False,
                "created_at": now,
            }
            for i in range(n_people)
        ],
    )
    ids = list(
        db.session.scalars(sa.select(User.id).where(User.email.like("bulk%"), User.id > start))
    )
    db.session.execute(sa.insert(UserRole), [{"user_id": i, "role": "volunteer"} for i in ids])
    db.session.execute(
        sa.insert(Certification),
        [
            {
                "user_id": i,
                "issued_at": now - timedelta(days=10),
                "valid_until": now + timedelta(days=300),
                "modules": {},
                "pledge_version": 1,
                "code": f"C{i:015d}",
                "show_name": False,
                "revoke_reason": "",
            }
            for i in ids[::2]
        ],
    )
    db.session.execute(
        sa.insert(Activity),
        [
            {
                "workgroup_id": grp_id,
                "title": f"A{k}",
                "description": "",
                "kind": "annat",
                "in_person": False,
                "starts_at": now + timedelta(days=(k % 40) - 20),
                "ends_at": now + timedelta(days=(k % 40) - 20, hours=2),
                "min_volunteers": 1,
                "max_volunteers": 3,
                "audience": "certified",
                "state": [ar.SUBMITTED, ar.APPROVED, ar.CARRIED_OUT, ar.EVALUATED][k % 4],
                "revision": 0,
                "created_by_id": creator_id,
                "created_at": now,
                "updated_at": now,
            }
            for k in range(n_activities)
        ],
    )
    db.session.commit()


def test_overview_query_count_is_constant(client, login, data, board, count_queries):
    login(board)
    client.get("/board")
    with count_queries() as small:
        assert client.get("/board").status_code == 200
    _bulk(5000, 2000, data["grp"].id, data["member"].id)
    with count_queries() as large:
        assert client.get("/board").status_code == 200
    assert small.count == large.count
    with count_queries() as r1:
        client.get("/board/reach")
    assert r1.count <= 12
