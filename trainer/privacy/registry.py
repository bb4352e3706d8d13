"""Every column of every table, classified: what is one person's data, what must never
leave the database, what is shared reference data. A test fails when a table or column is
added without a line here, so the export below never silently misses personal data.

PERSONAL columns are exported to the person the row belongs to (GDPR art. 15 and 20);
SECRET columns (hashes, session counters) are never exported; REFERENCE tables hold no one
person's data (course versions, groups, districts, places).
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONAL = "personal"
SECRET = "secret"  # noqa: S105 (a classification label, not a password)
REFERENCE = "reference"


@dataclass(frozen=True)
class Table:
    owner: str | None  # column holding her user id, "a|b" for either, None for reference
    personal: str = ""  # space-separated column names
    secret: str = ""
    via: tuple[str, str] | None = None  # (column, parent table) when the parent row is hers
    login_key: bool = False  # rows keyed "acct:<her email>"

    def columns(self) -> dict[str, str]:
        out = {c: PERSONAL for c in self.personal.split()}
        out.update({c: SECRET for c in self.secret.split()})
        return out


REGISTRY: dict[str, Table] = {
    "user": Table(
        "id",
        "id email full_name display_name phone active protected_identity locale created_at "
        "deactivated_at",
        "password_hash session_version",
    ),
    "user_role": Table("user_id", "id user_id role"),
    "auth_token": Table(
        "user_id", "id user_id purpose created_at expires_at used_at", "token_hash"
    ),
    "calendar_token": Table("user_id", "id user_id created_at", "token_hash"),
    "login_failure": Table(None, "id key created_at", login_key=True),
    "applicant": Table(
        "user_id",
        "id name email phone heard_from motivation consent_at created_at invited_at user_id",
    ),
    "applicant_interest": Table(
        None, "applicant_id workgroup_id", via=("applicant_id", "applicant")
    ),
    "audit_event": Table(
        "actor_id|target_user_id", "id created_at actor_id action target_user_id detail"
    ),
    "section_read": Table("user_id", "id user_id module_version_id section_id read_at"),
    "quiz_attempt": Table(
        "user_id",
        "id user_id module_version_id state served started_at submitted_at score passed",
    ),
    "attempt_answer": Table(
        None, "id attempt_id question_id chosen correct", via=("attempt_id", "quiz_attempt")
    ),
    "reflection": Table(
        "user_id", "id user_id module_slug question_id module_version_id text updated_at read_at"
    ),
    "pledge_acceptance": Table("user_id", "id user_id version accepted_at"),
    "signoff_decision": Table("user_id", "id user_id trainer_id decision comment note created_at"),
    "certification": Table(
        "user_id",
        "id user_id decision_id trainer_id issued_at valid_until modules pledge_version code "
        "show_name revoked_at revoked_by_id revoke_reason",
    ),
    "trainer_note": Table("user_id", "id user_id author_id text created_at"),
    "membership": Table(
        "user_id",
        "id workgroup_id user_id role state requested_at joined_at ended_at decided_by_id",
    ),
    "activity": Table(
        "created_by_id",
        "id workgroup_id title description kind in_person district_id place_id starts_at "
        "ends_at min_volunteers max_volunteers audience state revision created_by_id "
        "created_at updated_at",
    ),
    "activity_transition": Table(
        "actor_id", "id activity_id from_state to_state actor_id comment created_at"
    ),
    "signup": Table(
        "user_id",
        "id activity_id user_id state created_at confirmed_at waitlisted_at cancelled_at "
        "cancel_requested_at cancel_message attended reflection reflected_at",
    ),
    "waitlist_offer": Table(
        None,
        "id signup_id created_at expires_at state closed_at",
        "token_hash",
        via=("signup_id", "signup"),
    ),
    "evaluation": Table(
        "author_id",
        "id activity_id author_id people_reached target_group went_well to_improve incidents "
        "created_at updated_at",
    ),
    # Reference data: no one person's.
    "module_version": Table(None),
    "workgroup": Table(None),
    "district": Table(None),
    "place": Table(None),
}
