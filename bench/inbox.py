"""Inbox and registry latency with 100,000 open tasks and 1,000,000 closed messages (PostgreSQL).

    .venv/bin/python bench/inbox.py
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench .venv/bin/python bench/inbox.py

(the URL above is the default). The schema of ``--before`` (default 0002, the indexes before issue 6)
is created and bulk-loaded with INSERT … SELECT generate_series (bench/seed_bulk.py: five regions, 40
agencies each, one executor per agency, a curator and supervisor per region, a regulator for all;
the Orenburg lifecycle's task rows: five per closed case, the steps so far for open ones). Then:

1. every measured call runs ``--repeat`` times (after warm-up), each in its own session / request;
   p50 and p95 in milliseconds: engine functions (``taskview.inbox_rows``, ``registry.visible_messages``,
   ``registry.filter_options``) and the pages through the Flask test client (signed in);
2. the slowest statements of each call are EXPLAIN ANALYZEd into ``--explain`` (a text file);
3. the schema is upgraded to head (the migration's own time on this data is reported), and 1–2 repeat.

One JSON line per measurement: ``{"schema": ..., "who": ..., "what": ..., "rows": ..., "p50_ms", "p95_ms"}``.
``--reuse`` skips seeding when the database already holds the population at the ``--before`` revision.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import seed_bulk  # noqa: E402
from alembic import command  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from engine.db.database import Database, alembic_config, upgrade  # noqa: E402
from engine.views import registry, task_rest  # noqa: E402
from engine.views import task as taskview  # noqa: E402
from tests.factories import deploy_files  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench"
PASSWORD = "bench-password"
# (who, login): a region's curator (region-wide tasks), one agency's executor, the all-regions regulator.
RARE = "Житель 12345"
PERSONAS = (("curator", "orenburg_curator"), ("executor", "orenburg_exec07"), ("regulator", "regulator"))


# ---- timing ---------------------------------------------------------------------------------

class Statements:
    """SQL issued during a call, with the time each took (for EXPLAIN of the slow ones)."""

    def __init__(self, database: Database) -> None:
        self.items: list[tuple[float, str, Any]] = []
        self.on = False

        @event.listens_for(database.engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, many):  # type: ignore[no-untyped-def]
            conn.info["bench_t"] = time.perf_counter()

        @event.listens_for(database.engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, many):  # type: ignore[no-untyped-def]
            if self.on:
                self.items.append((time.perf_counter() - conn.info["bench_t"], statement, parameters))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(call: Callable[[], int], repeat: int, warm: int = 3) -> tuple[list[float], int]:
    rows = 0
    for _ in range(warm):
        rows = call()
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = call()
        spent.append((time.perf_counter() - started) * 1000)
    return spent, rows


# ---- what is measured -----------------------------------------------------------------------

def engine_calls(database: Database, who: str, login: str, inbox_limit: bool) -> dict[str, Callable[[], int]]:
    def in_session(function: Callable[[Any], int]) -> Callable[[], int]:
        def call() -> int:
            with database.session() as session:
                return function(session)
        return call

    calls: dict[str, Callable[[], int]] = {}
    if who != "regulator":
        calls["engine inbox_rows (all)"] = in_session(lambda s: len(taskview.inbox_rows(s, login)))
        if inbox_limit:
            calls["engine inbox_rows (first 50)"] = in_session(lambda s: len(taskview.inbox_rows(s, login, limit=50)))
    calls["engine registry page 1"] = in_session(lambda s: registry.visible_messages(s, login).total)
    if "count_limit" in registry.visible_messages.__code__.co_varnames:
        calls["engine registry page 1, count up to 10,000"] = in_session(
            lambda s: registry.visible_messages(s, login, count_limit=10_000).total)
    calls["engine registry page 100"] = in_session(
        lambda s: len(registry.visible_messages(s, login, registry.Filters(page=100)).rows))
    calls["engine registry overdue"] = in_session(
        lambda s: registry.visible_messages(s, login, registry.Filters(overdue=True)).total)
    calls["engine registry in progress"] = in_session(
        lambda s: registry.visible_messages(s, login, registry.Filters(status="in_progress")).total)
    if who != "executor":
        calls["engine registry agency"] = in_session(
            lambda s: registry.visible_messages(s, login, registry.Filters(agency="orenburg_ag07")).total)
    calls["engine registry text"] = in_session(
        lambda s: registry.visible_messages(s, login, registry.Filters(text="фонари")).total)
    # A phrase in 1 of 8 messages (the seeded texts repeat eight phrases), and a rare one: an author
    # named in 22 of 1.1 M.
    calls["engine registry text, rare"] = in_session(
        lambda s: registry.visible_messages(s, login, registry.Filters(text=RARE)).total)
    calls["engine filter_options"] = in_session(lambda s: len(registry.filter_options(s, login).agencies))
    return calls


def task_rest_calls(database: Database, app: Any, who: str, login: str) -> dict[str, Callable[[], int]]:
    """The task REST (engine.views.task_rest): its first page (200) and its count, in process and over
    HTTP with Basic — only at head, where its query's tables have every column it reads."""
    query = task_rest.parse_query({})

    def in_session(function: Callable[[Any], int]) -> Callable[[], int]:
        def call() -> int:
            with database.session() as session:
                return function(session)
        return call

    headers = {"Authorization": "Basic " + base64.b64encode(f"{login}:{PASSWORD}".encode()).decode()}

    def get(path: str) -> Callable[[], int]:
        def call() -> int:
            answer = app.test_client().get(path, headers=headers)
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path}: {answer.status_code}")
            return len(answer.get_data())
        return call

    if who == "regulator":
        return {}
    return {"engine task_rest.list_tasks (first 200)": in_session(lambda s: len(task_rest.list_tasks(s, login, query))),
            "engine task_rest.count_tasks": in_session(lambda s: task_rest.count_tasks(s, login, query)),
            "http GET /engine-rest/task": get("/engine-rest/task"),
            "http GET /engine-rest/task?sortBy=created&sortOrder=desc&maxResults=50":
                get("/engine-rest/task?sortBy=created&sortOrder=desc&maxResults=50"),
            "http GET /engine-rest/task/count": get("/engine-rest/task/count")}


