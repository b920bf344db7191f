"""(c) of bench/lifecycle.py: Orenburg lifecycles through HTTP against the production server.

gunicorn with 2 sync workers serves ``web.wsgi:app`` on PostgreSQL; concurrent clients (threads,
urllib with a cookie jar each, CSRF tokens scraped from the forms) act as officials would in a
browser, minus static files:

* the curator opens the registration form and registers the message (``POST /messages/new``);
* for each of the five steps, the official whose turn it is opens the inbox, finds the message's
  task, opens the task page and submits its form (``POST /tasks/<id>``).

That is 2 + 5 × 3 = 17 requests per lifecycle; redirects are not followed (the next step opens
the inbox anyway). ``--flow lean`` leaves out the pages a client can do without (the
registration form and the task page; the CSRF token of any page serves): 1 + 5 × 2 = 11. Each
client thread has its own curator and executor, so completions run concurrently on different
cases. After the run, the same clients fetch the sign-in page without a session
(``floor_requests_per_s``): the cost of the web stack alone, no database; divided by the requests
of a lifecycle it is the ceiling no engine change can lift (``floor_lifecycles_per_s``).
Run through bench/lifecycle.py; alone:

    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench \
        .venv/bin/python bench/lifecycle_http.py [--lifecycles 600] [--clients 8] [--port 18100] [--flow lean]
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-parol"
TZ = ZoneInfo("Asia/Yekaterinburg")
# Form fields as a browser sends them: a ticked checkbox is "on", numbers are text.
STEPS: list[tuple[str, str, dict[str, str]]] = [
    ("route_message", "curator", {"category": "ordinary", "topic": "roads_transport",
                                  "location": "Оренбург, ул. Советская", "importance": "normal",
                                  "answer_hours": "9", "agency": "orb_roads"}),
    ("accept_message", "executor", {"competent": "on"}),
    ("draft_answer", "executor", {"answer_kind": "answer", "answer_text": "Ремонт ямы запланирован на 12 ноября."}),
    ("approve_answer", "curator", {"decision": "approve"}),
    ("publish_answer", "executor", {"published": "on", "answer_url": "https://vk.com/wall-1_1?reply=2"}),
]
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_ROW = re.compile(r'<tr class="task-row[^"]*" data-task-id="([^"]+)">(.*?)</tr>', re.S)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # the 303/302 comes back as an HTTPError we read the Location of


class Official:
    """One signed-in browser: a cookie jar and the CSRF token of its session."""

    def __init__(self, base: str, login: str, timings: list[float]) -> None:
        self.base, self.login, self.timings = base, login, timings
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())
        self.csrf = ""

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, body, Location) of one request; redirects are answers, not followed."""
        data = urllib.parse.urlencode({**form, "csrf_token": self.csrf}).encode() if form is not None else None
        t0 = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                status, body, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        self.timings.append(time.perf_counter() - t0)
        return status, body, location

    def page(self, path: str) -> str:
        status, body, _ = self.request(path)
        if status != 200:
            raise RuntimeError(f"{self.login}: GET {path} → {status}")
        found = _CSRF.search(body)
        if found:
            self.csrf = html.unescape(found.group(1))
        return body

    def sign_in(self) -> None:
        self.page("/login")
        status, _, _ = self.request("/login", {"login": self.login, "password": PASSWORD})
        if status not in (302, 303):
            raise RuntimeError(f"{self.login}: sign-in answered {status}")


def _find_task(official: Official, marker: str, element_name: str) -> str:
    for _attempt in range(50):
        for task_id, row in _ROW.findall(official.page("/inbox")):
            if marker in row and element_name in row:
                return task_id
        time.sleep(0.01)  # cannot happen on the happy path: the projection commits with the step
    raise RuntimeError(f"{official.login}: no '{element_name}' task for {marker} in the inbox")


