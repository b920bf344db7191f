"""The ``otklik`` console: the engine's commands plus the web server."""
from __future__ import annotations

import os

import click

from engine.cli import main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Run the web app with Flask's development server (production: gunicorn 'web.wsgi:app')."""
    from . import create_app

    os.environ.setdefault("OTKLIK_INSECURE_COOKIES", "1")  # plain HTTP on localhost
    create_app().run(host=host, port=port, debug=False, use_reloader=False)


__all__ = ["main"]
