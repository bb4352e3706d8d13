"""Benchmark the list pages at the sizes the issues name.

    .venv/bin/python scripts/bench.py [--volunteers 2000] [--activities 2000] [--database URL]

Fills a throw-away database (a temporary SQLite file unless --database is given; it is
emptied first) with volunteers in every state and with activities, then times the
trainers' matrix, its CSV export and the board's overview through the Flask test client
and counts their SQL statements. Prints a table; nothing is asserted (the tests assert the
query counts, this reports the time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

BENCH_PASSWORD = "bench password 12345"  # noqa: S105 (a throw-away benchmark database)
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed(n_volunteers: int, n_activities: int) -> None:
    from trainer.auth.models import User, UserRole
    from trainer.certification.models import Certification, PledgeAcceptance
    from trainer.extensions import db
    from trainer.learning.models import SectionRead
    from trainer.learning.services import catalog, sync_versions
    from trainer.quizzes.models import QuizAttempt
    from trainer.timeutil import utcnow

    now = utcnow()
    cat = catalog()
    ids = sync_versions(cat)
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"bench{i}@example.org",
                "full_name": f"Bänk Volontär {i:05d}",
                "display_name": f"B{i}",
                "session_version": 1,
                "active": True,
                "protected_identity": i % 97 == 0,
                "created_at": now - timedelta(days=i % 400),
            }
            for i in range(n_volunteers)
        ],
    )
    users = list(db.session.scalars(sa.select(User.id).where(User.email.like("bench%"))))
    db.session.execute(sa.insert(UserRole), [{"user_id": u, "role": "volunteer"} for u in users])
    attempts, reads, pledges, certs = [], [], [], []
    for k, uid in enumerate(users):
        done = k % (len(cat.modules) + 1)
        for m in cat.modules[:done]:
            attempts.append(
                {
                    "user_id": uid,
                    "module_version_id": ids[m.slug],
                    "state": "graded",
                    "served": [],
                    "started_at": now - timedelta(days=30),
                    "submitted_at": now - timedelta(days=30),
                    "score": 0.9,
                    "passed": True,
                }
            )
        if done < len(cat.modules):
            m = cat.modules[done]
            for s in m.sections[: k % len(m.sections)]:
                reads.append(
                    {
                        "user_id": uid,
                        "module_version_id": ids[m.slug],
                        "section_id": s.id,
                        "read_at": now - timedelta(days=k % 60),
                    }
                )
        if done == len(cat.modules):
            pledges.append({"user_id": uid, "version": 1, "accepted_at": now - timedelta(days=20)})
            if k % 2:
                certs.append(
                    {
                        "user_id": uid,
                        "issued_at": now - timedelta(days=k % 800),
                        "valid_until": now - timedelta(days=k % 800) + timedelta(days=730),
                        "modules": {},
                        "pledge_version": 1,
                        "code": f"B{uid:015d}",
                        "show_name": False,
                        "revoke_reason": "",
                    }
                )
    for table, rows in (
        (QuizAttempt, attempts),
        (SectionRead, reads),
        (PledgeAcceptance, pledges),
        (Certification, certs),
    ):
        if rows:
            db.session.execute(sa.insert(table), rows)
    seed_activities(n_activities, users[0])
    db.session.commit()


def seed_activities(n: int, creator: int) -> None:
    try:
        from trainer.activities.models import Activity
    except ImportError:  # before workgroups and activities existed
        return
    from trainer.extensions import db
    from trainer.timeutil import utcnow
    from trainer.workgroups.models import Workgroup

    now = utcnow()
    groups = list(db.session.scalars(sa.select(Workgroup.id)))
    states = ["submitted", "approved", "carried_out", "evaluated", "cancelled"]
    db.session.execute(
        sa.insert(Activity),
        [
            {
                "workgroup_id": groups[k % len(groups)],
                "title": f"Aktivitet {k}",
                "description": "",
                "kind": "annat",
                "in_person": False,
                "starts_at": now + timedelta(days=(k % 200) - 100),
                "ends_at": now + timedelta(days=(k % 200) - 100, hours=2),
                "min_volunteers": 1,
                "max_volunteers": 4,
                "audience": "certified",
                "state": states[k % len(states)],
                "revision": 0,
                "created_by_id": creator,
                "created_at": now,
                "updated_at": now,
            }
            for k in range(n)
        ],
    )


def measure(client, url: str, runs: int) -> tuple[float, int, int]:
    from trainer.extensions import db

    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    client.get(url)  # warm up
    times = []
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(runs):
            counter["n"] = 0
            start = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - start)
            assert r.status_code == 200, (url, r.status_code)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return statistics.median(times) * 1000, counter["n"], len(r.data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--volunteers", type=int, default=2000)
    ap.add_argument("--activities", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--database", default="", help="SQLAlchemy URL; emptied first")
    args = ap.parse_args()

    from trainer import create_app
    from trainer.auth import services as auth
    from trainer.extensions import db

    tmp = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    url = args.database or f"sqlite:///{tmp / 'bench.db'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp),
            "SECRET_KEY": "bench-secret-key-long-enough-for-tests-123",
            "WTF_CSRF_ENABLED": False,
            "ARGON2": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
        from trainer.workgroups.services import ensure_plan_workgroups

        ensure_plan_workgroups()
        try:
            from trainer.places.services import ensure_districts

            ensure_districts()
        except ImportError:
            pass
        start = time.perf_counter()
        seed(args.volunteers, args.activities)
        auth.create_user(
            "bench-staff@example.org",
            "Bänk Personal",
            roles=["trainer", "board"],
            password=BENCH_PASSWORD,
        )
        db.session.commit()
        seeded = time.perf_counter() - start
        client = app.test_client()
        client.post("/login", data={"email": "bench-staff@example.org", "password": BENCH_PASSWORD})
        print(
            f"database: {db.engine.dialect.name}; {args.volunteers} volunteers, {args.activities} activities (seeded in {seeded:.1f} s)"
        )
        print(f"{'page':<34} {'median ms':>10} {'queries':>8} {'bytes':>9}")
        pages = [
            "/trainer/matrix",
            "/trainer/matrix?stage=ready&sort=progress&dir=desc",
            "/trainer/matrix.csv",
            "/trainer",
        ]
        if "board.overview" in app.view_functions:
            pages += ["/board", "/board/reach"]
        for page in pages:
            ms, queries, size = measure(client, page, args.runs)
            print(f"{page:<34} {ms:>10.0f} {queries:>8} {size:>9}")


if __name__ == "__main__":
    main()
