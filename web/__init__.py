"""The officials' web app: an app factory, blueprints per area, no business rules."""
from __future__ import annotations

from typing import Any

from flask import Flask, g, request, session
from flask_login import current_user

from engine import texts
from engine.db.database import Database, upgrade

from . import config, converters, errors, limits, presentation
from .extensions import babel, csrf, limiter, login_manager


def _locale() -> str:
    from flask import current_app

    chosen = session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    converters.register(app.url_map)  # before any blueprint adds a rule that uses them

    database = app.config.get("DATABASE") or Database(app.config["DATABASE_URL"])
    if app.config.get("MIGRATE", True):
        upgrade(database.engine)
    app.extensions["otklik_db"] = database

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    limits.register(app)  # before CSRF: its check is the first to read the form
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale, timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"])
    # Flask-Limiter keeps "enabled" on its shared object and inherits it from the previous app
    # unless the config says so; say so for every app.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)

    from . import auth, tasks

    app.register_blueprint(auth.bp)
    app.register_blueprint(tasks.bp)
    from . import api_v1  # the intake API for monitoring systems (issue 17)

    app.register_blueprint(api_v1.bp)
    for name in ("messages", "reports", "procedures", "templates_adoption", "deploy", "admin", "api_tokens", "incidents",
                 "notifications", "surges", "engine_rest", "engine_rest_external", "imports", "repeats",
                 "engine_rest_tasks"):
        module = __import__(f"web.{name}", fromlist=["bp"])
        app.register_blueprint(module.bp)
    errors.register(app)
    presentation.register(app)  # labels and formatters for every blueprint's templates

    # The engine's texts (deployment problems, refusals) in the reader's language, for this request.
    @app.before_request
    def engine_language() -> None:
        g.otklik_language = texts.set_language(_locale())

    @app.teardown_request
    def engine_language_done(error: BaseException | None) -> None:
        token = g.pop("otklik_language", None)
        if token is not None:
            texts.reset_language(token)

    @app.context_processor
    def globals_for_templates() -> dict[str, Any]:
        return {"current_user": current_user, "current_locale": _locale(), "request_path": request.path}

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        # Pages render user-supplied text; a strict policy keeps an escaping slip from running script.
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("STRICT_TRANSPORT_SECURITY"):
            response.headers.setdefault("Strict-Transport-Security", app.config["STRICT_TRANSPORT_SECURITY"])
        return response

    return app
