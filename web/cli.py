"""The ``otklik`` console: the engine's commands plus the web server."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Protocol

import click

from engine.cli.main import main

# The worker beside the dev server is restarted after 1 s, then 2, 4 … 60 s while it keeps
# dying; a worker that ran this long before dying counts as healthy, so the delay starts over.
FIRST_RESTART, MAX_RESTART, HEALTHY_RUN = 1.0, 60.0, 60.0
_EXIT_GRACE = 0.5  # Ctrl-C reaches server and worker together: let the server's stop win first


class Process(Protocol):
    """What the supervisor needs of a child process (subprocess.Popen has it)."""

    pid: int

    def wait(self, timeout: float | None = None) -> int: ...
    def poll(self) -> int | None: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...


class WorkerSupervisor:
    """Keeps one worker process running until :meth:`stop`: restarts it with a growing delay
    whenever it exits, and says so on the console.

    ``pause(seconds)`` waits and returns True if a stop was asked meanwhile (tests replace it,
    and ``monotonic``, so nothing really sleeps)."""

    def __init__(self, start: Callable[[], Process], echo: Callable[[str], None] = click.echo,
                 pause: Callable[[float], bool] | None = None, monotonic: Callable[[], float] = time.monotonic,
                 grace: float = _EXIT_GRACE) -> None:
        self._start, self._echo, self._monotonic, self._grace = start, echo, monotonic, grace
        self._stopping = threading.Event()
        self._pause = pause or self._stopping.wait
        self._lock = threading.Lock()  # a stop never races a restart
        self.process: Process | None = None
        self.restarts = 0

    def launch(self) -> Process:
        """Start the first worker (in the caller's thread, so its pid can be printed)."""
        with self._lock:
            self.process = self._start()
            return self.process

    def watch(self) -> None:
        """Wait for the worker to exit and restart it, until stopped (a thread's target; call
        :meth:`launch` first)."""
        delay = 0.0
        while True:
            process, started = self.process, self._monotonic()
            code = process.wait() if process is not None else None
            if self._stopping.is_set() or (self._grace and self._pause(self._grace)):
                return
            healthy = self._monotonic() - started >= HEALTHY_RUN
            delay = FIRST_RESTART if healthy or not delay else min(delay * 2, MAX_RESTART)
            what = f"(pid {process.pid}) exited with code {code}" if process is not None else "could not be started"
            self._echo(f"Timer worker {what}; restarting in {delay:.0f} s.")
            if self._pause(delay):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self.restarts += 1
                try:
                    self.process = restarted = self._start()
                except OSError as error:
                    self.process = None
                    self._echo(f"Timer worker: {error}")
                    continue
            self._echo(f"Timer worker restarted: pid {restarted.pid}.")

    def stop(self, timeout: float) -> None:
        """No more restarts; terminate the current worker (it stops after its current step),
        kill it if it has not stopped within ``timeout`` seconds."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    reaches both; if the worker dies it is restarted (after 1 s, 2 s … up to a minute) and the
    console says so; on SIGTERM, or if the server stops for any other reason, the worker is
    stopped here and waited for, so no worker outlives the command.
    """
    from engine.demo.seed import logins_path as demo_logins_path
    from engine.notifications.mail import MailSettings

    from . import create_app

    os.environ.setdefault("OTKLIK_INSECURE_COOKIES", "1")  # plain HTTP on localhost
    app = create_app()  # migrates first, so the worker never meets an old schema
    # SystemExit unwinds through the server loop into `finally`, unlike Python's default SIGTERM death.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    supervisor = WorkerSupervisor(lambda: subprocess.Popen(
        [sys.executable, "-m", "web.cli", "worker", "--interval", str(interval)]))
    worker = supervisor.launch()
    threading.Thread(target=supervisor.watch, name="worker-supervisor", daemon=True).start()
    click.echo(f"Otklik: http://{host}:{port}/ — timer worker pid {worker.pid}. Ctrl-C stops both.")
    # The worker inherits this environment (subprocess.Popen), so OTKLIK_SMTP_* reach it too.
    mail = MailSettings.current()
    click.echo("Notifications: in-app only (e-mail is off: set OTKLIK_SMTP_HOST, see docs/admin-guide.md)."
               if mail is None else f"Notifications: in-app and e-mail via {mail.host}:{mail.port} ({mail.tls}).")
    if demo_logins_path().exists():
        click.echo(f"Demo logins and passwords: {demo_logins_path()}")
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        supervisor.stop(timeout=interval + 10)
        click.echo("Otklik stopped (web app and timer worker).")


__all__ = ["main"]

if __name__ == "__main__":  # `python -m web.cli worker`: how run-demo starts the worker
    main()
