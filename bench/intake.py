"""Intake throughput (issue 17 §2): messages per second through the intake API over HTTP, one
message per request and in batches, beside ``start_procedure`` called in process in the same run
(the engine's own cost: the ratio says what HTTP, JSON, authentication and the checks add).

The app is served by Werkzeug's threaded server on loopback; one httpx client posts as the Orenburg
curator (Basic auth). Figures only, no timing asserts. SQLite in a temporary directory by
default; PostgreSQL with OTKLIK_BENCH_DATABASE_URL (the database is emptied first):

    .venv/bin/python bench/intake.py [--messages 400] [--batch 100]
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench .venv/bin/python bench/intake.py
"""
from __future__ import annotations

import argparse
import json
import os
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


def single(client: httpx.Client, count: int, run: str) -> float:
    started = time.perf_counter()
    for n in range(count):
        response = client.post("/api/v1/messages", json=message(n, run))
        assert response.status_code == 201, response.text
    return count / (time.perf_counter() - started)


def batched(client: httpx.Client, count: int, size: int, run: str) -> float:
    started = time.perf_counter()
    for first in range(0, count, size):
        response = client.post("/api/v1/messages", json=[message(n, run) for n in range(first, min(count, first + size))])
        assert response.status_code == 207 and response.json()["refused"] == 0, response.text[:500]
    return count / (time.perf_counter() - started)


def in_process(database: Database, count: int) -> float:
    posted = datetime.now(UTC) - timedelta(hours=1)
    started = time.perf_counter()
    for n in range(count):
        with database.session() as session:
            runtime.start_procedure(session, runtime.MessageInput(
                "orenburg", "vk", f"https://vk.com/wall-2_{n}", "Автор", f"Сообщение {n}", posted,
                posted + timedelta(minutes=20)), "curator")
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

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
        seed_orenburg_app(database, PASSWORD)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with httpx.Client(base_url=base, auth=("curator", PASSWORD), timeout=300) as client:
                one = single(client, args.messages, "single")
                many = batched(client, args.messages, args.batch, "batch")
            engine = in_process(database, args.messages)
        finally:
            server.shutdown()
            database.engine.dispose()
    print(json.dumps({"backend": url.split(":")[0], "messages": args.messages, "batch": args.batch,
                      "http_single_per_s": round(one, 1), "http_batched_per_s": round(many, 1),
                      "start_procedure_per_s": round(engine, 1),
                      "single_to_in_process": round(one / engine, 2), "batched_to_in_process": round(many / engine, 2)}))


if __name__ == "__main__":
    main()
