import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.content.loader import CourseError, load_catalog
from trainer.content.stats import module_stats


@click.group(help="Check and inspect the course files.")
def courses():
    pass


@courses.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def check(path: Path | None):
    """Validate the course files and list every problem as file:line: message."""
    root = path or Path.cwd() / "courses"
    try:
        catalog = load_catalog(root)
    except CourseError as e:
        for p in e.problems:
            click.echo(str(p), err=True)
        click.echo(f"{len(e.problems)} problem(s) found.", err=True)
        sys.exit(1)
    questions = sum(len(m.questions) for m in catalog.modules)
    click.echo(f"OK: {len(catalog.modules)} modules, {questions} questions.")


@courses.command("list")
@with_appcontext
def list_modules():
    """Modules, their stored versions and question counts."""
    import sqlalchemy as sa

    from trainer.extensions import db
    from trainer.learning.models import ModuleVersion
    from trainer.learning.services import sync_versions

    catalog = current_app.extensions["trainer.catalog"]
    current = sync_versions(catalog)
    counts = dict(
        db.session.execute(
            sa.select(ModuleVersion.slug, sa.func.count()).group_by(ModuleVersion.slug)
        ).all()
    )
    versions = dict(db.session.execute(sa.select(ModuleVersion.id, ModuleVersion.version)).all())
    for m in catalog.modules:
        click.echo(
            f"{m.order:>2}. {m.slug:<28} version {versions[current[m.slug]]} "
            f"({counts.get(m.slug, 0)} stored)  {len(m.questions)} questions  {m.title}"
        )


@courses.command("stats")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def stats(path: Path | None):
    """Words, sections, questions by type, options without feedback and LIX per module."""
    try:
        catalog = load_catalog(path or Path.cwd() / "courses")
    except CourseError as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"{'module':<26} {'words':>6} {'sect':>5} {'single':>6} {'multi':>6} {'t/f':>4} {'refl':>5} {'nofb':>5} {'LIX':>5}"
    )
    for m in catalog.modules:
        s = module_stats(m)
        q = s.questions
        click.echo(
            f"{s.slug:<26} {s.words:>6} {s.sections:>5} {q['single']:>6} {q['multiple']:>6} "
            f"{q['truefalse']:>4} {q['reflection']:>5} {s.options_without_feedback:>5} {s.lix:>5}"
        )
