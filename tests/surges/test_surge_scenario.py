"""Orenburg п. 21 «о повышенной социальной активности … незамедлительно представляется Губернатору»,
through the real path: messages registered by the curator start the procedure, the routing form
records topic and place, and the worker's pass (engine.runtime.timers._pass) finds the surge and
tells the Governor. A mutant of the rule (the diagram's surge.* properties) makes the scenario fail.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.models import Notification
from engine.models.surge import Surge
from engine.runtime import timers
from tests.scenario.mutants import deploy_mutant, prop
from tests.scenario.test_orenburg import ROUTE
from tests.surges.conftest import PLACE, T0, TOPIC
from tests.surges.stream import steady


def scenario_clause_21_surge(case) -> None:  # type: ignore[no-untyped-def]
    """Four weeks of the usual (one message every two hours), then 10 messages registered and routed
    to the same topic and place within 45 minutes: the next pass tells the Governor, once."""
    steady(case.db, "orenburg", TOPIC, PLACE, T0, days=28, per_hour=0.5)
    for index in range(10):
        detected = (T0 + timedelta(minutes=5 * index)).strftime("%Y-%m-%dT%H:%M")
        case.start(posted=detected, detected=detected, text=f"Дорогу размыло, сообщение {index + 1}")
        case.complete("route_message", "curator", {**ROUTE, "topic": TOPIC, "location": PLACE})
    case.clock.set(T0 + timedelta(minutes=50))
    timers._pass(case.db, 5.0, timers.BATCH, {})
    with case.db.session() as session:
        told = list(session.scalars(select(Notification).where(Notification.recipient == "governor")))
        surges = list(session.scalars(select(Surge)))
    assert len(surges) == 1 and surges[0].count == 10, "no surge recorded"
    assert len(told) == 1 and told[0].status == "routed", "the Governor was not told"
    assert "(п. 21)" in told[0].subject, "the clause is not cited"
    case.clock.set(T0 + timedelta(minutes=52))
    timers._pass(case.db, 5.0, timers.BATCH, {})
    with case.db.session() as session:
        assert len(list(session.scalars(select(Notification).where(Notification.recipient == "governor")))) == 1


def test_clause_21_a_surge_reaches_the_governor_through_the_worker(governed) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_21_surge(governed)


@pytest.mark.parametrize("edit", [
    prop("orenburg", "surge.minimum", "11"),
    prop("orenburg", "surge.recipient", "supervisor"),
    prop("orenburg", "surge.clause", "20"),
    prop("orenburg", "surge.window", "30"),
], ids=["minimum", "recipient", "clause", "window"])
def test_clause_21_mutants_are_caught(governed, edit) -> None:  # type: ignore[no-untyped-def]
    deploy_mutant(governed.db, "bpmn/orenburg.bpmn", edit)
    with pytest.raises(AssertionError):
        scenario_clause_21_surge(governed)


def test_a_failing_surge_check_never_stops_the_timers(governed, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(db):  # type: ignore[no-untyped-def]
        raise RuntimeError("surge check broke")

    monkeypatch.setattr(timers, "check_surges", broken)
    case = governed
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.clock.set(T0 + timedelta(minutes=31))  # п. 6's 30 minutes for routing have passed
    with caplog.at_level(logging.ERROR, logger="engine.runtime.timers"):
        timers._pass(case.db, 5.0, timers.BATCH, {})
    assert "checking surges failed" in caplog.text
    assert [clause for clause, _deadline, _due in case.violations()] == ["6"]  # the deadline still fired
