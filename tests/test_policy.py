"""Every endpoint has a policy, and every role gets exactly what the policy says."""

from __future__ import annotations

import pytest

from trainer.auth.policy import POLICY, PUBLIC, SIGNED_IN

ROLES = ["volunteer", "trainer", "board", "admin"]


def _url(rule) -> str:
    values = {arg: 1 if "id" in arg else "x" for arg in rule.arguments}
    if rule.endpoint == "static":
        values = {"filename": "css/app.css"}
    url = rule.rule
    for arg, value in values.items():
        url = (
            url.replace(f"<int:{arg}>", str(value))
            .replace(f"<path:{arg}>", str(value))
            .replace(f"<{arg}>", str(value))
        )
    return url


def test_every_endpoint_has_a_policy(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert endpoints - set(POLICY) == set(), "endpoints without a policy"
    assert set(POLICY) - endpoints == set(), "policies for endpoints that do not exist"


def test_unknown_endpoint_fails_closed(app, client, make_user, login):
    app.add_url_rule("/unlisted", "unlisted", lambda: "secret")
    login(make_user("admin"))
    r = client.get("/unlisted")
    assert r.status_code == 403 and b"secret" not in r.data


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_endpoint_for_each_role(app, make_user, role):
    client = app.test_client()
    if role:
        user = make_user(role)
        client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.logout", "auth.logout_everywhere", "auth.change_password"):
            continue  # they end the session; covered in tests/auth
        policy = POLICY[rule.endpoint]
        allowed = policy == PUBLIC or (role is not None and (policy == SIGNED_IN or role in policy))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            r = client.open(_url(rule), method=method)
            r.close()
            where = f"{method} {rule.rule} as {role}"
            assert r.status_code != 500, where
            if allowed:
                assert r.status_code not in (401, 403) or rule.endpoint.startswith(
                    ("quizzes.", "learning.")
                ), where
            elif role is None:
                assert r.status_code == 302 and "/login" in r.headers["Location"], where
            else:
                assert r.status_code == 403, where


def test_security_headers_on_every_kind_of_response(client):
    for path in ("/", "/login", "/no-such-page"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "frame-ancestors 'none'" in csp
            and "unsafe-inline" not in csp
        )
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"]


def test_error_pages_are_swedish_and_never_a_traceback(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    from trainer.auth import policy

    policy.POLICY["boom"] = PUBLIC
    try:
        r = client.get("/boom")
    finally:
        policy.POLICY.pop("boom")
    body = r.get_data(as_text=True)
    assert r.status_code == 500 and "Något gick fel hos oss" in body
    assert "Traceback" not in body and "secret internals" not in body
    assert "Sidan finns inte" in client.get("/nothing-here").get_data(as_text=True)


def test_too_large_body_gets_413(client):
    r = client.post("/interest", data={"motivation": "x" * (2 * 1024 * 1024)})
    assert r.status_code == 413


def test_english_can_be_chosen_and_swedish_is_the_default(client):
    assert '<html lang="sv">' in client.get("/login").get_data(as_text=True)
    r = client.post("/language", data={"lang": "en", "next": "/login"})
    assert r.headers["Location"] == "/login"
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body and "Log in" in body
