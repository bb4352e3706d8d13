"""Interest form, invitation and declining."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import link_from
from trainer.applicants import services
from trainer.applicants.models import Applicant
from trainer.auth.models import User
from trainer.extensions import db
from trainer.workgroups.models import Workgroup

GOOD = {
    "name": "Lina Berg",
    "email": "lina@example.org",
    "phone": "",
    "heard_from": "En vän",
    "motivation": "Jag vill hjälpa till.",
    "consent": "y",
}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_interest_form_stores_applicant_with_interests(client):
    group = db.session.scalar(sa.select(Workgroup).where(Workgroup.slug == "tantjour"))
    r = client.post("/interest", data={**GOOD, "interests": [str(group.id)]})
    assert r.status_code == 302 and r.headers["Location"] == "/interest/thanks"
    applicant = db.session.scalar(sa.select(Applicant))
    assert applicant.email == "lina@example.org" and [g.slug for g in applicant.interests] == [
        "tantjour"
    ]


def test_the_five_plan_workgroups_are_offered(client):
    body = client.get("/interest").get_data(as_text=True)
    for name in (
        "Utåtriktad verksamhet",
        "Tantjour",
        "Sociala medier",
        "Information på skolor och fritidsverksamheter",
        "Rekrytering och utbildning av volontärer",
    ):
        assert name in body


def test_bad_input_gets_clear_messages_and_stores_nothing(client):
    r = client.post(
        "/interest",
        data={
            **GOOD,
            "email": "inte-en-adress",
            "consent": "",
            "motivation": "",
            "interests": ["999"],
        },
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Skriv en giltig e-postadress" in body
    assert "Vi behöver ditt godkännande" in body
    assert "Skriv några ord om varför" in body
    assert count(Applicant) == 0


def test_known_email_gets_the_same_answer_and_no_duplicate(client, make_user):
    make_user(email="taken@example.org")
    a = client.post("/interest", data={**GOOD, "email": "taken@example.org"})
    b = client.post("/interest", data=GOOD)
    assert a.status_code == b.status_code == 302 and a.headers["Location"] == b.headers["Location"]
    assert count(Applicant) == 1


def test_tampered_form_without_csrf_gets_400_and_stores_nothing(app):
    app.config["WTF_CSRF_ENABLED"] = True
    r = app.test_client().post("/interest", data=GOOD)
    assert r.status_code == 400 and count(Applicant) == 0


def test_invite_creates_account_and_link_sets_password(app, client, make_user, login, outbox):
    trainer = make_user("trainer")
    services.register_interest(
        name="Lina Berg",
        email="lina@example.org",
        phone=None,
        interest_ids=[],
        heard_from="",
        motivation="Jag vill.",
    )
    db.session.commit()
    applicant = db.session.scalar(sa.select(Applicant))
    login(trainer)
    r = client.post(f"/applicants/{applicant.id}/invite")
    assert r.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "lina@example.org"))
    assert user.role_names == {"volunteer"} and user.password_hash is None
    link = link_from(outbox()[-1])
    volunteer = app.test_client()
    r = volunteer.post(
        link, data={"password": "lina has a password", "confirm": "lina has a password"}
    )
    assert r.status_code == 302 and r.headers["Location"] == "/me"
    assert (
        volunteer.post(
            link, data={"password": "again a password!", "confirm": "again a password!"}
        ).status_code
        == 400
    )


def test_decline_deletes_the_registration(client, make_user, login):
    services.register_interest(
        name="X", email="x@example.org", phone=None, interest_ids=[], heard_from="", motivation="m"
    )
    db.session.commit()
    applicant_id = db.session.scalar(sa.select(Applicant.id))
    login(make_user("board"))
    client.post(f"/applicants/{applicant_id}/decline")
    assert count(Applicant) == 0


def test_volunteer_cannot_see_applicants(client, make_user, login):
    login(make_user("volunteer"))
    assert client.get("/applicants").status_code == 403


def test_only_an_admin_can_invite_an_admin(app, make_user):
    import pytest

    from trainer.errors import NotAllowed

    with app.test_request_context():
        with pytest.raises(NotAllowed):
            services.invite_person(
                "new@example.org", "Ny Admin", ["admin"], actor=make_user("trainer")
            )
        user = services.invite_person(
            "new@example.org", "Ny Admin", ["admin"], actor=make_user("admin")
        )
    assert user.role_names == {"admin"}
