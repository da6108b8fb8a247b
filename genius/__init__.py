"""GenIUS: an open-innovation portal for councils and other public bodies."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from genius import config as config_module

ROOT = config_module.ROOT


def create_app(config: dict | None = None) -> Flask:
    """The application factory. `config` overrides settings read from the environment."""
    app = Flask(
        __name__,
        instance_path=str((config or {}).get("INSTANCE_PATH") or ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config_module.load(Path(app.instance_path), config))
    if app.debug and app.config["GENIUS_ENV"] != "development":
        raise config_module.ConfigError("Debug mode is only allowed with GENIUS_ENV=development.")

    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy: take the visitor's address and scheme from the
        # proxy's X-Forwarded-* headers, trusting only as many hops as configured.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _configure_templates(app)
    _init_extensions(app)
    _register_blueprints(app)

    from genius.cli import register_commands

    register_commands(app)
    return app


def _configure_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)
    from genius.core import templating

    templating.init_app(app)


def _init_extensions(app: Flask) -> None:
    import genius.models  # noqa: F401 - registers every table
    from genius.core import database, errors, pagecache, security, sessions
    from genius.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    sessions.init_app(app)
    security.init_app(app)
    pagecache.init_app(app)
    errors.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from genius.accounts.views import bp as accounts_bp
    from genius.admin.views import bp as admin_bp
    from genius.challenges.views import bp as challenges_bp
    from genius.comments.views import bp as comments_bp
    from genius.groups.views import bp as groups_bp
    from genius.ideas.views import bp as ideas_bp
    from genius.moderation.views import bp as moderation_bp
    from genius.network.views import bp as network_bp
    from genius.notifications.views import bp as notifications_bp
    from genius.pages.views import bp as pages_bp
    from genius.people.views import bp as people_bp
    from genius.search.views import bp as search_bp
    from genius.supports.views import bp as supports_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(challenges_bp)
    app.register_blueprint(ideas_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(supports_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(network_bp)
    if app.config["GENIUS_BENCH"]:
        from genius import bench

        bench.init_app(app)