def web_calls(app: Any, who: str, login: str) -> dict[str, Callable[[], int]]:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    token = page[page.index(marker) + len(marker):]
    token = token[:token.index('"')]
    response = client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {login}: {response.status_code}")

    def get(path: str) -> Callable[[], int]:
        def call() -> int:
            answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path}: {answer.status_code}")
            return len(answer.get_data())
        return call

    calls = {}
    if who != "regulator":
        calls["http GET /inbox"] = get("/inbox")
    calls["http GET /messages"] = get("/messages")
    calls["http GET /messages?overdue=1"] = get("/messages?overdue=1")
    calls["http GET /messages?q=фонари"] = get("/messages?q=" + quote("фонари"))
    calls[f"http GET /messages?q={RARE}"] = get("/messages?q=" + quote(RARE))
    return calls


def explain(database: Database, statements: list[tuple[float, str, Any]], out: Any, title: str) -> None:
    """EXPLAIN ANALYZE the two slowest statements of one call into the report file."""
    for seconds, statement, parameters in sorted(statements, key=lambda s: -s[0])[:2]:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        with database.engine.connect() as connection:
            cursor = connection.connection.dbapi_connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            connection.rollback()
        out.write(f"==== {title}: {seconds * 1000:.1f} ms\n{statement}\n-- parameters: {parameters}\n{plan}\n\n")


