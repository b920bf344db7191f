"""Orenburg п. 11 without end: a case returned for rework 220 times still works, in bounded time.

SpiffWorkflow adds each round's tasks below the previous round's (10 tasks, 6 levels, ~4 KB of
state per Orenburg round) and walks ancestors recursively: before engine.spiff.pruning a
completion raised RecursionError at round 162 (a 500 on the task page), and each completion had
become ~60 times slower than the first. The tree now stays shallow and the state small; the cut
history still shows on the case's diagram.
"""
from __future__ import annotations

import statistics
import time

from engine.models import Instance
from engine.runtime import store
from engine.runtime.workflow_cache import CACHE
from engine.spiff.pruning import PRUNE_ABOVE
from engine.spiff.script_engine import script_engine_for_region
from engine.spiff.serializer import dump_state, load_state
from engine.views import instance as instanceview
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, begin

ROUNDS = 220
ROUND_LIMIT = 1.0  # seconds for a typical round (two completions); before: ~1 s at round 150, then RecursionError
# The last rounds against the first, in the same run: before pruning ~60 times slower. A ratio of medians,
# not the slowest round: one round may meet a garbage collection of the whole test session's heap.
GROWTH_LIMIT = 4.0
WINDOW = 20
STATE_LIMIT = 200_000  # characters of saved state; before: ~4 KB more per round (~900 KB at round 220)


def _depth(orenburg) -> int:  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session:
        workflow = store.load(session, session.get(Instance, orenburg.instance_id))
        deepest = 0
        for task in workflow.tasks.values():
            levels, node = 0, task
            while node.parent is not None:
                node, levels = node.parent, levels + 1
            deepest = max(deepest, levels)
        return deepest


def test_a_case_survives_220_rework_rounds_and_completes(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.at("2025-11-10T11:00")
    orenburg.complete("draft_answer", EXEC, DRAFT)
    rounds: list[float] = []
    for round_ in range(1, ROUNDS + 1):
        if round_ % 10 == 0:
            CACHE.clear()  # now and then the next completion reads the (pruned) saved state
        started = time.perf_counter()
        orenburg.complete("approve_answer", "curator", {"decision": "rework", "comment": f"Доработать {round_}"})
        orenburg.complete("rework_answer", EXEC, {**DRAFT, "answer_text": f"Версия {round_ + 1}"})
        rounds.append(time.perf_counter() - started)
    first, last = statistics.median(rounds[:WINDOW]), statistics.median(rounds[-WINDOW:])
    print(f"rework round: first {WINDOW} median {first:.3f} s, last {WINDOW} median {last:.3f} s, ratio {last / first:.2f}")
    assert last < ROUND_LIMIT, f"a late rework round takes {last:.2f} s"
    assert last / first < GROWTH_LIMIT, f"rounds grew {last / first:.1f} times slower ({first:.3f} s → {last:.3f} s)"
    assert len(orenburg.instance().state) < STATE_LIMIT
    assert _depth(orenburg) < PRUNE_ABOVE

    # A deadline still fires on the long case (the worker's path saves it too).
    orenburg.complete("approve_answer", "curator", {"decision": "rework", "comment": "Последний раз"})
    orenburg.at("2025-11-10T12:01")
    assert orenburg.violations() == [("11", "rework", orenburg.local("2025-11-10T12:00"))]
    orenburg.complete("rework_answer", EXEC, {**DRAFT, "answer_text": "Окончательная версия"})
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", EXEC, PUBLISH)
    assert orenburg.instance().status == "completed"
    assert orenburg.audit_kinds().count("completed") == 3 + 2 * ROUNDS + 4

    # The case's diagram still marks the steps taken at the start, long cut from the tree.
    with orenburg.db.session() as session:
        view = instanceview.instance_view(session, orenburg.message().id, "curator")
    assert {"route_message", "accept_message", "draft_answer", "rework_answer", "publish_answer"} <= set(view.taken)


def test_a_pruned_case_reads_back_as_it_was_saved(orenburg) -> None:  # type: ignore[no-untyped-def]
    """Each task's data is saved as its difference from its parent: after a cut the (new) parent
    must give back exactly the data the task had."""
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.complete("draft_answer", EXEC, DRAFT)
    for round_ in range(1, 40):  # past the first cut (PRUNE_ABOVE tasks at ~25 rounds)
        orenburg.complete("approve_answer", "curator", {"decision": "rework", "comment": f"Доработать {round_}"})
        orenburg.complete("rework_answer", EXEC, {**DRAFT, "answer_text": f"Версия {round_ + 1}"})
    with orenburg.db.session() as session:
        instance = session.get(Instance, orenburg.instance_id)
        live = store.load(session, instance)
        assert len(live.tasks) < PRUNE_ABOVE
        spec, subprocess_specs = store.deployment_info(session, instance.deployment_id).specs()
        read = load_state(instance.state, spec, subprocess_specs, script_engine_for_region("orenburg"))
        assert {(t.id, t._parent, tuple(t._children), t.state) for t in read.tasks.values()} == \
               {(t.id, t._parent, tuple(t._children), t.state) for t in live.tasks.values()}
        for task in live.tasks.values():
            assert read.tasks[task.id].data == task.data, task.task_spec.name
        assert dump_state(read) == instance.state
