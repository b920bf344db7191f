"""A timer reads only variables the case holds when it is armed (engine/deployment/dataflow.py)."""
from __future__ import annotations

import pytest

from engine.bpmn.conventions import START_VARIABLES
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError, Problem
from engine.texts import language
from tests.factories import ROOT
from tests.scenario.mutants import mutant, timer
from tests.scenario.test_orenburg import ROUTE

ORENBURG = "bpmn/orenburg.bpmn"


def _refused(source: Source) -> list[Problem]:
    with pytest.raises(DeploymentError) as refused:
        plan([source], library_forms())
    return refused.value.problems


def test_a_timer_reading_what_only_its_own_step_sets_is_refused() -> None:
    # Armed when "route_message" starts; its form sets answer_hours only when it completes.
    [problem] = _refused(mutant(ORENBURG, timer("routing_deadline", "working_minutes(30 if topic else 20, since=detected_at)")))
    assert problem.element == "routing_deadline"
    assert "topic" in problem.text and "attached to" in problem.text
    with language("ru"):
        assert "взводится при начале шага" in str(problem.message)


def test_a_timer_reading_what_no_step_sets_is_refused() -> None:
    [problem] = _refused(mutant(ORENBURG, timer("routing_deadline", "working_minutes(30, since=noticed_at)")))
    assert problem.element == "routing_deadline" and "noticed_at" in problem.text and "var.noticed_at" in problem.text


def test_a_timer_reading_what_only_later_steps_set_is_refused() -> None:
    # The return deadline runs while the agency decides; the draft's text comes after it on every path.
    [problem] = _refused(mutant(ORENBURG, timer("return_deadline", "working_minutes(30, since=answer_url)")))
    assert problem.element == "return_deadline" and "answer_url" in problem.text and "no path" in problem.text


def test_a_path_that_may_arm_a_timer_unset_is_a_warning_naming_where_it_is_set() -> None:
    # The municipal template: the default flow of its category gateway reaches the answer deadline
    # without registration as drawn; only use_reception on two gateways keeps cases off it.
    [planned] = plan([Source.read(ROOT / "bpmn/templates/municipal.bpmn")], library_forms())
    texts = [(w.element, w.text) for w in planned.info.warnings]
    assert any(element == "answer_deadline" and "registered_at" in text for element, text in texts), texts


def test_a_condition_on_a_fixed_parameter_prunes_the_path_it_cannot_take() -> None:
    xml = (ROOT / "bpmn/templates/municipal.bpmn").read_text(encoding="utf-8")
    default = '<bpmn:sequenceFlow id="already_routed" sourceRef="category_gateway" targetRef="registered_merge" ' \
              'name="направлено в подразделение" />'
    assert default in xml
    explicit = xml.replace(default, default[:-3] + '><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                           'not use_reception</bpmn:conditionExpression></bpmn:sequenceFlow>')
    explicit = explicit.replace('default="already_routed"', "")
    [planned] = plan([Source("municipal.bpmn", explicit.encode("utf-8"))], library_forms())
    assert not any("registered_at" in w.text for w in planned.info.warnings)


def test_every_case_holds_the_start_variables_from_its_start(orenburg) -> None:  # type: ignore[no-untyped-def]
    from engine.runtime.store import load_for_reading
    from engine.spiff.inspect import case_variables

    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with orenburg.db.session() as session:
        instance = session.merge(orenburg.instance())
        held = set(case_variables(load_for_reading(session, instance)))
    assert START_VARIABLES <= held, START_VARIABLES - held
    orenburg.complete("route_message", "curator", ROUTE)
