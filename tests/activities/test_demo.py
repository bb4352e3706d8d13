"""The demo data shows every activity state, groups with leads and members, and sign-ups."""

from __future__ import annotations

import sqlalchemy as sa

from trainer.activities import rules
from trainer.activities.models import Activity, Evaluation, SignUp
from trainer.certification.services import current_certified_ids
from trainer.extensions import db
from trainer.timeutil import utcnow
from trainer.workgroups.models import Membership


def test_demo_has_activities_in_every_state_and_groups_with_leads(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    states = set(db.session.scalars(sa.select(Activity.state)))
    assert states == set(rules.STATES)
    leads = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Membership.workgroup_id))).where(
            Membership.role == "lead", Membership.state == "active"
        )
    )
    assert leads == 5
    assert db.session.scalar(sa.select(Membership.id).where(Membership.state == "requested"))
    assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == 2
    assert db.session.scalar(sa.select(SignUp.id).where(SignUp.state == rules.WAITING))
    assert db.session.scalar(sa.select(SignUp.id).where(SignUp.reflection != ""))
    from trainer.auth.models import User
    from trainer.demo import DEMO_CERTIFIED

    wanted = {f"volontar{n:02d}@example.org" for n in DEMO_CERTIFIED}
    certified = set(
        db.session.scalars(
            sa.select(User.email).where(User.id.in_(current_certified_ids(utcnow())))
        )
    )
    assert wanted <= certified
    before = db.session.scalar(sa.select(sa.func.count(Activity.id)))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == before
