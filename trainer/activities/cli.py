"""`trainer activities tick`: pass freed places on when waiting-list offers run out."""

import click
from flask.cli import with_appcontext

from trainer.activities import services
from trainer.extensions import db


@click.group("activities", help="Activities: waiting lists.")
def activities():
    pass


@activities.command("tick", help="Close offers that ran out and offer the places to the next.")
@with_appcontext
def tick():
    result = services.tick(after_each=db.session.commit)
    click.echo(
        f"{result.activities} activities checked, {result.expired} offers expired, "
        f"{result.offered} new offers sent."
    )
