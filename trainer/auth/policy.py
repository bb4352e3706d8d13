"""Who may open which endpoint: the one place access is declared.

Every endpoint must be listed; an endpoint missing here answers 403 (fails closed) and a
test walks `app.url_map` to catch it. Values: PUBLIC (anyone), SIGNED_IN (any active
account) or a set of roles, any one of which is enough.
"""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_login import current_user, login_fresh

from trainer.errors import render_error

PUBLIC = "public"
SIGNED_IN = "signed-in"
STAFF = frozenset({"trainer", "board", "admin"})
TRAINERS = frozenset({"trainer", "admin"})
BOARD = frozenset({"board", "admin"})
ADMIN = frozenset({"admin"})
LEARNERS = frozenset({"volunteer", "trainer", "board", "admin"})

POLICY: dict[str, str | frozenset[str]] = {
    "static": PUBLIC,
    "public.index": PUBLIC,
    "public.privacy": PUBLIC,
    "public.language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.reset_request": PUBLIC,
    "auth.reset": PUBLIC,
    "auth.invite": PUBLIC,
    "auth.account": SIGNED_IN,
    "auth.confirm": SIGNED_IN,
    "privacy.export": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.logout_everywhere": SIGNED_IN,
    "applicants.interest": PUBLIC,
    "applicants.thanks": PUBLIC,
    "applicants.list": STAFF,
    "applicants.invite": STAFF,
    "applicants.decline": STAFF,
    "applicants.invite_email": STAFF,
    "admin.users": ADMIN,
    "admin.user": ADMIN,
    "admin.set_roles": ADMIN,
    "admin.deactivate": ADMIN,
    "admin.reactivate": ADMIN,
    "admin.protected": ADMIN,
    "admin.audit": ADMIN,
    "admin.erase": ADMIN,
    "learning.overview": LEARNERS,
    "learning.module": LEARNERS,
    "learning.section": LEARNERS,
    "learning.resume": LEARNERS,
    "learning.asset": LEARNERS,
    "certification.pledge": LEARNERS,
    "certification.certificate": LEARNERS,
    "certification.show_name": LEARNERS,
    "certification.verify": PUBLIC,
    "certification.verify_form": PUBLIC,
    "trainers.todo": TRAINERS,
    "trainers.matrix": TRAINERS,
    "trainers.matrix_csv": TRAINERS,
    "trainers.questions": TRAINERS,
    "trainers.volunteer": STAFF,
    "trainers.decide": TRAINERS,
    "trainers.revoke": TRAINERS,
    "trainers.add_note": STAFF,
    "trainers.reflections_read": TRAINERS,
    "quizzes.take": LEARNERS,
    "quizzes.submit": LEARNERS,
    "quizzes.result": LEARNERS,
    # Workgroups: everyone signed in sees them; leads (volunteers) answer requests, and the
    # services check that she leads that group. Creating, renaming and placing is the board's.
    "workgroups.index": LEARNERS,
    "workgroups.show": LEARNERS,
    "workgroups.join": LEARNERS,
    "workgroups.leave": LEARNERS,
    "workgroups.accept": LEARNERS,
    "workgroups.decline": LEARNERS,
    "workgroups.new": BOARD,
    "workgroups.edit": BOARD,
    "workgroups.archive": BOARD,
    "workgroups.place": BOARD,
    "workgroups.set_role": BOARD,
    "workgroups.remove": BOARD,
    # Activities: the services check membership, leadership and certification per activity.
    "activities.index": LEARNERS,
    "activities.new": LEARNERS,
    "activities.show": LEARNERS,
    "activities.edit": LEARNERS,
    "activities.submit": LEARNERS,
    "activities.cancel": LEARNERS,
    "activities.signup": LEARNERS,
    "activities.waitlist": LEARNERS,
    "activities.withdraw": LEARNERS,
    "activities.release": LEARNERS,
    "activities.claim": LEARNERS,
    "activities.attendance": LEARNERS,
    "activities.evaluation": LEARNERS,
    "activities.reflection": LEARNERS,
    "activities.ics": LEARNERS,
    "activities.decide": BOARD,
    "activities.approvals": BOARD,
    "activities.evaluations": BOARD,
    "activities.calendar": LEARNERS,
    "activities.calendar_new": LEARNERS,
    "activities.calendar_revoke": LEARNERS,
    # The feed is opened by calendar apps without a session: the secret token is the key.
    "activities.feed": PUBLIC,
    "board.overview": BOARD,
    "board.assign": BOARD,
    "board.reach": BOARD,
    "board.export": BOARD,
    "places.index": BOARD,
    "places.add": BOARD,
    "places.archive": BOARD,
    "places.add_district": BOARD,
    "places.edit": BOARD,
    "places.edit_district": BOARD,
}


# Exports and changes to someone's account need a fresh login: a session restored from
# the remember-me cookie is asked for the password again first (security.md A8).
NEEDS_FRESH_LOGIN = frozenset(
    {
        "trainers.matrix_csv",
        "privacy.export",
        "board.export",
        "admin.set_roles",
        "admin.deactivate",
        "admin.reactivate",
        "admin.protected",
        "admin.erase",
    }
)


def policy_for(endpoint: str | None) -> str | frozenset[str] | None:
    return POLICY.get(endpoint or "")


def allowed(user, rule: str | frozenset[str] | None) -> bool:
    """Does this person pass this rule? Pure, so tests can call it without a request."""
    if rule is None:
        return False
    if rule == PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if rule == SIGNED_IN:
        return True
    return bool(user.role_names & rule)


def _local_referrer() -> str | None:
    """Where a POST came from, when that is a page of ours (so she can send it again)."""
    from urllib.parse import urlsplit

    ref = urlsplit(request.referrer or "")
    if ref.netloc and ref.netloc != request.host:
        return None
    return (ref.path + ("?" + ref.query if ref.query else "")) or None


def init_app(app: Flask) -> None:
    @app.before_request
    def enforce_policy():
        if request.endpoint is None:  # 404 and 405 are handled by the error pages
            return None
        rule = policy_for(request.endpoint)
        if allowed(current_user, rule):
            if request.endpoint in NEEDS_FRESH_LOGIN and not login_fresh():
                back = request.full_path.rstrip("?") if request.method == "GET" else None
                back = back or _local_referrer()
                return redirect(url_for("auth.confirm", next=back))
            return None
        if rule is not None and not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return render_error(403)