def run_all(database: Database, url: str, schema: str, args: argparse.Namespace, out: Any) -> None:
    from web import create_app

    app = create_app({"DATABASE_URL": url, "MIGRATE": False, "SECRET_KEY": "bench", "TESTING": True,
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
                      "LOGIN_RATE_LIMIT": "1000 per minute", "UPLOAD_DIR": "/nonexistent", "RATELIMIT_ENABLED": False})
    recorder = Statements(database)
    inbox_limit = "limit" in taskview.inbox_rows.__code__.co_varnames
    for who, login in PERSONAS:
        calls = engine_calls(database, who, login, inbox_limit)
        calls.update(web_calls(app, who, login))
        if schema == _head():
            calls.update(task_rest_calls(database, app, who, login))
        for what, call in calls.items():
            spent, rows = measure(call, args.repeat)
            print(json.dumps({"schema": schema, "who": who, "login": login, "what": what, "rows": rows,
                              "p50_ms": round(_percentile(spent, 0.5), 1), "p95_ms": round(_percentile(spent, 0.95), 1),
                              "max_ms": round(max(spent), 1)}), flush=True)
            if what.startswith("engine") and _percentile(spent, 0.95) > args.explain_over:
                recorder.items, recorder.on = [], True
                call()
                recorder.on = False
                explain(database, recorder.items, out, f"[{schema}] {who}: {what}")
    app.extensions["otklik_db"].engine.dispose()


# ---- set-up ---------------------------------------------------------------------------------

def revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        try:
            return connection.scalar(text("SELECT version_num FROM alembic_version"))
        except Exception:  # noqa: BLE001 - no schema yet
            return None


def seeded(database: Database, shape: seed_bulk.Population) -> bool:
    with database.engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM message")) == shape.closed + shape.open


def build(url: str, args: argparse.Namespace, shape: seed_bulk.Population) -> Database:
    seed_bulk.ensure_postgres_database(url)
    database = Database(url)
    wanted = _head() if args.before == "head" else args.before
    if args.reuse and revision(database) == wanted and seeded(database, shape):
        print(json.dumps({"phase": "seed", "reused": True}), flush=True)
        return database
    started = time.perf_counter()
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    with database.engine.begin() as connection:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, args.before)
    from werkzeug.security import generate_password_hash

    seed_bulk.seed_people(database, shape.agencies, generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    with database.session() as session:
        deploy_files(session, *[f"bpmn/{region}.bpmn" for region in seed_bulk.REGIONS])
    seed_bulk.seed_cases(database, shape, datetime.now(UTC))
    with database.engine.connect() as connection:
        counts = {table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
                  for table in ("message", "instance", "task", "violation")}
        counts["open_tasks"] = connection.scalar(text("SELECT count(*) FROM task WHERE status = 'open'"))
    print(json.dumps({"phase": "seed", "seconds": round(time.perf_counter() - started, 1), **counts}), flush=True)
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--closed", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--before", default="0002", help="schema revision measured first ('head' to skip the upgrade)")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database at --before")
    parser.add_argument("--explain", default="/tmp/otklik-bench-inbox-explain.txt")
    parser.add_argument("--explain-over", type=float, default=50.0, help="EXPLAIN calls whose p95 exceeds this (ms)")
    args = parser.parse_args()
    url = os.environ.get("OTKLIK_BENCH_DATABASE_URL", DEFAULT_URL)
    shape = seed_bulk.Population(closed=args.closed, open=args.open)
    database = build(url, args, shape)
    with open(args.explain, "w", encoding="utf-8") as out:
        run_all(database, url, revision(database) or "?", args, out)
        if args.before != "head" and revision(database) != _head():
            started = time.perf_counter()
            upgrade(database.engine)
            migrated = time.perf_counter() - started
            with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
            print(json.dumps({"phase": "upgrade", "to": revision(database), "seconds": round(migrated, 1)}), flush=True)
            run_all(database, url, revision(database) or "?", args, out)
    print(json.dumps({"phase": "end", "explain": args.explain}), flush=True)
    database.engine.dispose()


def _head() -> str:
    from alembic.script import ScriptDirectory

    from engine.db.database import MIGRATIONS

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


if __name__ == "__main__":
    main()
