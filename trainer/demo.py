"""`trainer demo`: demo accounts and volunteers in varied states, so a newcomer sees every feature."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from trainer.applicants.models import Applicant
from trainer.auth import services as auth
from trainer.auth.models import User
from trainer.extensions import db
from trainer.learning import services as learning
from trainer.quizzes import services as quizzes
from trainer.quizzes.models import QuizAttempt
from trainer.timeutil import utcnow
from trainer.workgroups.models import Workgroup

DEMO_PASSWORD = "trainer-demo-2026"  # noqa: S105 (demo data only; `trainer demo` refuses in production)
DEMO_ACCOUNTS = [
    ("admin@example.org", "Alva Admin", "Alva", ["admin"]),
    ("utbildare@example.org", "Tove Utbildare", "Tove", ["trainer"]),
    ("styrelse@example.org", "Siri Styrelse", "Siri", ["board", "trainer"]),
    ("volontar@example.org", "Vera Volontär", "Vera", ["volunteer"]),
]
FIRST = [
    "Amina",
    "Birgitta",
    "Carin",
    "Dalia",
    "Elin",
    "Fatima",
    "Greta",
    "Hanna",
    "Ida",
    "Jasmin",
    "Karin",
    "Leyla",
    "Maja",
    "Nadia",
    "Olivia",
    "Petra",
    "Rana",
    "Sofia",
    "Tuva",
    "Yasmin",
]
LAST = [
    "Andersson",
    "Berg",
    "Çelik",
    "Dahl",
    "Ek",
    "Farah",
    "Gustafsson",
    "Holm",
    "Isaksson",
    "Jovanović",
    "Karlsson",
    "Lind",
    "Mohammed",
    "Nilsson",
    "Olsson",
    "Persson",
    "Rahimi",
    "Sandberg",
    "Torres",
    "Yilmaz",
]


def answer_form(attempt: QuizAttempt, *, correct: bool = True) -> dict[str, list[str]]:
    """A filled-in quiz form for an attempt: all right, or every choice question wrong."""
    from trainer.content.payload import from_payload

    module = from_payload(attempt.module_version.payload)
    form: dict[str, list[str]] = {}
    for item in attempt.served:
        q = module.question(item["q"])
        if q.type == "reflection":
            form[f"r-{q.id}"] = ["Jag tänker att det viktigaste är att lyssna och tro på henne."]
            continue
        right = [str(i) for i, o in enumerate(q.options) if o.correct]
        wrong = [str(i) for i, o in enumerate(q.options) if not o.correct][:1]
        form[f"q-{q.id}"] = right if correct else wrong
    return form


def read_all(user: User, slug: str, now: datetime) -> None:
    version, module = learning.current_module(slug)
    for s in module.sections:
        learning.mark_read(user, version.id, s.id, now=now)


def complete_module(user: User, slug: str, now: datetime, *, passed: bool = True) -> QuizAttempt:
    """Read every section and submit the quiz, passing or failing (used by demo and tests)."""
    read_all(user, slug, now)
    attempt = quizzes.start_attempt(user, slug, now=now, rng=random.Random(user.id))
    return quizzes.submit_attempt(user, attempt.id, answer_form(attempt, correct=passed), now=now)


def load_demo(now: datetime | None = None) -> list[tuple[str, str, list[str]]]:
    """Create the demo data if missing; returns (email, password, roles) for the demo logins."""
    now = now or utcnow()
    rng = random.Random(2025)
    logins = []
    for email, name, display, roles in DEMO_ACCOUNTS:
        if not auth.get_user_by_email(email):
            auth.create_user(email, name, display_name=display, roles=roles, password=DEMO_PASSWORD)
        logins.append((email, DEMO_PASSWORD, roles))
    db.session.flush()
    slugs = learning.catalog().slugs
    groups = list(db.session.scalars(sa.select(Workgroup).order_by(Workgroup.id)))
    vera = auth.get_user_by_email("volontar@example.org")
    if not db.session.scalar(sa.select(QuizAttempt.id).where(QuizAttempt.user_id == vera.id)):
        complete_module(vera, slugs[0], now - timedelta(days=3))
        version, mod = learning.current_module(slugs[1])
        for s in mod.sections[:2]:
            learning.mark_read(vera, version.id, s.id, now=now - timedelta(days=1))
    for i in range(20):
        email = f"volontar{i + 1:02d}@example.org"
        if auth.get_user_by_email(email):
            continue
        name = f"{FIRST[i]} {LAST[i]}"
        user = auth.create_user(
            email, name, display_name=FIRST[i], roles=["volunteer"], password=DEMO_PASSWORD
        )
        user.created_at = now - timedelta(days=20 + 9 * i)
        if i == 3:
            user.protected_identity = True
            user.display_name = "Volontär D"
        # Varied progress: from nothing read to every module passed.
        done = i % 7  # 0..6 modules passed
        when = user.created_at
        for slug in slugs[: min(done, len(slugs))]:
            when = when + timedelta(days=rng.randint(1, 6))
            if rng.random() < 0.3:
                complete_module(user, slug, min(when, now), passed=False)
                when = when + timedelta(hours=2)
            complete_module(user, slug, min(when, now))
        if done >= 4:
            from trainer.certification.services import accept_pledge

            accept_pledge(user, learning.catalog().pledge.version, now=min(when, now))
        if done < len(slugs) and i % 2 == 0:
            version, mod = learning.current_module(slugs[done])
            if not mod.requires or all(r in slugs[:done] for r in mod.requires):
                for s in mod.sections[: 1 + i % len(mod.sections)]:
                    learning.mark_read(
                        user, version.id, s.id, now=min(when + timedelta(days=1), now)
                    )
    _demo_certifications(now)
    applicants = [
        (
            "Nora Lindqvist",
            "nora.lindqvist@example.org",
            "Via en vän",
            "Jag vill göra skillnad för kvinnor i Botkyrka.",
            [0, 2],
        ),
        (
            "Samira Haddad",
            "samira.haddad@example.org",
            "Instagram",
            "Jag har jobbat med unga och vill lära mig mer om våld i nära relationer.",
            [2, 4],
        ),
        (
            "Ingrid Sjöberg",
            "ingrid.sjoberg@example.org",
            "Träffpunkten för seniorer",
            "Som pensionär har jag tid, och jag vill nå äldre kvinnor.",
            [3],
        ),
    ]
    for n, (name, email, heard, why, interest) in enumerate(applicants):
        if db.session.scalar(sa.select(Applicant.id).where(Applicant.email == email)):
            continue
        db.session.add(
            Applicant(
                name=name,
                email=email,
                heard_from=heard,
                motivation=why,
                consent_at=now - timedelta(days=n + 1),
                created_at=now - timedelta(days=n + 1),
                interests=[groups[k] for k in interest if k < len(groups)],
            )
        )
    db.session.flush()
    return logins


# (email, name, days since she finished, decision, days since the decision, revoked days ago)
CERTIFICATION_DEMO = [
    ("certifierad01@example.org", "Zeynep Aydın", 320, "approved", 300, None),
    ("certifierad02@example.org", "Lena Nyström", 200, "approved", 190, None),
    ("certifierad03@example.org", "Mona Karlsson", 120, "approved", 110, None),
    ("certifierad04@example.org", "Ebba Lund", 90, "approved", 80, None),
    ("gar-ut@example.org", "Astrid Wallin", 710, "approved", 700, None),
    ("utgangen@example.org", "Helena Rask", 770, "approved", 760, None),
    ("aterkallad@example.org", "Irma Sandberg", 250, "approved", 240, 20),
    ("repetera@example.org", "Julia Stenberg", 12, "repeat", 5, None),
]


def _demo_certifications(now: datetime) -> None:
    """Volunteers in every certification state: certified, expiring, expired, revoked and
    asked to repeat (volunteers 07 and 14 are ready for sign-off)."""
    from trainer.certification import services as certification

    trainer = auth.get_user_by_email("utbildare@example.org")
    pledge = learning.catalog().pledge.version
    for email, name, finished, decision, decided, revoked in CERTIFICATION_DEMO:
        if auth.get_user_by_email(email):
            continue
        user = auth.create_user(
            email, name, display_name=name.split()[0], roles=["volunteer"], password=DEMO_PASSWORD
        )
        user.created_at = now - timedelta(days=finished + 40)
        done_at = now - timedelta(days=finished)
        for slug in learning.catalog().slugs:
            complete_module(user, slug, done_at)
        certification.accept_pledge(user, pledge, now=done_at)
        comment = (
            "Läs om avsnittet om skuld och skam och gör quizet igen."
            if decision == "repeat"
            else ""
        )
        certification.decide(
            trainer,
            user.id,
            decision,
            comment=comment,
            note="Introduktionsträff genomförd." if decision == "approved" else "",
            now=now - timedelta(days=decided),
        )
        if revoked is not None:
            cert = certification.own_certification(user)
            certification.revoke(
                trainer,
                cert.id,
                "Hon har avslutat sitt uppdrag hos jouren.",
                now=now - timedelta(days=revoked),
            )
    db.session.flush()


@click.command("demo", help="Load demo accounts and volunteers (idempotent).")
@click.option("--if-new", is_flag=True, help="Only when the database has no accounts yet.")
@with_appcontext
def demo(if_new: bool):
    if current_app.config["ENV"] == "production":
        raise click.ClickException("Demo data is not loaded in production.")
    if if_new and db.session.scalar(sa.select(sa.func.count(User.id))):
        click.echo("The database already has accounts; demo data not loaded again.")
    else:
        load_demo()
        db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, _name, _display, roles in DEMO_ACCOUNTS:
        click.echo(f"  {', '.join(roles):<16} {email}")
    click.echo("  + volontar01@example.org … volontar20@example.org (volunteers in varied states)")
    click.echo("  + certifierad01…04, gar-ut, utgangen, aterkallad, repetera @example.org")
