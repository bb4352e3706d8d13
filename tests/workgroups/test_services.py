"""Workgroup services: groups, requests, placing, leads, and who sees whom."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import certify, group, join
from trainer.audit.models import AuditEvent
from trainer.errors import Conflict, NotAllowed, TrainerError
from trainer.extensions import db
from trainer.timeutil import utcnow
from trainer.workgroups import rules, services
from trainer.workgroups.models import Workgroup


def test_board_creates_renames_and_archives_groups(app, make_user):
    board, volunteer = make_user("board"), make_user("volunteer")
    g = services.create_workgroup(board, "Öppet hus i Fittja", "Bjuda in grannar.")
    assert g.slug == "oppet-hus-i-fittja"
    again = services.create_workgroup(board, "Öppet hus i Fittja", "")
    assert again.slug == "oppet-hus-i-fittja-2"
    services.update_workgroup(board, g.id, "Öppet hus", "Nytt syfte.")
    assert (g.name, g.slug, g.purpose) == ("Öppet hus", "oppet-hus-i-fittja", "Nytt syfte.")
    services.set_archived(board, g.id, True)
    assert g.archived_at is not None and g not in services.active_workgroups()
    for fn in (
        lambda: services.create_workgroup(volunteer, "X", ""),
        lambda: services.update_workgroup(volunteer, g.id, "X", ""),
        lambda: services.set_archived(volunteer, g.id, False),
    ):
        with pytest.raises(NotAllowed):
            fn()
    with pytest.raises(TrainerError):
        services.create_workgroup(board, "   ", "")


def test_a_certified_volunteer_asks_and_the_lead_accepts(app, make_user):
    tantjour = group("tantjour")
    lead, vol = make_user(), make_user()
    certify(lead), certify(vol)
    join(lead, tantjour, role="lead")
    m = services.request_to_join(vol, tantjour.id)
    assert m.state == rules.REQUESTED
    with pytest.raises(Conflict):
        services.request_to_join(vol, tantjour.id)
    services.decide_request(lead, m.id, True)
    assert m.state == rules.ACTIVE and m.decided_by_id == lead.id
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "workgroup.accepted")
    )
    with pytest.raises(Conflict):
        services.request_to_join(vol, tantjour.id)


@pytest.mark.parametrize("kind", ["none", "expired", "revoked"])
def test_not_certified_cannot_join(app, make_user, kind):
    vol = make_user()
    if kind == "expired":
        certify(vol, valid_days=-1)
    if kind == "revoked":
        certify(vol, revoked=True)
    with pytest.raises(NotAllowed):
        services.request_to_join(vol, group().id)


def test_an_expiring_certification_still_counts(app, make_user):
    vol = make_user()
    certify(vol, valid_days=10)
    assert services.request_to_join(vol, group().id).state == rules.REQUESTED


def test_board_members_join_without_certification(app, make_user):
    board = make_user("board")
    assert services.request_to_join(board, group().id).state == rules.REQUESTED


def test_the_certificate_is_checked_again_when_accepting(app, make_user):
    board, vol = make_user("board"), make_user()
    cert = certify(vol)
    m = services.request_to_join(vol, group().id)
    cert.valid_until = utcnow() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(Conflict):
        services.decide_request(board, m.id, True)


def test_who_may_answer_requests(app, make_user):
    g, other = group("tantjour"), group("sociala-medier")
    lead_elsewhere, member, vol, shielded = (make_user() for _ in range(4))
    board = make_user("board")
    for u in (lead_elsewhere, member, vol, shielded):
        certify(u)
    join(lead_elsewhere, other, role="lead")
    join(member, g)
    lead = make_user()
    certify(lead)
    join(lead, g, role="lead")
    shielded.protected_identity = True
    db.session.commit()
    m = services.request_to_join(vol, g.id)
    for outsider in (lead_elsewhere, member):
        with pytest.raises(NotAllowed):
            services.decide_request(outsider, m.id, True)
    services.decide_request(lead, m.id, False)
    assert m.state == rules.DECLINED
    # Someone with protected identity: only the board answers.
    p = services.request_to_join(shielded, g.id)
    with pytest.raises(NotAllowed):
        services.decide_request(lead, p.id, True)
    services.decide_request(board, p.id, True)
    assert p.state == rules.ACTIVE
    # A declined volunteer may ask again; the same row is reused.
    again = services.request_to_join(vol, g.id)
    assert again.id == m.id and again.state == rules.REQUESTED


def test_place_member_by_the_board(app, make_user):
    board, vol, uncertified = make_user("board"), make_user(), make_user()
    certify(vol)
    g = group()
    m = services.place_member(board, g.id, vol.id, role="lead")
    assert (m.state, m.role) == (rules.ACTIVE, rules.LEAD)
    assert services.is_lead(vol, g.id)
    assert services.place_member(board, g.id, vol.id).role == rules.MEMBER  # role changed only
    with pytest.raises(Conflict):
        services.place_member(board, g.id, uncertified.id)
    with pytest.raises(NotAllowed):
        services.place_member(vol, g.id, vol.id)
    with pytest.raises(TrainerError):
        services.place_member(board, g.id, vol.id, role="boss")
    services.set_archived(board, g.id, True)
    with pytest.raises(Conflict):
        services.place_member(board, g.id, vol.id)


def test_roles_leaving_and_removal(app, make_user):
    board, vol = make_user("board"), make_user()
    certify(vol)
    g = group()
    m = services.place_member(board, g.id, vol.id)
    services.set_role(board, m.id, rules.LEAD)
    assert services.leads_of(g.id) == [vol]
    with pytest.raises(NotAllowed):
        services.set_role(vol, m.id, rules.MEMBER)
    services.leave(vol, g.id)
    assert m.state == rules.LEFT and services.leads_of(g.id) == []
    with pytest.raises(Conflict):
        services.leave(vol, g.id)
    services.place_member(board, g.id, vol.id)
    services.remove_member(board, m.id)
    assert m.state == rules.LEFT
    with pytest.raises(Conflict):
        services.remove_member(board, m.id)


def test_placeable_lists_certified_volunteers_and_board_not_yet_in_the_group(app, make_user):
    free, busy, asking, uncertified = (make_user() for _ in range(4))
    board = make_user("board")
    for u in (free, busy, asking):
        certify(u)
    join(busy, group())
    join(asking, group(), state="requested")
    now = utcnow()
    placeable = services.placeable(group().id, now)
    assert free in placeable and asking in placeable and board in placeable
    assert busy not in placeable and uncertified not in placeable


def _page(viewer, slug="tantjour"):
    return services.group_page(viewer, slug, utcnow())


def test_member_list_privacy(app, make_user):
    g = group()
    lead = make_user(name="Lena Ledare", phone="070-111")
    peer = make_user(name="Pia Peer", phone="070-222")
    shielded = make_user(name="Sara Skyddad", protected_identity=True)
    board = make_user("board")
    for u in (lead, peer, shielded):
        certify(u)
    join(lead, g, role="lead"), join(peer, g), join(shielded, g)

    as_peer = _page(peer)
    labels = [r.label for r in as_peer.members]
    assert sorted(labels) == ["Lena", "Pia"]  # display names; the protected one is left out
    assert all(r.email is None or r.label == "Pia" for r in as_peer.members)
    assert all(not r.protected for r in as_peer.members)

    as_lead = _page(lead)
    assert {r.label: r.phone for r in as_lead.members} == {"Lena": "070-111", "Pia": "070-222"}

    as_board = _page(board)
    names = {r.label: r.protected for r in as_board.members}
    assert names == {"Lena Ledare": False, "Pia Peer": False, "Sara Skyddad": True}

    as_herself = _page(shielded)
    assert "Sara" in [r.label for r in as_herself.members]


def test_requests_are_shown_only_to_those_who_answer_them(app, make_user):
    g = group()
    lead, peer, asker = make_user(), make_user(), make_user()
    shielded_asker = make_user(protected_identity=True)
    board = make_user("board")
    for u in (lead, peer, asker, shielded_asker):
        certify(u)
    join(lead, g, role="lead"), join(peer, g)
    services.request_to_join(asker, g.id)
    services.request_to_join(shielded_asker, g.id)
    db.session.commit()
    assert _page(peer).requests == []
    assert len(_page(lead).requests) == 1
    assert len(_page(board).requests) == 2


def test_archived_groups_are_for_the_board_only(app, make_user):
    board, vol = make_user("board"), make_user()
    services.set_archived(board, group().id, True)
    db.session.commit()
    assert _page(board).group.archived_at is not None
    from trainer.errors import NotFound

    with pytest.raises(NotFound):
        _page(vol)
    assert group().slug not in [s.group.slug for s in services.overview(vol)]
    assert group().slug in [s.group.slug for s in services.overview(board)]
    assert db.session.scalar(sa.select(sa.func.count(Workgroup.id))) == 5


def test_plannable_groups(app, make_user):
    board, member, expired, outsider = make_user("board"), make_user(), make_user(), make_user()
    certify(member), certify(expired, valid_days=-1), certify(outsider)
    join(member, group("tantjour")), join(expired, group("tantjour"))
    now = utcnow()
    assert [g.slug for g in services.plannable(member, now)] == ["tantjour"]
    assert services.plannable(expired, now) == [] and services.plannable(outsider, now) == []
    assert len(services.plannable(board, now)) == 5
