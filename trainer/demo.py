"""`trainer demo`: demo accounts and volunteers in varied states, so a newcomer sees every feature."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

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
from trainer.timeutil import from_local, to_local, utcnow
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
    _demo_workgroups_and_activities(now)
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


# --- workgroups and activities ------------------------------------------------------------

# Demo volunteers (by number, volontarNN) certified for the workgroup demo. volontar14 is
# left ready but not certified, for the trainers' to-do list; volontar04 lives with
# protected identity and shows how she appears to others.
DEMO_CERTIFIED = (4, 5, 6, 7, 12, 13, 19, 20)


def _demo_certify(user: User, trainer: User, now: datetime) -> None:
    """Finish her remaining modules and the pledge, a day apart after her last step, and
    have a trainer approve her: the way a real volunteer gets certified."""
    from trainer.certification import services as certification
    from trainer.quizzes.models import QuizAttempt

    if certification.is_certified(user, now):
        return
    last = db.session.scalar(
        sa.select(sa.func.max(QuizAttempt.submitted_at)).where(QuizAttempt.user_id == user.id)
    )
    when = min((last or user.created_at) + timedelta(days=1), now - timedelta(days=2))
    where = certification.standing(user, when)
    for slug, cell in where.cells.items():
        if cell.state != "passed":
            complete_module(user, slug, when)
            when += timedelta(hours=20)
    certification.accept_pledge(user, learning.catalog().pledge.version, now=when)
    certification.decide(trainer, user.id, "approved", note="Introduktionsträff", now=when)


def _demo_workgroups_and_activities(now: datetime) -> None:
    """Groups with leads, members and a request; places; activities in every state, with
    sign-ups, a waiting list, attendance, evaluations and reflections. Only once."""
    from trainer.activities import rules
    from trainer.activities import services as acts
    from trainer.activities.models import Activity
    from trainer.places import services as places
    from trainer.places.models import District, Place
    from trainer.workgroups import services as groups

    if db.session.scalar(sa.select(Activity.id).limit(1)):
        return
    trainer = auth.get_user_by_email("utbildare@example.org")
    siri = auth.get_user_by_email("styrelse@example.org")
    alva = auth.get_user_by_email("admin@example.org")
    v = {n: auth.get_user_by_email(f"volontar{n:02d}@example.org") for n in range(1, 21)}
    for n in DEMO_CERTIFIED:
        _demo_certify(v[n], trainer, now)
    db.session.flush()

    g = {grp.slug: grp for grp in db.session.scalars(sa.select(Workgroup))}
    utat, rekr = g["utatriktad-verksamhet"], g["rekrytering-och-utbildning"]
    skola, tant, some = g["skolor-och-fritid"], g["tantjour"], g["sociala-medier"]
    placed = [
        (utat, siri, "lead"),
        (rekr, siri, "lead"),
        (utat, v[19], "member"),
        (utat, v[12], "member"),
        (skola, v[5], "lead"),
        (skola, v[6], "member"),
        (skola, v[4], "member"),
        (tant, v[7], "lead"),
        (tant, v[12], "member"),
        (some, v[13], "lead"),
        (some, v[20], "member"),
    ]
    for grp, person, role in placed:
        groups.place_member(alva, grp.id, person.id, role, now=now - timedelta(days=38))
    groups.request_to_join(v[20], tant.id, now=now - timedelta(days=1))

    district = {d.name: d for d in db.session.scalars(sa.select(District))}
    for name, dname, kind in [
        ("Storvretskolan", "Tumba", "hogstadieskola"),
        ("Tullinge gymnasium", "Tullinge", "gymnasium"),
        ("Fittjaskolan", "Fittja", "hogstadieskola"),
        ("Fritidsgården i Hallunda", "Hallunda-Norsborg", "fritidsgard"),
        ("Seniorträffen i Tullinge", "Tullinge", "motesplats-aldre"),
        ("Träffpunkten i Alby", "Alby", "motesplats-aldre"),
        ("Tumba bibliotek", "Tumba", "annat"),
        ("Kvinnoföreningen i Fittja", "Fittja", "forening"),
    ]:
        places.add_place(alva, name, district[dname].id, kind)
    place = {p.name: p for p in db.session.scalars(sa.select(Place))}

    def plan(
        by,
        grp,
        title,
        kind,
        days,
        hours,
        *,
        at=None,
        where=None,
        low=2,
        high=4,
        audience=rules.CERTIFIED,
        in_person=True,
        description="",
        planned=12,
    ):
        """Draft an activity `planned` days before it starts, and at least four days ago
        (so it can be submitted, approved and signed up for before now). It starts `days`
        from now at `hours` o'clock, Swedish time."""
        day = to_local(now + timedelta(days=days)).date()
        start = from_local(datetime.combine(day, time(hours)))
        drafted = min(start - timedelta(days=planned), now - timedelta(days=4))
        p = place[at] if at else None
        return acts.create_activity(
            by,
            grp.id,
            acts.ActivityInput(
                title=title,
                description=description,
                kind=kind,
                in_person=in_person,
                district_id=(p.district_id if p else district[where].id if where else None),
                place_id=p.id if p else None,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                min_volunteers=low,
                max_volunteers=high,
                audience=audience,
            ),
            now=drafted,
        ), drafted

    def approved(by, *args, **kw):
        a, t = plan(by, *args, **kw)
        acts.take_action(by, a.id, "submit", now=t + timedelta(hours=1))
        acts.take_action(
            siri if by != siri else alva,
            a.id,
            "approve",
            "Godkänd på styrelsemötet.",
            now=t + timedelta(days=2),
        )
        return a, t + timedelta(days=3)

    # Draft.
    plan(
        v[13],
        some,
        "Instagram-serie om varningssignaler",
        "sociala-medier",
        20,
        10,
        low=1,
        high=2,
        in_person=False,
        audience=rules.MEMBERS,
        description="Fem korta inlägg, ett om dagen, med en varningssignal i varje.",
    )
    # Submitted, waiting in the board's queue.
    a, t = plan(
        v[19],
        utat,
        "Informationsbord på Tumba bibliotek",
        "informationsbord",
        12,
        13,
        at="Tumba bibliotek",
        description="Broschyrer och samtal vid entrén.",
    )
    acts.take_action(v[19], a.id, "submit", now=t + timedelta(hours=2))
    # Changes requested.
    a, t = plan(
        v[12],
        utat,
        "Föreläsning för föräldrar i Fittja",
        "forelasning",
        16,
        18,
        at="Kvinnoföreningen i Fittja",
        description="Om våld i nära relationer.",
    )
    acts.take_action(v[12], a.id, "submit", now=t + timedelta(hours=2))
    acts.take_action(
        siri,
        a.id,
        "request_changes",
        "Bra idé! Skriv vem som föreläser och om ni behöver tolk.",
        now=t + timedelta(days=1),
    )
    # Rejected.
    a, t = plan(
        v[19],
        utat,
        "Insamling på torget i Tumba",
        "annat",
        9,
        11,
        where="Tumba",
        description="Bössor och lotter.",
    )
    acts.take_action(v[19], a.id, "submit", now=t + timedelta(hours=2))
    acts.take_action(
        siri,
        a.id,
        "reject",
        "Jouren samlar inte in pengar på gatan. Prata med styrelsen om andra sätt.",
        now=t + timedelta(days=1),
    )
    # Approved, upcoming, with places left (only for the group's members).
    a, t = approved(
        v[5],
        skola,
        "Skolbesök på Storvretskolan, årskurs 8",
        "skolbesok",
        9,
        9,
        at="Storvretskolan",
        high=3,
        audience=rules.MEMBERS,
        description="Sunda och osunda relationer, med övningar i små grupper.",
    )
    acts.sign_up(v[5], a.id, now=t)
    acts.sign_up(v[4], a.id, now=t + timedelta(hours=3))
    # Approved and full, with a waiting list.
    a, t = approved(
        v[7],
        tant,
        "Tantjour-träff på Träffpunkten i Alby",
        "tantjour",
        6,
        14,
        at="Träffpunkten i Alby",
        high=2,
        description="Fika och samtal om trygghet för äldre kvinnor.",
    )
    acts.sign_up(v[7], a.id, now=t)
    acts.sign_up(v[12], a.id, now=t + timedelta(hours=1))
    acts.join_waitlist(v[19], a.id, now=t + timedelta(hours=2))
    acts.join_waitlist(v[6], a.id, now=t + timedelta(hours=3))
    # Approved, in three days, below its minimum.
    a, t = approved(
        siri,
        utat,
        "Armbandsverkstad på Fritidsgården i Hallunda",
        "armbandsverkstad",
        3,
        15,
        at="Fritidsgården i Hallunda",
        low=3,
        high=6,
        description="Vi gör Fri från våld-armband och pratar om jouren.",
    )
    acts.sign_up(v[19], a.id, now=t)
    # Approved and over, attendance not marked yet.
    a, t = approved(
        siri,
        utat,
        "Informationsbord i Fittja centrum",
        "informationsbord",
        -2,
        11,
        where="Fittja",
        high=3,
    )
    acts.sign_up(v[19], a.id, now=t)
    acts.sign_up(v[12], a.id, now=t + timedelta(hours=1))
    # Carried out, evaluation not written yet.
    a, t = approved(
        siri,
        utat,
        "Möte med områdesstrateg i Alby",
        "omradesstrateg",
        -5,
        10,
        where="Alby",
        low=1,
        high=2,
        in_person=False,
        description="Kontakter med föreningar i Alby inför våren.",
    )
    s = acts.sign_up(v[12], a.id, now=t).signup
    acts.record_attendance(siri, a.id, {s.id}, now=a.ends_at)
    # Evaluated, with reflections.
    for title, grp, lead, kind, at, days, crew, reached, target in [
        (
            "Tantjour-träff på Seniorträffen i Tullinge",
            tant,
            v[7],
            "tantjour",
            "Seniorträffen i Tullinge",
            -20,
            [v[7], v[12]],
            18,
            "Kvinnor över 65",
        ),
        (
            "Skolbesök på Tullinge gymnasium",
            skola,
            v[5],
            "skolbesok",
            "Tullinge gymnasium",
            -12,
            [v[5], v[6], v[4]],
            60,
            "Elever i årskurs 1",
        ),
    ]:
        a, t = approved(lead, grp, title, kind, days, 10, at=at, high=4)
        ids = {
            acts.sign_up(p, a.id, now=t + timedelta(hours=i)).signup.id for i, p in enumerate(crew)
        }
        acts.record_attendance(lead, a.id, ids, now=a.ends_at)
        acts.save_evaluation(
            lead,
            a.id,
            acts.EvaluationInput(
                reached,
                target,
                "Många ville prata efteråt.",
                "Ta med broschyrer på fler språk.",
                "",
            ),
            now=a.ends_at + timedelta(hours=2),
        )
        acts.save_reflection(
            crew[1],
            a.id,
            "Det kändes viktigt. Jag blev tryggare i att berätta om jouren.",
            now=a.ends_at + timedelta(hours=5),
        )
    # Cancelled after sign-ups.
    a, t = approved(
        v[7], tant, "Tantjour på Tumba bibliotek", "tantjour", 4, 13, at="Tumba bibliotek", high=3
    )
    acts.sign_up(v[12], a.id, now=t)
    acts.take_action(
        v[7], a.id, "cancel", "Biblioteket är stängt den dagen.", now=t + timedelta(hours=12)
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
