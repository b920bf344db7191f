"""Intake throughput (issue 17 §2): messages per second through the intake API over HTTP, one
message per request and in batches, beside ``start_procedure`` called in process in the same run
(the engine's own cost: the ratio says what HTTP, JSON, authentication and the checks add).

The app is served by Werkzeug's threaded server on loopback; one httpx client posts as the Orenburg
curator (Basic auth); ``otklik worker`` runs beside it on the same database (``--no-worker``: not).
Figures only, no timing asserts. SQLite in a temporary directory by default; PostgreSQL with
OTKLIK_BENCH_DATABASE_URL (the database is emptied first):

    .venv/bin/python bench/intake.py [--messages 400] [--batch 100] [--no-worker]
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench .venv/bin/python bench/intake.py

Besides messages per second (wall clock: on a shared machine, the other processes' load is in
them, so compare the ratios of one run) it prints this process's CPU per message (client, server
and engine; the database server's own CPU not included) and the load average when it started.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import logging

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from engine.db.database import Database  # noqa: E402
from engine.runtime import cases as runtime  # noqa: E402
from tests.factories import seed_orenburg_app  # noqa: E402

PASSWORD = "bench-parol"


def message(n: int, run: str) -> dict[str, Any]:
    posted = datetime.now(UTC) - timedelta(hours=1)
    return {"region": "orenburg", "network": "vk", "url": f"https://vk.com/wall-1_{n}", "author": "Автор",
            "text": f"Сообщение {n}: яма на дороге", "posted_at": posted.isoformat(),
            "detected_at": (posted + timedelta(minutes=20)).isoformat(), "source": "bench", "source_id": f"{run}-{n}"}


def database_cpu(name: str | None) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving database ``name`` on this machine
    (their process titles name it); 0 for SQLite, whose work is this process's."""
    if not name:
        return 0.0
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {name} " in title:
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


class Timed:
    """Messages per second (wall clock), this process's CPU milliseconds per message and the
    database server's (PostgreSQL: its backends for the bench's database)."""

    database: str | None = None

    def __init__(self, count: int) -> None:
        self.count = count

    def __enter__(self) -> Timed:
        self.wall, self.cpu, self.db_cpu = time.perf_counter(), time.process_time(), database_cpu(self.database)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.per_s = round(self.count / (time.perf_counter() - self.wall), 1)
        self.cpu_ms = round(1000 * (time.process_time() - self.cpu) / self.count, 2)
        self.db_cpu_ms = round(1000 * (database_cpu(self.database) - self.db_cpu) / self.count, 2)


def single(client: httpx.Client, count: int, run: str) -> Timed:
    with Timed(count) as timed:
        for n in range(count):
            response = client.post("/api/v1/messages", json=message(n, run))
            assert response.status_code == 201, response.text
    return timed


def batched(client: httpx.Client, count: int, size: int, run: str) -> Timed:
    with Timed(count) as timed:
        for first in range(0, count, size):
            response = client.post("/api/v1/messages",
                                   json=[message(n, run) for n in range(first, min(count, first + size))])
            assert response.status_code == 207 and response.json()["refused"] == 0, response.text[:500]
    return timed


def in_process(database: Database, count: int) -> Timed:
    posted = datetime.now(UTC) - timedelta(hours=1)
    with Timed(count) as timed:
        for n in range(count):
            with database.session() as session:
                runtime.start_procedure(session, runtime.MessageInput(
                    "orenburg", "vk", f"https://vk.com/wall-2_{n}", "Автор", f"Сообщение {n}", posted,
                    posted + timedelta(minutes=20)), "curator")
    return timed


def worker(url: str, tmp: str) -> subprocess.Popen[bytes]:
    """``otklik worker`` on the bench's database, as ``make run`` starts it beside the web app."""
    env = {**os.environ, "OTKLIK_DATABASE_URL": url, "OTKLIK_INSTANCE_DIR": tmp, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--no-worker", action="store_true", help="without otklik worker beside the app")
    args = parser.parse_args()
    load = os.getloadavg()[0]

    from web import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("OTKLIK_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/intake.sqlite"
        if url.startswith("postgresql"):  # a bench database, emptied: the app migrates it afresh
            emptied = Database(url)
            with emptied.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            emptied.engine.dispose()
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "UPLOAD_DIR": f"{tmp}/uploads",
                          "LOGIN_RATE_LIMIT": "100000 per minute", "API_RATE_LIMIT": "100000 per minute"})
        database = app.extensions["otklik_db"]
        Timed.database = database.engine.url.database if url.startswith("postgresql") else None
        seed_orenburg_app(database, PASSWORD)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        timers = None if args.no_worker else worker(url, tmp)
        try:
            with httpx.Client(base_url=base, auth=("curator", PASSWORD), timeout=300) as client:
                one = single(client, args.messages, "single")
                many = batched(client, args.messages, args.batch, "batch")
            engine = in_process(database, args.messages)
        finally:
            server.shutdown()
            worker_alive = timers is not None and timers.poll() is None  # still running at the end
            if timers is not None:
                timers.terminate()
                timers.wait(timeout=30)
            database.engine.dispose()
    print(json.dumps({"backend": url.split(":")[0], "messages": args.messages, "batch": args.batch,
                      "worker": worker_alive, "load_average_at_start": round(load, 1),
                      "http_single_per_s": one.per_s, "http_batched_per_s": many.per_s,
                      "start_procedure_per_s": engine.per_s,
                      "single_to_in_process": round(one.per_s / engine.per_s, 2),
                      "batched_to_in_process": round(many.per_s / engine.per_s, 2),
                      "cpu_ms_per_message": {"http_single": one.cpu_ms, "http_batched": many.cpu_ms,
                                             "start_procedure": engine.cpu_ms},
                      "database_cpu_ms_per_message": {"http_single": one.db_cpu_ms, "http_batched": many.db_cpu_ms,
                                                      "start_procedure": engine.db_cpu_ms}}))


if __name__ == "__main__":
    main()
