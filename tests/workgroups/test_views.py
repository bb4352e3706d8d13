"""Workgroup pages: the list, a group's page with its privacy rules, joining, deciding,
placing; constant queries; tampered forms."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import activity, certify, group, join
from trainer.extensions import db
from trainer.workgroups import rules
from trainer.workgroups.models import Membership, Workgroup


def _members(g):
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.workgroup_id == g.id, Membership.state == rules.ACTIVE
        )
    )


def test_list_shows_the_plans_groups_and_join_only_when_certified(client, make_user, login):
    vol = make_user()
    login(vol)
    body = client.get("/workgroups").get_data(as_text=True)
    assert "Tantjour" in body and "Sociala medier" in body
    assert "Be om att få gå med" not in body and "giltigt certifikat" in body
    certify(vol)
    body = client.get("/workgroups").get_data(as_text=True)
    assert body.count("Be om att få gå med") == 5


def test_nav_links_follow_the_roles(client, make_user, login):
    login(make_user("volunteer"))
    body = client.get("/workgroups").get_data(as_text=True)
    assert 'href="/workgroups"' in body and 'href="/activities"' in body
    assert "/board/approvals" not in body


def test_join_then_lead_accepts_through_the_pages(app, make_user, login):
    g = group()
    lead, vol = make_user(), make_user()
    certify(lead), certify(vol)
    join(lead, g, role="lead")
    c = login(vol, c=app.test_client())
    r = c.post(f"/workgroups/{g.slug}/join")
    assert r.status_code == 302 and r.headers["Location"] == f"/workgroups/{g.slug}"
    assert "Din förfrågan väntar" in c.get(f"/workgroups/{g.slug}").get_data(as_text=True)
    m = db.session.scalar(sa.select(Membership).where(Membership.user_id == vol.id))
    lc = login(lead, c=app.test_client())
    page = lc.get(f"/workgroups/{g.slug}").get_data(as_text=True)
    assert "Vill gå med" in page and vol.email in page
    lc.post(f"/workgroups/{g.slug}/requests/{m.id}/accept")
    db.session.refresh(m)
    assert m.state == rules.ACTIVE
    assert "Du är medlem" in c.get(f"/workgroups/{g.slug}").get_data(as_text=True)


def test_a_member_cannot_accept_and_nothing_changes(app, make_user, login):
    g = group()
    member, vol = make_user(), make_user()
    certify(member), certify(vol)
    join(member, g)
    m = join(vol, g, state="requested")
    c = login(member, c=app.test_client())
    r = c.post(f"/workgroups/{g.slug}/requests/{m.id}/accept", follow_redirects=True)
    assert "Bara styrelsen eller gruppens sammankallande" in r.get_data(as_text=True)
    db.session.refresh(m)
    assert m.state == rules.REQUESTED


def test_group_page_privacy(app, make_user, login):
    g = group()
    lead = make_user(name="Lena Ledare", email="lena@example.org")
    peer = make_user(name="Pia Peer", email="pia@example.org")
    shielded = make_user(name="Sara Skyddad", email="sara@example.org", protected_identity=True)
    board = make_user("board")
    for u in (lead, peer, shielded):
        certify(u)
    join(lead, g, role="lead"), join(peer, g), join(shielded, g)

    as_peer = login(peer, c=app.test_client()).get(f"/workgroups/{g.slug}").get_data(as_text=True)
    assert "Lena" in as_peer and "lena@example.org" not in as_peer and "Ledare" not in as_peer
    assert "Sara" not in as_peer and "sara@example.org" not in as_peer

    as_lead = login(lead, c=app.test_client()).get(f"/workgroups/{g.slug}").get_data(as_text=True)
    assert "pia@example.org" in as_lead and "Sara" not in as_lead

    as_board = login(board, c=app.test_client()).get(f"/workgroups/{g.slug}").get_data(as_text=True)
    assert "Sara Skyddad" in as_board and "sara@example.org" in as_board
    assert "skyddad identitet" in as_board


def test_board_places_a_ready_volunteer_and_makes_her_lead(client, make_user, login):
    g = group()
    board, vol = make_user("board"), make_user(name="Rut Redo")
    certify(vol)
    login(board)
    page = client.get(f"/workgroups/{g.slug}").get_data(as_text=True)
    assert "Rut Redo" in page  # offered in the list of people to place
    r = client.post(f"/workgroups/{g.slug}/members", data={"user_id": vol.id, "role": "member"})
    assert r.status_code == 302
    m = db.session.scalar(sa.select(Membership).where(Membership.user_id == vol.id))
    client.post(f"/workgroups/{g.slug}/members/{m.id}/role", data={"role": "lead"})
    db.session.refresh(m)
    assert (m.state, m.role) == (rules.ACTIVE, rules.LEAD)
    client.post(f"/workgroups/{g.slug}/members/{m.id}/remove")
    db.session.refresh(m)
    assert m.state == rules.LEFT


def test_placing_someone_not_offered_is_a_tampered_form(client, make_user, login):
    g = group()
    board, uncertified = make_user("board"), make_user()
    login(board)
    r = client.post(f"/workgroups/{g.slug}/members", data={"user_id": uncertified.id})
    assert r.status_code == 400 and _members(g) == 0
    r = client.post(f"/workgroups/{g.slug}/members/1/role", data={"role": "boss"})
    assert r.status_code == 400


def test_without_csrf_token_nothing_is_stored(app, make_user, login):
    g = group()
    vol = make_user()
    certify(vol)
    c = login(vol, c=app.test_client())
    app.config["WTF_CSRF_ENABLED"] = True
    assert c.post(f"/workgroups/{g.slug}/join").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0


def test_board_creates_renames_and_archives_through_pages(client, make_user, login):
    login(make_user("board"))
    r = client.post("/workgroups/new", data={"name": "Öppet hus", "purpose": "Bjuda in."})
    assert r.status_code == 302 and r.headers["Location"] == "/workgroups/oppet-hus"
    assert client.post("/workgroups/new", data={"name": ""}).status_code == 400
    client.post("/workgroups/oppet-hus/edit", data={"name": "Öppna huset", "purpose": "Nytt."})
    g = db.session.scalar(sa.select(Workgroup).where(Workgroup.slug == "oppet-hus"))
    assert g.name == "Öppna huset"
    client.post("/workgroups/oppet-hus/archive")
    db.session.refresh(g)
    assert g.archived_at is not None
    assert "Arkiverad" in client.get("/workgroups").get_data(as_text=True)


def test_volunteers_cannot_reach_board_actions(client, make_user, login):
    login(make_user())
    assert client.get("/workgroups/new").status_code == 403
    assert client.post("/workgroups/tantjour/members", data={"user_id": 1}).status_code == 403


def test_group_pages_use_constant_queries(app, make_user, login, count_queries):
    g = group()
    board = make_user("board")
    viewer = make_user()
    certify(viewer)
    join(viewer, g, role="lead")
    c = login(viewer, c=app.test_client())
    bc = login(board, c=app.test_client())
    activity(g, viewer, title="Den första")
    first = make_user()
    certify(first)
    join(first, g, state="requested")

    def measure():
        c.get(f"/workgroups/{g.slug}")
        bc.get(f"/workgroups/{g.slug}")
        with count_queries() as q1:
            assert c.get(f"/workgroups/{g.slug}").status_code == 200
        with count_queries() as q2:
            assert c.get("/workgroups").status_code == 200
        with count_queries() as q3:
            assert bc.get(f"/workgroups/{g.slug}").status_code == 200
        return q1.count, q2.count, q3.count

    few = measure()
    for i in range(12):
        u = make_user()
        certify(u)
        join(u, g, state="active" if i % 3 else "requested")
        activity(g, viewer, title=f"Aktivitet {i}")
    many = measure()
    assert few == many, (few, many)
