"""Timer worker under load: 100,000 cases waiting on deadlines; a burst falls due; catch-up after downtime.

    .venv/bin/python bench/timers.py                                   # SQLite file in a temp dir
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench \\
        .venv/bin/python bench/timers.py --workers 2                   # PostgreSQL, two worker processes

Method. 100,000 Orenburg cases are cloned from one real started case (bench/seed_bulk.py) with their
routing deadline armed days ahead. Then:

* burst: the worker processes start (real clock: the engine clock is the system clock) and fire a
  warm-up group; then each of ``--bursts`` groups (default 100 and 1,000 cases) is armed for ONE
  instant T ``--lead`` seconds ahead, and the running workers sleep until T as ``run_worker`` does.
  Each fired case's commit is stamped in the worker (SQLAlchemy ``after_commit``, wall clock);
  lateness = commit time − T: how long after the deadline its violation row and the supervisor's
  notification exist.
* catch-up: the workers are stopped, ``--overdue`` cases (default 10,000) get due times spread
  over the past hour, workers start again; catch-up = first worker ready → last commit.
* memory: each worker process's resident set when ready (imports, parsed spec), its peak over the
  phase and at the end (Linux /proc/self/status VmRSS/VmHWM; see ``_rss_kib`` for why not getrusage).

After each phase it checks from the audit log that every case fired exactly once and no other did.
Each result is one JSON line. ``--worker-module`` runs another module with ``run_worker(db, interval,
should_stop)`` (e.g. a copy of the old worker) for a before/after comparison in the same set-up.
"""
from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import seed_bulk  # noqa: E402
from sqlalchemy import bindparam, event, select, text  # noqa: E402

from engine.db.database import Database  # noqa: E402
from engine.models import Deployment, Instance  # noqa: E402
from engine.runtime import store  # noqa: E402

# ---- the worker process ---------------------------------------------------------------------

def _worker_process(url: str, module_name: str, interval: float, batch: int | None, ready: Any, stop: Any,
                    results: Any, extra_path: str | None) -> None:
    if extra_path:
        sys.path.insert(0, extra_path)
    module = importlib.import_module(module_name)
    database = Database(url)
    with database.session() as session:
        # A long-running worker has the parsed spec cached; so should the measured one.
        store.new_workflow(session.scalars(select(Deployment)).first())
    stamps: dict[int, float] = {}

    @event.listens_for(database.sessions, "before_commit")
    def _note(session: Any) -> None:
        session.info["ids"] = [key[1][0] for key in session.identity_map.keys() if key[0] is Instance]

    @event.listens_for(database.sessions, "after_commit")
    def _stamp(session: Any) -> None:
        at = time.time()
        for instance_id in session.info.pop("ids", ()):
            stamps.setdefault(instance_id, at)

    rss_ready = _rss_kib()[0]
    ready.set()
    kwargs = {"batch": batch} if batch else {}
    module.run_worker(database, interval, should_stop=stop.is_set, **kwargs)
    rss_end, rss_peak = _rss_kib()
    results.put({"stamps": stamps, "rss_ready_kib": rss_ready, "rss_end_kib": rss_end, "rss_peak_kib": rss_peak})
    database.engine.dispose()


class Workers:
    """N worker processes (spawned: nothing inherited from the seeding parent, so RSS is the worker's own)."""

    def __init__(self, url: str, args: argparse.Namespace) -> None:
        context = mp.get_context("spawn")
        self.stop, self.results = context.Event(), context.Queue()
        self.readies = [context.Event() for _ in range(args.workers)]
        self.processes = [context.Process(target=_worker_process, args=(
            url, args.worker_module, args.interval, args.claim_batch, ready, self.stop, self.results,
            args.worker_path), daemon=True) for ready in self.readies]
        for process in self.processes:
            process.start()
        for ready in self.readies:
            if not ready.wait(120):
                raise RuntimeError("a worker did not start within 120 s")
        self.ready_at = time.time()

    def finish(self) -> list[dict[str, Any]]:
        self.stop.set()
        found = [self.results.get(timeout=300) for _ in self.processes]
        for process in self.processes:
            process.join(60)
        return found


