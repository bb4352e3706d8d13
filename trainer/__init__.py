"""trainer: volunteer training and workgroups for a Swedish women's shelter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. `config` overrides settings (tests pass a dict)."""
    from trainer.config import check_production, load_config

    cfg = load_config(config)
    check_production(cfg)
    root = Path(__file__).resolve().parent.parent
    app = Flask(
        __name__,
        instance_path=cfg["INSTANCE_PATH"],
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    app.config.from_mapping(cfg)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if cfg["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = cfg["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _register_extensions(app)
    _load_courses(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _register_extensions(app: Flask) -> None:
    from trainer import db_setup, web
    from trainer.auth import policy
    from trainer.errors import register_error_handlers
    from trainer.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    db_setup.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    web.init_app(app)
    policy.init_app(app)
    register_error_handlers(app)
    # Import every model so metadata (and Alembic) sees all tables.
    from trainer import models  # noqa: F401


def _load_courses(app: Flask) -> None:
    from trainer.content.loader import CourseError, load_catalog

    try:
        catalog = load_catalog(Path(app.config["COURSES_PATH"]))
    except CourseError as e:
        raise SystemExit(
            "The course files have problems; the app will not start:\n" + str(e)
        ) from e
    app.extensions["trainer.catalog"] = catalog


def _register_blueprints(app: Flask) -> None:
    from trainer.activities.views import bp as activities_bp
    from trainer.admin.views import bp as admin_bp
    from trainer.applicants.views import bp as applicants_bp
    from trainer.auth.views import bp as auth_bp
    from trainer.board.views import bp as board_bp
    from trainer.certification.views import bp as certification_bp
    from trainer.learning.views import bp as learning_bp
    from trainer.places.views import bp as places_bp
    from trainer.privacy.views import bp as privacy_bp
    from trainer.public.views import bp as public_bp
    from trainer.quizzes.views import bp as quizzes_bp
    from trainer.trainers.views import bp as trainers_bp
    from trainer.workgroups.views import bp as workgroups_bp

    for bp in (
        public_bp,
        auth_bp,
        applicants_bp,
        admin_bp,
        learning_bp,
        quizzes_bp,
        certification_bp,
        trainers_bp,
        workgroups_bp,
        activities_bp,
        places_bp,
        board_bp,
        privacy_bp,
    ):
        app.register_blueprint(bp)


def _register_commands(app: Flask) -> None:
    from trainer.activities.cli import activities
    from trainer.auth.cli import users
    from trainer.content.cli import courses
    from trainer.demo import demo

    app.cli.add_command(users)
    app.cli.add_command(courses)
    app.cli.add_command(demo)
    app.cli.add_command(activities)
