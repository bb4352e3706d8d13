"""The `trainer` command: Flask's CLI with the app factory (run, db, users, courses, demo)."""

from flask.cli import FlaskGroup

from trainer import create_app


def main() -> None:
    from trainer.content.cli import courses

    cli = FlaskGroup(create_app=lambda: create_app(), help="trainer: jourens volontärutbildning.")
    # Added here too, so `trainer courses check` works even when the courses stop the app loading.
    cli.add_command(courses)
    cli.main(prog_name="trainer")
