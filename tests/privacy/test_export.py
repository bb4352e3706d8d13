"""Her data export: every column classified, everything of hers in it, nothing of others'
and no secrets."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tests.certification.test_services import NOW, finish
from trainer.audit.models import AuditEvent
from trainer.certification import services as certification
from trainer.extensions import db
from trainer.privacy import services
from trainer.privacy.registry import PERSONAL, REGISTRY


def test_every_table_and_column_is_classified(app):
    tables = {t.name: {c.name for c in t.columns} for t in db.metadata.sorted_tables}
    assert set(tables) == set(REGISTRY), set(tables) ^ set(REGISTRY)
    for name, spec in REGISTRY.items():
        if spec.owner or spec.via or spec.login_key:
            assert set(spec.columns()) == tables[name], (name, set(spec.columns()) ^ tables[name])
        else:
            assert not spec.columns(), name  # reference data holds nobody's


def test_export_has_hers_and_nothing_else(app, make_user):
    trainer = make_user("trainer", name="Tove Utbildare")
    her = make_user(name="Hanna Hansson", phone="070-111 22 33")
    other = make_user(name="Olga Annan")
    finish(her)
    finish(other)
    certification.decide(trainer, her.id, "approved", now=NOW)
    certification.add_note(trainer, her.id, "Introträff 3 mars")
    db.session.commit()
    data = services.export_for(her)
    text = json.dumps(data, ensure_ascii=False)
    t = data["tables"]
    assert t["user"][0]["full_name"] == "Hanna Hansson" and t["user"][0]["phone"] == "070-111 22 33"
    for table in (
        "quiz_attempt",
        "attempt_answer",
        "reflection",
        "section_read",
        "pledge_acceptance",
        "certification",
        "signoff_decision",
        "trainer_note",
    ):
        assert t.get(table), table
    assert {r["user_id"] for r in t["quiz_attempt"]} == {her.id}
    attempt_ids = {r["id"] for r in t["quiz_attempt"]}
    assert {r["attempt_id"] for r in t["attempt_answer"]} <= attempt_ids
    assert "Olga Annan" not in text and other.email not in text
    assert "password_hash" not in text and "argon2" not in text and "token_hash" not in text
    exported = {(name, col) for name in t for col in t[name][0]}
    classified = {
        (n, c) for n, s in REGISTRY.items() for c, k in s.columns().items() if k == PERSONAL
    }
    assert exported <= classified
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.export"))


def test_download_from_the_account_page(client, login, make_user):
    her = make_user(name="Hanna Hansson")
    login(her)
    assert "Ladda ner mina uppgifter" in client.get("/account").get_data(as_text=True)
    r = client.get("/account/export.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert "attachment" in r.headers["Content-Disposition"]
    assert json.loads(r.data)["tables"]["user"][0]["email"] == her.email
