import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from trainer.auth import services
from trainer.auth.models import ROLES, User
from trainer.errors import TrainerError
from trainer.extensions import db


@click.group(help="Manage accounts.")
def users():
    pass


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    default=["volunteer"],
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(email: str, name: str, roles: tuple[str, ...], password_stdin: bool):
    """Create an account with a password."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, name, roles=list(roles), password=password)
    except TrainerError as e:
        db.session.rollback()
        raise click.ClickException(str(e)) from e
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(user.role_names))})")


@users.command("list")
@with_appcontext
def list_users():
    """List accounts with their roles."""
    for u in db.session.scalars(sa.select(User).order_by(User.email)):
        state = "" if u.active else " [deactivated]"
        click.echo(
            f"{u.id:>5}  {u.email:<40} {','.join(sorted(u.role_names)):<30} {u.full_name}{state}"
        )