def lifecycle(curator: Official, executor: Official, marker: str, names: dict[str, str], lean: bool = False) -> None:
    now = datetime.now(TZ)
    if not lean:
        curator.page("/messages/new")
    status, body, location = curator.request("/messages/new", {
        "region": "orenburg", "network": "vk", "url": "https://vk.com/wall-1_1", "author": "Иван Петров",
        "text": f"{marker} Яма на дороге у школы №5", "repeat_of": "",
        "posted_at": (now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "detected_at": (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")})
    if status not in (302, 303) or "/messages/" not in location:
        raise RuntimeError(f"registration answered {status}: {body[:300]}")
    for element, role, form in STEPS:
        official = curator if role == "curator" else executor
        task_id = _find_task(official, marker, names[element])
        if not lean:
            official.page(f"/tasks/{task_id}")
        status, body, location = official.request(f"/tasks/{task_id}", form)
        if status != 303:
            raise RuntimeError(f"{official.login}: {element} answered {status}: {body[:300]}")


# --------------------------------------------------------------------------- server and data

def seed(url: str, clients: int) -> dict[str, str]:
    """Officials (a curator and an executor per client) and the procedure; element → task name."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from engine.db.database import Database, upgrade
    from engine.models import Deployment, Organisation, User
    from tests.factories import deploy_files, official, orenburg_people

    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        orenburg_people(session)
        ministry = session.scalar(select(Organisation).where(Organisation.key == "orb_minpolicy"))
        roads = session.scalar(select(Organisation).where(Organisation.key == "orb_roads"))
        for number in range(clients):
            official(session, f"bench_curator_{number}", ministry, "curator")
            official(session, f"bench_exec_{number}", roads, "executor")
        cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # sign-in is not measured
        for user in session.scalars(select(User)):
            user.password_hash = cheap
        deploy_files(session, "bpmn/orenburg.bpmn")
        xml = session.scalar(select(Deployment.bpmn_xml))
    database.engine.dispose()
    names = {}
    for element, _role, _form in STEPS:
        found = re.search(rf'id="{element}" name="([^"]+)"', xml or "")
        names[element] = html.escape(html.unescape(found.group(1)), quote=False) if found else element
    return names


def start_server(url: str, port: int, workdir: str, workers: int = 2) -> subprocess.Popen:
    env = {**os.environ, "OTKLIK_DATABASE_URL": url, "OTKLIK_SECRET_KEY": "lifecycle-bench-secret",
           "OTKLIK_INSECURE_COOKIES": "1", "OTKLIK_LOGIN_RATE_LIMIT": "100000 per minute",
           "OTKLIK_INSTANCE_DIR": workdir, "OTKLIK_UPLOAD_DIR": os.path.join(workdir, "uploads")}
    log = open(os.path.join(workdir, "gunicorn.log"), "w")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "web.wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {workdir}/gunicorn.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) the gunicorn workers have used so far."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def stack_floor(base: str, clients: int, requests: int = 200) -> float:
    """Requests/s of the sign-in page by ``clients`` threads without a session: Flask, CSRF, Babel,
    Jinja and gunicorn with no database query — what no change to the engine can beat. Divided
    by the requests of a lifecycle it bounds the lifecycles/s this server can reach."""
    def client() -> None:
        opener = urllib.request.build_opener()
        for _ in range(requests):
            with opener.open(base + "/login", timeout=60) as response:
                response.read()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(clients * requests / (time.perf_counter() - t0), 1)


def completed_count(url: str) -> int:
    from sqlalchemy import func, select

    from engine.db.database import Database
    from engine.models import Instance

    database = Database(url)
    with database.session() as session:
        count = session.scalar(select(func.count()).select_from(Instance).where(Instance.status == "completed"))
    database.engine.dispose()
    return int(count or 0)


def http_run(url: str, lifecycles: int, clients: int, port: int, lean: bool = False,
             workers: int = 2) -> tuple[float, dict[str, Any]]:
    """Seconds for ``lifecycles`` lifecycles by ``clients`` threads, and request statistics."""
    names = seed(url, clients)
    with tempfile.TemporaryDirectory(prefix="otklik-lifecycle-http-") as workdir:
        server = start_server(url, port, workdir, workers)
        try:
            base = f"http://127.0.0.1:{port}"
            timings: list[list[float]] = [[] for _ in range(clients)]
            pairs = []
            for number in range(clients):
                pair = (Official(base, f"bench_curator_{number}", timings[number]),
                        Official(base, f"bench_exec_{number}", timings[number]))
                for one in pair:
                    one.sign_in()
                lifecycle(*pair, f"[warm-{number}]", names)  # each worker's caches, each client's session
                pairs.append(pair)
            for series in timings:
                series.clear()
            counter = iter(range(lifecycles))
            lock = threading.Lock()
            errors: list[str] = []

            def client(number: int) -> None:
                while True:
                    with lock:
                        item = next(counter, None)
                    if item is None or errors:
                        return
                    try:
                        lifecycle(*pairs[number], f"[bench-{item}]", names, lean)
                    except Exception as error:  # noqa: BLE001 - reported, and the run fails
                        errors.append(f"{type(error).__name__}: {error}")
                        return

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            cpu0 = workers_cpu_seconds(server)
            t0 = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - t0
            server_cpu = workers_cpu_seconds(server) - cpu0
            floor = stack_floor(base, clients)
        finally:
            stop_server(server)
    if errors:
        raise SystemExit(f"HTTP lifecycle failed: {errors[0]}")
    done = completed_count(url) - clients  # the warm-up cases completed too
    if done != lifecycles:
        raise SystemExit(f"{done} lifecycles completed, expected {lifecycles}")
    flat = sorted(t for series in timings for t in series)
    per_lifecycle = len(flat) / lifecycles
    return seconds, {"flow": "lean" if lean else "pages", "workers": workers,
                     "floor_requests_per_s": floor,
                     "floor_lifecycles_per_s": round(floor / per_lifecycle, 1),
                     "server_cpu_ms_per_lifecycle": round(server_cpu / lifecycles * 1000, 1),
                     "requests": len(flat), "requests_per_s": round(len(flat) / seconds, 1),
                     "request_ms_p50": round(statistics.median(flat) * 1000, 1),
                     "request_ms_p95": round(flat[int(len(flat) * 0.95)] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lifecycles", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=18100)
    parser.add_argument("--flow", choices=("pages", "lean"), default="pages")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (production: 2)")
    args = parser.parse_args()
    url = os.environ.get("OTKLIK_BENCH_DATABASE_URL")
    if not url:
        raise SystemExit("set OTKLIK_BENCH_DATABASE_URL (PostgreSQL)")
    from bench.lifecycle import fresh_postgresql

    seconds, extra = http_run(fresh_postgresql(url), args.lifecycles, args.clients, args.port, args.flow == "lean",
                              args.workers)
    print(json.dumps({"mode": "http-postgresql", "lifecycles": args.lifecycles, "seconds": round(seconds, 3),
                      "lifecycles_per_s": round(args.lifecycles / seconds, 2), "clients": args.clients, **extra}))


if __name__ == "__main__":
    main()
