"""Whole Orenburg lifecycles per second: SpiffWorkflow alone, the engine with a database, HTTP.

One lifecycle is what a message goes through on the happy path of decree 156-ук: registered →
routed by the curator → accepted by the executor → answer drafted → approved by the curator →
published. It runs N times, three ways, in one run:

(a) ``memory``: SpiffWorkflow alone on the same diagram with our restricted script engine — the
    spec parsed once; per lifecycle a new workflow, the same user tasks completed with the same
    data, engine steps run. No database, no forms, no audit: the limit.
(b) ``engine-sqlite`` / ``engine-postgresql``: ``runtime.start_procedure`` and five
    ``runtime.complete_task`` calls, each in its own transaction (a SQLite file in WAL mode; and
    PostgreSQL when OTKLIK_BENCH_DATABASE_URL is set).
(c) ``http-postgresql``: the production server (gunicorn, 2 workers) on PostgreSQL, driven by
    concurrent clients through the pages officials use (see bench/lifecycle_http.py). Only when
    OTKLIK_BENCH_DATABASE_URL is set.

One JSON object per result, then the ratios b/a and c/a (lifecycles/s over lifecycles/s).

    .venv/bin/python bench/lifecycle.py
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench \
        .venv/bin/python bench/lifecycle.py [-n 300] [--http-lifecycles 1000] [--clients 8]

PostgreSQL runs happen in a schema of their own (``lifecycle_bench``, dropped and created
again), so other benchmarks sharing the database are left alone.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from engine import clock
from engine.db.database import Database, upgrade  # noqa: E402
from engine.models import Instance, Task  # noqa: E402
from engine.runtime import cases as runtime  # noqa: E402

# The same data the Orenburg scenario tests submit (tests/scenario/test_orenburg.py).
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}
DRAFT = {"answer_kind": "answer", "answer_text": "Ремонт ямы запланирован на 12 ноября."}
PUBLISH = {"published": True, "answer_url": "https://vk.com/wall-1_1?reply=2"}
STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("route_message", "curator", ROUTE),
    ("accept_message", "executor", {"competent": True}),
    ("draft_answer", "executor", DRAFT),
    ("approve_answer", "curator", {"decision": "approve"}),
    ("publish_answer", "executor", PUBLISH),
]
# Monday 10:00 in Orenburg (UTC+5); the clock stands at 10:10, so no deadline falls due.
DETECTED = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)
POSTED = datetime(2025, 11, 10, 4, 40, tzinfo=UTC)
NOW = datetime(2025, 11, 10, 5, 10, tzinfo=UTC)
PG_SCHEMA = "lifecycle_bench"


class Timed:
    """Wall-clock and this process's CPU seconds of a block. On a shared machine the CPU time
    is the steadier figure: it does not grow while other processes hold the cores."""

    def __enter__(self) -> Timed:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def result(mode: str, lifecycles: int, timed: Timed | float, **extra: Any) -> dict[str, Any]:
    seconds = timed.wall if isinstance(timed, Timed) else timed
    row = {"mode": mode, "lifecycles": lifecycles, "seconds": round(seconds, 3),
           "lifecycles_per_s": round(lifecycles / seconds, 2)}
    if isinstance(timed, Timed):
        row["cpu_seconds"] = round(timed.cpu, 3)
        row["lifecycles_per_cpu_s"] = round(lifecycles / timed.cpu, 2)
    row.update(extra)
    print(json.dumps(row), flush=True)
    return row


# --------------------------------------------------------------------------- (a) SpiffWorkflow alone

def memory(lifecycles: int) -> Timed:
    """``lifecycles`` lifecycles in SpiffWorkflow alone: the spec parsed once, a workflow each."""
    from engine.spiff.parser import parse_process
    from engine.spiff.script_engine import script_engine_for_region

    spec, subprocess_specs = parse_process((ROOT / "bpmn" / "orenburg.bpmn").read_bytes(), "orenburg")
    script_engine = script_engine_for_region("orenburg")
    with Timed() as timed:
        for number in range(lifecycles):
            memory_lifecycle(spec, subprocess_specs, script_engine, number)
    return timed


def memory_lifecycle(spec: Any, subprocess_specs: Any, script_engine: Any, number: int) -> None:
    """The start data runtime.start_procedure gives (declared variables, the message), then the
    five user tasks with the same data as (b), engine steps after each."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    from engine.spiff.script_engine import case_variables

    start_data = {"published": False, "co_agencies": [], "answer_hours": 9, "importance": "normal",
                  "message_id": number,
                  "region": "orenburg", "network": "vk", "url": f"https://vk.com/wall-1_{number}",
                  "author": "Автор", "text": f"Яма на дороге № {number}", "repeat_of_id": None,
                  "posted_at": POSTED.isoformat(), "detected_at": DETECTED.isoformat()}
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
    workflow.get_tasks(state=TaskState.READY)[0].data.update(start_data)
    case_variables(workflow).update(start_data)
    workflow.do_engine_steps()
    for element, _role, data in STEPS:
        task = next(t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.bpmn_id == element)
        task.data.update(data)
        case_variables(workflow).update(data)
        task.run()
        workflow.refresh_timers()
        workflow.do_engine_steps()
    if not workflow.completed:
        raise SystemExit(f"in-memory lifecycle {number} did not complete")