# ---- helpers --------------------------------------------------------------------------------

def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _wait_until_fired(database: Database, ids: list[int], timeout: float) -> None:
    query = text("SELECT count(*) FROM instance WHERE id IN :ids AND next_timer_at IS NOT NULL "
                 "AND status = 'running'").bindparams(bindparam("ids", expanding=True))
    deadline = time.time() + timeout
    while time.time() < deadline:
        with database.engine.connect() as connection:
            if connection.scalar(query, {"ids": ids}) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"not all {len(ids)} timers fired within {timeout} s")


def _fired_counts(database: Database) -> dict[int, int]:
    with database.engine.connect() as connection:
        return dict(connection.execute(text(
            "SELECT instance_id, count(*) FROM audit_event WHERE kind = 'timer_fired' GROUP BY instance_id")).all())


def _check_exactly_once(database: Database, expected: set[int]) -> bool:
    counts = _fired_counts(database)
    return set(counts) == expected and all(c == 1 for c in counts.values())


def _merge(found: list[dict[str, Any]]) -> dict[int, float]:
    stamps: dict[int, float] = {}
    for result in found:
        for instance_id, at in result["stamps"].items():
            stamps[instance_id] = min(at, stamps.get(instance_id, at))
    return stamps


def _memory(found: list[dict[str, Any]]) -> dict[str, Any]:
    return {"worker_rss_ready_mib": [round(r["rss_ready_kib"] / 1024, 1) for r in found],
            "worker_rss_peak_mib": [round(r["rss_peak_kib"] / 1024, 1) for r in found],
            "worker_rss_end_mib": [round(r["rss_end_kib"] / 1024, 1) for r in found]}


