"""Twenty people press "Anmäl mig" at the same moment for the last place: exactly one gets
it, on SQLite and on PostgreSQL. Each thread has its own app context, session and
connection, as separate requests to a real server would."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, make_config
from tests.factories import activity, certify, group, signup
from trainer import create_app
from trainer.activities import rules, services
from trainer.activities.models import SignUp
from trainer.auth.models import User
from trainer.errors import TrainerError
from trainer.extensions import db

RACERS = 20

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not PG_URL, reason="PostgreSQL: set TEST_DATABASE_URL (CI does) to run this test"
            ),
        ],
    ),
]


@pytest.fixture(params=DATABASES)
def race_app(request, tmp_path):
    url = PG_URL if request.param == "postgresql" else f"sqlite:///{tmp_path / 'race.db'}"
    app = create_app(make_config(tmp_path, DATABASE_URL=url))
    with app.app_context():
        from tests.conftest import _reset_schema

        _reset_schema()
        yield app
        db.session.remove()
        db.engine.dispose()


def _race(app, fn, user_ids, activity_id):
    """Run fn(user, activity_id) for each user in its own thread, all released at once.
    Returns the outcomes: "won", "full", or the error's class name."""
    db.session.rollback()  # the test's own session must not hold SQLite's write lock
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(uid):
        with app.test_request_context():
            user = db.session.get(User, uid)
            # End the read before waiting: on SQLite every transaction holds the write lock
            # (BEGIN IMMEDIATE), and on PostgreSQL a waiting thread would hold a pooled
            # connection that others need to reach the barrier.
            db.session.commit()
            barrier.wait()
            try:
                result = fn(user, activity_id)
                db.session.commit()
                outcome = "full" if getattr(result, "full", False) else "won"
            except TrainerError as e:
                db.session.rollback()
                outcome = type(e).__name__
            except Exception as e:  # a database error would be a failure of the lock
                db.session.rollback()
                outcome = f"error: {e!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def _setup(make_count: int):
    from trainer.auth import services as auth

    creator = auth.create_user("lead@example.org", "Lena Ledare")
    people = [auth.create_user(f"r{i}@example.org", f"Racer {i}") for i in range(make_count)]
    db.session.commit()
    for p in [creator, *people]:
        certify(p)
    return creator, people


def test_twenty_parallel_sign_ups_for_the_last_place(race_app):
    creator, people = _setup(RACERS + 2)
    a = activity(group(), creator, max_volunteers=3, min_volunteers=2)
    signup(a, people[0]), signup(a, people[1])  # two of three places taken
    racers = [p.id for p in people[2:]]
    outcomes = _race(race_app, services.sign_up, racers, a.id)
    db.session.expire_all()
    confirmed = db.session.scalar(
        sa.select(sa.func.count(SignUp.id)).where(
            SignUp.activity_id == a.id, SignUp.state == rules.CONFIRMED
        )
    )
    assert sorted(outcomes) == ["full"] * (RACERS - 1) + ["won"], outcomes
    assert confirmed == 3


def test_the_same_person_twice_in_parallel_gets_one_row(race_app):
    creator, people = _setup(1)
    a = activity(group(), creator, max_volunteers=5)
    outcomes = _race(race_app, services.sign_up, [people[0].id] * 8, a.id)
    db.session.expire_all()
    rows = db.session.scalar(sa.select(sa.func.count(SignUp.id)).where(SignUp.activity_id == a.id))
    assert sorted(outcomes) == ["Conflict"] * 7 + ["won"], outcomes
    assert rows == 1


def test_parallel_claims_and_sign_ups_never_overbook(race_app):
    """A place offered to the first on the waiting list is held for her while others race."""
    creator, people = _setup(12)
    a = activity(group(), creator, max_volunteers=2, starts_in=timedelta(days=5))
    signup(a, people[0]), signup(a, people[1])
    with race_app.test_request_context():
        services.join_waitlist(people[2], a.id)
        services.withdraw(people[0], a.id)
        db.session.commit()
    outcomes = _race(race_app, services.sign_up, [p.id for p in people[2:]], a.id)
    db.session.expire_all()
    winner = db.session.scalar(
        sa.select(SignUp.user_id).where(
            SignUp.activity_id == a.id,
            SignUp.state == rules.CONFIRMED,
            SignUp.user_id != people[1].id,
        )
    )
    assert winner == people[2].id  # the one holding the offer
    assert outcomes.count("won") == 1 and outcomes.count("full") == 9
