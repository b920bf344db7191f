"""Cost of one task completion with persistence (load → validate → run → advance → save → project).

Prints one JSON object per backend: milliseconds per completion, and the in-memory cost of the
same steps without a database as the baseline (ratio = in-memory / persisted).

    .venv/bin/python bench/completion.py [--cases 50]
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/completion.py
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import (
    select,  # noqa: E402
    text,  # noqa: E402
)

from engine import clock
from engine.db.database import Database, upgrade  # noqa: E402
from engine.models import Task  # noqa: E402
from engine.runtime import cases as runtime  # noqa: E402
from engine.spiff.parser import parse_process  # noqa: E402
from engine.spiff.script_engine import script_engine_for_region  # noqa: E402
from tests.factories import deploy_files, orenburg_people  # noqa: E402
from tests.scenario.test_orenburg import DRAFT, PUBLISH, ROUTE  # noqa: E402

STEPS = [("route_message", "curator", ROUTE), ("accept_message", "exec_orb_roads", {"competent": True}),
         ("draft_answer", "exec_orb_roads", DRAFT), ("approve_answer", "curator", {"decision": "approve"}),
         ("publish_answer", "exec_orb_roads", PUBLISH)]


def persisted(database: Database, cases: int) -> float:
    with database.session() as session:
        orenburg_people(session)
        deploy_files(session, "bpmn/orenburg.bpmn")
    spent = 0.0
    for _ in range(cases):
        with database.session() as session:
            instance = runtime.start_procedure(session, runtime.MessageInput(
                "orenburg", "vk", "https://vk.com/wall-1_1", "Автор", "Текст",
                datetime(2025, 11, 10, 4, 40, tzinfo=UTC), datetime(2025, 11, 10, 5, 0, tzinfo=UTC)), "curator")
        for element, login, data in STEPS:
            t0 = time.perf_counter()
            with database.session() as session:
                task = session.scalar(select(Task).where(Task.instance_id == instance.id, Task.element_id == element,
                                                         Task.status == "open"))
                runtime.complete_task(session, task.id, login, data)
            spent += time.perf_counter() - t0
    return spent / (cases * len(STEPS)) * 1000


def in_memory(cases: int) -> float:
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    spec, subs = parse_process((ROOT / "bpmn" / "orenburg.bpmn").read_bytes(), "orenburg")
    engine = script_engine_for_region("orenburg")
    total = 0.0
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subs, script_engine=engine)
        start = workflow.get_tasks(state=TaskState.READY)[0]
        start.data.update({"detected_at": "2025-11-10T10:00:00+05:00", "posted_at": "2025-11-10T09:40:00+05:00",
                           "published": False, "co_agencies": [], "answer_hours": 9})
        workflow.data["case"] = dict(start.data)
        workflow.do_engine_steps()
        for _element, _login, data in STEPS:
            t0 = time.perf_counter()
            task = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual][0]
            task.data.update(data)
            workflow.data["case"].update(data)
            task.run()
            workflow.do_engine_steps()
            total += time.perf_counter() - t0
    return total / (cases * len(STEPS)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=30)
    args = parser.parse_args()
    clock.set_source(lambda: datetime(2025, 11, 10, 5, 10, tzinfo=UTC))
    baseline = in_memory(args.cases)
    print(json.dumps({"backend": "memory (SpiffWorkflow alone)", "ms_per_completion": round(baseline, 2)}))
    urls = {"sqlite": None}
    if os.environ.get("OTKLIK_BENCH_DATABASE_URL"):
        urls["postgresql"] = os.environ["OTKLIK_BENCH_DATABASE_URL"]
    for name, url in urls.items():
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(url or f"sqlite:///{tmp}/bench.sqlite")
            if url:
                with database.engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade(database.engine)
            ms = persisted(database, args.cases)
            database.engine.dispose()
        print(json.dumps({"backend": name, "ms_per_completion": round(ms, 2),
                          "ratio_memory_to_persisted": round(baseline / ms, 3)}))


if __name__ == "__main__":
    main()
