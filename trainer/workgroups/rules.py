"""Workgroup rules as pure functions: who may be a member, who decides, who sees whom.

Nothing here reads the clock, the database or the request.
"""

from __future__ import annotations

import re
import unicodedata

LEAD = "lead"
MEMBER = "member"
ROLES = (LEAD, MEMBER)

REQUESTED = "requested"
ACTIVE = "active"
DECLINED = "declined"
LEFT = "left"

# How a person is shown to a viewer.
FULL = "full"  # name and contact details
NAME = "name"  # display name only
ANONYMOUS = "anonymous"  # "en volontär"
HIDDEN = "hidden"  # left out of the list


def may_be_member(*, is_board: bool, certified: bool) -> bool:
    """Groups consist of board members and volunteers whose certification is current."""
    return is_board or certified


def may_decide_request(
    *, viewer_is_board: bool, viewer_is_lead: bool, requester_protected: bool
) -> bool:
    """The board decides every request; a group's lead decides requests to her group,
    except from someone with protected identity, who appears in no list outside the
    board's."""
    if viewer_is_board:
        return True
    return viewer_is_lead and not requester_protected


def shown_as(
    *,
    protected: bool,
    viewer_is_board: bool,
    viewer_is_lead: bool,
    is_self: bool,
    member_list: bool,
) -> str:
    """What a viewer sees of a person in a list of members (`member_list`) or of people
    signed up for an activity. Peers see display names; leads and the board also see
    contact details. A person with protected identity is left out of member lists and shown
    as "en volontär" elsewhere, except to the board and to herself."""
    if is_self or viewer_is_board:
        return FULL
    if protected:
        return HIDDEN if member_list else ANONYMOUS
    return FULL if viewer_is_lead else NAME


def slugify(name: str) -> str:
    """A URL slug from a group name: å/ä→a, ö→o, other runs of non-alphanumerics → '-'."""
    folded = unicodedata.normalize("NFKD", name.lower())
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:60] or "grupp"
