"""The board's register of places and districts: add, change, archive."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from trainer.audit.models import AuditEvent
from trainer.errors import Conflict, NotAllowed
from trainer.extensions import db
from trainer.places import services
from trainer.places.models import District, Place


@pytest.fixture
def board(make_user):
    return make_user("board")


def district(name):
    return db.session.scalar(sa.select(District).where(District.name == name))


def test_update_place_moves_and_renames(app, board):
    p = services.add_place(board, "Tumba bibliotek", district("Tumba").id, "annat")
    services.add_place(board, "Fittjaskolan", district("Fittja").id, "hogstadieskola")
    services.update_place(
        board, p.id, "  Tumba  stadsbibliotek ", district("Tullinge").id, "forening"
    )
    db.session.commit()
    assert (p.name, p.district.name, p.kind) == ("Tumba stadsbibliotek", "Tullinge", "forening")
    with pytest.raises(Conflict):
        services.update_place(board, p.id, "Fittjaskolan", district("Fittja").id, "annat")
    assert "place.changed" in db.session.scalars(sa.select(AuditEvent.action)).all()


def test_only_the_board_edits(app, board, make_user):
    p = services.add_place(board, "Träffpunkten", district("Alby").id, "motesplats-aldre")
    with pytest.raises(NotAllowed):
        services.update_place(make_user(), p.id, "X", district("Alby").id, "annat")
    with pytest.raises(NotAllowed):
        services.update_district(make_user(), district("Alby").id, "Y", False)


def test_rename_and_archive_a_district(app, board):
    d = district("Vårsta-Grödinge")
    services.update_district(board, d.id, "Grödinge", True)
    db.session.commit()
    assert d.name == "Grödinge" and d.archived_at is not None
    assert "Grödinge" not in [x.name for x in services.districts()]
    with pytest.raises(Conflict):
        services.update_district(board, d.id, "Tumba", True)
    services.update_district(board, d.id, "Grödinge", False)
    assert d.archived_at is None


def test_edit_pages(client, login, board):
    p = services.add_place(board, "Seniorträffen", district("Tullinge").id, "motesplats-aldre")
    db.session.commit()
    login(board)
    page = client.get(f"/board/places/{p.id}/edit").get_data(as_text=True)
    assert 'value="Seniorträffen"' in page
    r = client.post(
        f"/board/places/{p.id}/edit",
        data={
            "name": "Seniorträffen i Tullinge",
            "district_id": district("Tullinge").id,
            "kind": "motesplats-aldre",
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/board/places")
    assert db.session.get(Place, p.id).name == "Seniorträffen i Tullinge"
    # An empty name is answered on the page and changes nothing.
    page = client.post(
        f"/board/places/{p.id}/edit",
        data={"name": "", "district_id": district("Tullinge").id, "kind": "motesplats-aldre"},
    ).get_data(as_text=True)
    assert "Skriv platsens namn." in page
    assert db.session.get(Place, p.id).name == "Seniorträffen i Tullinge"
    d = district("Alby")
    r = client.post(f"/board/districts/{d.id}/edit", data={"name": "Alby", "archived": "y"})
    assert r.status_code == 302
    db.session.refresh(d)
    assert d.archived_at is not None
    assert client.get("/board/places/99999/edit").status_code == 404
