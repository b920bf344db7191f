"""The ``otklik`` console: the engine's commands plus the web server."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

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


@main.command(name="run-demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--interval", default=5.0, show_default=True, help="Seconds between the worker's polls.")
def run_demo(host: str, port: int, interval: float) -> None:
    """Serve the web app with the timer worker beside it (what `make run` ends with); Ctrl-C stops both.

    The worker is its own process (`otklik worker`), as in production: Ctrl-C in the terminal
    reaches both; on SIGTERM, or if the server stops for any other reason, the worker is
    stopped here and waited for, so no worker outlives the command.
    """
    from engine.demo import logins_path as demo_logins_path

    from . import create_app

    os.environ.setdefault("OTKLIK_INSECURE_COOKIES", "1")  # plain HTTP on localhost
    app = create_app()  # migrates first, so the worker never meets an old schema
    # SystemExit unwinds through the server loop into `finally`, unlike Python's default SIGTERM death.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = subprocess.Popen([sys.executable, "-m", "web.cli", "worker", "--interval", str(interval)])
    click.echo(f"Otklik: http://{host}:{port}/ — timer worker pid {worker.pid}. Ctrl-C stops both.")
    if demo_logins_path().exists():
        click.echo(f"Demo logins and passwords: {demo_logins_path()}")
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        if worker.poll() is None:
            worker.terminate()  # the worker stops after its current step
        try:
            worker.wait(timeout=interval + 10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        click.echo("Otklik stopped (web app and timer worker).")


__all__ = ["main"]

if __name__ == "__main__":  # `python -m web.cli worker`: how run-demo starts the worker
    main()
