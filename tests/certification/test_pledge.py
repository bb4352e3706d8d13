"""The confidentiality pledge: read, accept (time and version recorded), a new version asks again."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from trainer.certification import services
from trainer.certification.models import PledgeAcceptance
from trainer.errors import TrainerError
from trainer.extensions import db


def test_accepting_records_version_and_time(app, make_user):
    user = make_user()
    assert services.accepted_current(user) is None
    row = services.accept_pledge(user, services.current_pledge().version)
    db.session.commit()
    assert row.version == 1 and row.accepted_at is not None
    assert services.accepted_current(user) == row


def test_accepting_twice_keeps_one_row(app, make_user):
    user = make_user()
    services.accept_pledge(user, 1)
    services.accept_pledge(user, 1)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(PledgeAcceptance.id))) == 1


def test_new_version_asks_for_new_acceptance(app, make_user):
    user = make_user()
    services.accept_pledge(user, 1)
    db.session.commit()
    catalog = app.extensions["trainer.catalog"]
    app.extensions["trainer.catalog"] = dataclasses.replace(
        catalog, pledge=dataclasses.replace(catalog.pledge, version=2)
    )
    assert services.accepted_current(user) is None
    with pytest.raises(TrainerError):
        services.accept_pledge(user, 1)  # the old text she had open
    assert services.accept_pledge(user, 2).version == 2


def test_pledge_page_accept_and_overview(client, make_user, login):
    login(make_user())
    page = client.get("/pledge").get_data(as_text=True)
    assert "Tystnadslöfte" in page and 'name="version" value="1"' in page
    assert "Läs och godkänn tystnadslöftet" in client.get("/me").get_data(as_text=True)
    r = client.post("/pledge", data={"version": "1"})
    assert r.status_code == 302 and r.headers["Location"] == "/me"
    assert "Tystnadslöftet är godkänt" in client.get("/me").get_data(as_text=True)
    assert "Du godkände tystnadslöftet" in client.get("/pledge").get_data(as_text=True)


def test_tampered_version_stores_nothing(client, make_user, login):
    login(make_user())
    client.post("/pledge", data={"version": "99"})
    client.post("/pledge", data={"version": "abc"})
    assert db.session.scalar(sa.select(sa.func.count(PledgeAcceptance.id))) == 0