# --------------------------------------------------------------------------- (b) through engine/

def seed(database: Database) -> None:
    from tests.factories import deploy_files, orenburg_people

    with database.session() as session:
        orenburg_people(session)
        deploy_files(session, "bpmn/orenburg.bpmn")


def one_lifecycle(database: Database, number: int) -> int:
    """Register a message and take it through the five steps, a transaction each; the instance id."""
    logins = {"curator": "curator", "executor": "exec_orb_roads"}
    with database.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            "orenburg", "vk", f"https://vk.com/wall-1_{number}", "Автор", f"Яма на дороге № {number}",
            POSTED, DETECTED), "curator")
        instance_id = instance.id
    for element, role, data in STEPS:
        with database.session() as session:
            task_id = session.scalar(select(Task.id).where(
                Task.instance_id == instance_id, Task.element_id == element, Task.status == "open"))
            runtime.complete_task(session, task_id, logins[role], data)
    return instance_id


def engine_run(database: Database, lifecycles: int, warmup: int = 3) -> Timed:
    seed(database)
    for number in range(warmup):  # parse caches, connection pool
        one_lifecycle(database, -1 - number)
    with Timed() as timed:
        ids = [one_lifecycle(database, number) for number in range(lifecycles)]
    with database.session() as session:  # checked after the clock stops
        done = session.scalar(select(func.count()).select_from(Instance).where(
            Instance.id.in_(ids), Instance.status == "completed"))
    if done != lifecycles:
        raise SystemExit(f"only {done} of {lifecycles} lifecycles completed")
    return timed


def fresh_postgresql(url: str, schema: str = PG_SCHEMA) -> str:
    """Drop and create ``schema``; the URL returned has it as search path."""
    from sqlalchemy import create_engine, text

    from bench.seed_bulk import ensure_postgres_database

    ensure_postgres_database(url)  # a fresh server has no otklik_bench yet
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def commit_ms(url: str, commits: int = 100) -> float:
    """Milliseconds per committed one-row insert: the WAL flush every transaction waits for,
    a floor under any sequence of transactions on this server."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS lifecycle_commit_probe (n integer)"))
        connection.commit()
        t0 = time.perf_counter()
        for number in range(commits):
            connection.execute(text("INSERT INTO lifecycle_commit_probe VALUES (:n)"), {"n": number})
            connection.commit()
        spent = time.perf_counter() - t0
        connection.execute(text("DROP TABLE lifecycle_commit_probe"))
        connection.commit()
    engine.dispose()
    return spent / commits * 1000


def with_database(url: str | None, run: Callable[[Database], Timed]) -> Timed:
    with tempfile.TemporaryDirectory(prefix="otklik-lifecycle-") as tmp:
        database = Database(fresh_postgresql(url) if url else f"sqlite:///{tmp}/bench.sqlite")
        try:
            upgrade(database.engine)
            return run(database)
        finally:
            database.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--lifecycles", type=int, default=200, help="lifecycles for (a) and (b)")
    parser.add_argument("--http-lifecycles", type=int, default=600, help="lifecycles for (c)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients for (c)")
    parser.add_argument("--port", type=int, default=18100, help="gunicorn port for (c)")
    parser.add_argument("--flow", choices=("pages", "lean"), default="pages", help="HTTP flow for (c)")
    parser.add_argument("--modes", default="memory,engine-sqlite,engine-postgresql,http-postgresql")
    args = parser.parse_args()
    modes = set(args.modes.split(","))
    pg_url = os.environ.get("OTKLIK_BENCH_DATABASE_URL")

    clock.set_source(lambda: NOW)
    memory(3)  # warm-up: imports, the working-time calendar
    rows = [result("memory", args.lifecycles, memory(args.lifecycles))]
    if "engine-sqlite" in modes:
        rows.append(result("engine-sqlite", args.lifecycles,
                           with_database(None, lambda db: engine_run(db, args.lifecycles))))
    if pg_url and "engine-postgresql" in modes:
        rows.append(result("engine-postgresql", args.lifecycles,
                           with_database(pg_url, lambda db: engine_run(db, args.lifecycles)),
                           commit_ms=round(commit_ms(fresh_postgresql(pg_url)), 2)))
    clock.set_source(None)
    if pg_url and "http-postgresql" in modes:
        from bench.lifecycle_http import http_run

        seconds, extra = http_run(fresh_postgresql(pg_url), args.http_lifecycles, args.clients, args.port,
                                  args.flow == "lean")
        rows.append(result("http-postgresql", args.http_lifecycles, seconds, clients=args.clients, **extra))
    limit = rows[0]
    for row in rows[1:]:
        ratio = {"ratio": "b/a" if row["mode"].startswith("engine") else "c/a", "mode": row["mode"],
                 "value": round(row["lifecycles_per_s"] / limit["lifecycles_per_s"], 3)}
        if "lifecycles_per_cpu_s" in row:  # the same ratio in CPU time: less shaken by other processes
            ratio["cpu_value"] = round(row["lifecycles_per_cpu_s"] / limit["lifecycles_per_cpu_s"], 3)
        print(json.dumps(ratio), flush=True)


if __name__ == "__main__":
    main()
