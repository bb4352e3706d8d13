"""Workgroup rules, without app or database."""

from __future__ import annotations

import pytest

from trainer.workgroups import rules


@pytest.mark.parametrize(
    "is_board,certified,expected",
    [(True, False, True), (False, True, True), (False, False, False), (True, True, True)],
)
def test_members_are_board_members_or_certified(is_board, certified, expected):
    assert rules.may_be_member(is_board=is_board, certified=certified) is expected


@pytest.mark.parametrize(
    "board,lead,protected,expected",
    [
        (True, False, False, True),
        (True, False, True, True),
        (False, True, False, True),
        (False, True, True, False),  # only the board sees someone with protected identity
        (False, False, False, False),
    ],
)
def test_who_decides_a_request(board, lead, protected, expected):
    assert (
        rules.may_decide_request(
            viewer_is_board=board, viewer_is_lead=lead, requester_protected=protected
        )
        is expected
    )


def shown(**kw):
    base = dict(
        protected=False,
        viewer_is_board=False,
        viewer_is_lead=False,
        is_self=False,
        member_list=True,
    )
    base.update(kw)
    return rules.shown_as(**base)


def test_peers_see_display_names_only():
    assert shown() == rules.NAME
    assert shown(member_list=False) == rules.NAME


def test_leads_and_board_see_contact_details():
    assert shown(viewer_is_lead=True) == rules.FULL
    assert shown(viewer_is_board=True) == rules.FULL


def test_protected_identity_is_hidden_from_lists_and_anonymous_elsewhere():
    assert shown(protected=True) == rules.HIDDEN
    assert shown(protected=True, viewer_is_lead=True) == rules.HIDDEN
    assert shown(protected=True, member_list=False) == rules.ANONYMOUS
    assert shown(protected=True, member_list=False, viewer_is_lead=True) == rules.ANONYMOUS
    assert shown(protected=True, viewer_is_board=True) == rules.FULL
    assert shown(protected=True, is_self=True) == rules.FULL


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Tantjour", "tantjour"),
        ("Skolor & fritid i Vårsta-Grödinge", "skolor-fritid-i-varsta-grodinge"),
        ("  Öppet hus!  ", "oppet-hus"),
        ("???", "grupp"),
    ],
)
def test_slugify(name, slug):
    assert rules.slugify(name) == slug