def _rss_kib() -> tuple[int, int]:
    """(current, peak) resident set of this process. Linux's VmHWM, not getrusage's ru_maxrss: a
    spawned worker is forked from the benchmark before it execs, and ru_maxrss keeps the larger
    parent's size from that moment; VmHWM belongs to the worker's own address space."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    if "VmRSS" in fields and "VmHWM" in fields:
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak, peak


# ---- phases ---------------------------------------------------------------------------------

def bursts(database: Database, url: str, template: seed_bulk.CaseTemplate, groups: list[list[int]],
           args: argparse.Namespace, expected: set[int], common: dict[str, Any]) -> None:
    """One set of running workers; each group falls due at one instant, the next group after it fired."""
    workers = Workers(url, args)
    # A worker in production has been running for hours: let it fire a few cases before measuring.
    warm = groups.pop(0)
    seed_bulk.retime(database, template, {i: datetime.now(UTC) for i in warm})
    _wait_until_fired(database, warm, timeout=args.timeout)
    expected |= set(warm)
    dues, margins = [], []
    for ids in groups:
        due = datetime.now(UTC) + timedelta(seconds=args.lead)
        seed_bulk.retime(database, template, {i: due for i in ids})
        margins.append(round(due.timestamp() - time.time(), 2))
        _wait_until_fired(database, ids, timeout=args.timeout)
        dues.append(due)
    found = workers.finish()
    stamps = _merge(found)
    for ids in groups:
        expected |= set(ids)
    once = _check_exactly_once(database, expected)
    for ids, due, margin in zip(groups, dues, margins, strict=True):
        lateness = [stamps[i] - due.timestamp() for i in ids if i in stamps]
        print(json.dumps({
            **common, "phase": "burst", "due_at_once": len(ids),
            "lateness_p50_s": round(_percentile(lateness, 0.50), 3),
            "lateness_p99_s": round(_percentile(lateness, 0.99), 3),
            "lateness_min_s": round(min(lateness), 3), "lateness_max_s": round(max(lateness), 3),
            "fired_per_s": round(len(ids) / max(1e-9, max(lateness)), 1), "stamped": len(lateness),
            "armed_s_before_due": margin, "each_fired_once": once,
            **_memory(found)}), flush=True)


def catch_up(database: Database, url: str, template: seed_bulk.CaseTemplate, ids: list[int], args: argparse.Namespace,
             expected: set[int], common: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    # The worker was down for an hour; these deadlines passed during it, oldest first.
    step = 3600 / len(ids)
    seed_bulk.retime(database, template, {i: now - timedelta(seconds=3600 - k * step) for k, i in enumerate(ids)})
    workers = Workers(url, args)
    _wait_until_fired(database, ids, timeout=args.timeout)
    found = workers.finish()
    stamps = _merge(found)
    last = max(stamps[i] for i in ids)
    expected |= set(ids)
    seconds = last - workers.ready_at
    print(json.dumps({
        **common, "phase": "catch_up", "overdue": len(ids), "catch_up_s": round(seconds, 2),
        "fired_per_s": round(len(ids) / seconds, 1), "each_fired_once": _check_exactly_once(database, expected),
        **_memory(found)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=100_000, help="cases waiting on a timer")
    parser.add_argument("--bursts", default="100,1000", help="sizes of the batches due at one instant")
    parser.add_argument("--warm-up", type=int, default=50, help="cases fired before the bursts are measured")
    parser.add_argument("--overdue", type=int, default=10_000, help="overdue timers to catch up on")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--claim-batch", type=int, default=None, help="cases per transaction (engine default if unset)")
    parser.add_argument("--interval", type=float, default=5.0, help="worker poll interval (otklik worker's default)")
    parser.add_argument("--lead", type=float, default=15.0, help="seconds between arming a burst and its due time")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--worker-module", default="engine.runtime.timers")
    parser.add_argument("--worker-path", default=None, help="extra sys.path entry for --worker-module")
    args = parser.parse_args()
    url = os.environ.get("OTKLIK_BENCH_DATABASE_URL") or None  # empty: SQLite
    sizes = [int(b) for b in args.bursts.split(",") if b]
    if args.warm_up + sum(sizes) + args.overdue > args.instances:
        raise SystemExit("bursts + overdue must not exceed --instances")
    with tempfile.TemporaryDirectory(prefix="otklik-bench-timers-") as tmp:
        database = seed_bulk.fresh_database(url, tmp)
        database_url = url or f"sqlite:///{tmp}/bench.sqlite"
        common = {"backend": "postgresql" if database.is_postgresql else "sqlite", "instances": args.instances,
                  "workers": args.workers, "claim_batch": args.claim_batch, "worker_module": args.worker_module}
        started = time.perf_counter()
        template = seed_bulk.seed_orenburg(database)
        far = datetime.now(UTC) + timedelta(days=2)
        # Armed days ahead, 20 s apart: waiting, none due during the run.
        seed_bulk.clone_cases(database, template, [far + timedelta(seconds=20 * i) for i in range(args.instances)])
        seed_bulk.settle(database)
        print(json.dumps({**common, "phase": "seed", "seconds": round(time.perf_counter() - started, 1)}), flush=True)
        ids = list(range(template.first_free_id, template.first_free_id + args.instances))
        random.Random(6).shuffle(ids)
        expected: set[int] = set()
        groups = []
        for size in [args.warm_up, *sizes]:
            groups.append(ids[:size])
            ids = ids[size:]
        bursts(database, database_url, template, groups, args, expected, common)
        if args.overdue:
            catch_up(database, database_url, template, ids[:args.overdue], args, expected, common)
        with database.engine.connect() as connection:
            waiting = connection.scalar(text("SELECT count(*) FROM instance WHERE next_timer_at IS NOT NULL"))
        print(json.dumps({**common, "phase": "end", "still_waiting": waiting,
                          "expected_waiting": args.instances - len(expected)}), flush=True)
        database.engine.dispose()


if __name__ == "__main__":
    main()
