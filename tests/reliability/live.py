"""A running Otklik for the crash test: gunicorn and ``otklik worker`` as real processes, and
a small HTTP client (the standard library only) that signs in and posts forms with CSRF tokens."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.factories import ROOT

VENV_BIN = ROOT / ".venv" / "bin"
PORTS = range(18300, 18400)  # this test's share of the machine's ports
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18300–18399")


def environment(database_url: str, instance_dir: Path) -> dict[str, str]:
    """What production reads (web/config.py), pointed at the test's database and directory."""
    env = dict(os.environ)
    env.update({
        "OTKLIK_DATABASE_URL": database_url,
        "OTKLIK_INSTANCE_DIR": str(instance_dir),
        "OTKLIK_SECRET_KEY": "reliability-crash-test",  # the same key after the restart: sessions survive
        "OTKLIK_INSECURE_COOKIES": "1",  # plain HTTP on 127.0.0.1
        "OTKLIK_LOGIN_RATE_LIMIT": "10000 per minute",
    })
    return env


@dataclass
class Processes:
    """The production pair: ``gunicorn -w 2 'web.wsgi:app'`` and ``otklik worker``."""

    env: dict[str, str]
    port: int
    logs: Path
    worker_interval: float = 0.3
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        commands = [
            [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}", "web.wsgi:app"],
            [str(VENV_BIN / "otklik"), "worker", "--interval", str(self.worker_interval)],
        ]
        for command in commands:
            log = open(self.logs / f"{Path(command[0]).name}-{self.starts}.log", "wb")
            # A session of its own: kill -9 of the group reaches gunicorn's master and its workers.
            self.running.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                                 start_new_session=True))
            log.close()
        self.wait_until_serving()

    def wait_until_serving(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.running:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[0]} exited with {process.returncode}; see {self.logs}")
            try:
                if Client(self.port).request("GET", "/login")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {timeout} s; see {self.logs}")

    def _signal_all(self, number: int) -> None:
        """``number`` to every process group started (one that already exited is skipped)."""
        for process in self.running:
            try:
                os.killpg(process.pid, number)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """kill -9 of every process of both groups, as a power cut would."""
        self._signal_all(signal.SIGKILL)
        for process in self.running:
            process.wait()
        self.running.clear()

    def stop(self) -> None:
        """SIGTERM and wait: gunicorn finishes its requests, the worker its current case."""
        self._signal_all(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.running.clear()


class Client:
    """One official's browser: a cookie jar and a CSRF token, one connection per request."""

    def __init__(self, port: int, timeout: float = 15.0) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
            body = None
            if form is not None:
                body = urlencode({**form, "csrf_token": self.token}, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            return response.status, text
        finally:
            connection.close()

    def sign_in(self, login: str, password: str) -> None:
        status, page = self.request("GET", "/login")
        self.token = _TOKEN.search(page).group(1)  # type: ignore[union-attr]
        status, page = self.request("POST", "/login", {"login": login, "password": password})
        assert status == 302, f"sign-in of {login} gave {status}"
        # Every signed-in page carries the session's token (the sign-out form).
        status, page = self.request("GET", "/inbox")
        self.token = _TOKEN.search(page).group(1)  # type: ignore[union-attr]
