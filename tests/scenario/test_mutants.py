"""The mutant helpers themselves: an edit changes what runs, and a missing element fails loudly."""
from __future__ import annotations

import pytest

from tests.scenario.mutants import deploy_mutant, mutant, prop, timer, timer_expression
from tests.scenario.test_orenburg import ROUTE


def test_a_timer_mutant_runs_in_place_of_the_shipped_diagram(orenburg) -> None:  # type: ignore[no-untyped-def]
    shipped = timer_expression("bpmn/orenburg.bpmn", "routing_deadline")
    assert "since=detected_at" in shipped
    deploy_mutant(orenburg.db, "bpmn/orenburg.bpmn", timer("routing_deadline", shipped.replace("30", "45")))
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    assert orenburg.due("route_message") == orenburg.local("2025-11-10T10:45")
    orenburg.complete("route_message", "curator", ROUTE)


def test_an_edit_of_an_element_that_is_not_there_fails_loudly() -> None:
    with pytest.raises(LookupError, match="no_such_timer"):
        mutant("bpmn/orenburg.bpmn", timer("no_such_timer", "working_minutes(1)"))
    with pytest.raises(LookupError, match="colour"):
        mutant("bpmn/orenburg.bpmn", prop("record_routing_violation", "colour", "red"))
