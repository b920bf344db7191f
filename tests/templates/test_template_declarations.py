"""A template's parameters are declared in the diagram (param.<name>.* with var.<name> defaults) and
checked at deployment, each refusal naming the property to change."""
from __future__ import annotations

import pytest

from engine.bpmn.reader import read_diagram
from engine.bpmn.template_parameters import declared_parameters
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError
from tests.templates.template_data import TEMPLATE, TEMPLATE_FILE

TEXT = TEMPLATE_FILE.read_text(encoding="utf-8")


def _refused(text: str) -> list[str]:
    """The refusals naming the process (where the declarations are drawn)."""
    with pytest.raises(DeploymentError) as refused:
        plan([Source("municipal.bpmn", text.encode("utf-8"))], library_forms())
    return [p.text for p in refused.value.problems if p.element == TEMPLATE]


def _without(text: str, name: str) -> str:
    start = text.index(f'<camunda:property name="{name}" ')
    return text[:start] + text[text.index("/>", start) + 2:]


def test_the_municipal_template_declares_its_parameters() -> None:
    parameters, problems = declared_parameters(read_diagram(TEXT).properties)
    assert problems == []
    assert {p.name: (p.type, p.default) for p in parameters} == {
        "routing_hours": ("hours", "8"), "answer_days": ("days", "1"), "draft_days": ("days", "0"),
        "final_days": ("days", "7"), "publisher": ("choice", "official"), "use_reception": ("boolean", "true")}
    publisher = next(p for p in parameters if p.name == "publisher")
    assert publisher.choices == ("official", "executor") and publisher.clause == "6" and publisher.label and publisher.help
    [deployable] = plan([Source.read(TEMPLATE_FILE)], library_forms())
    assert deployable.info.kind == "template" and len(deployable.info.parameters) == 6


@pytest.mark.parametrize(("old", "new", "said"), [
    ('name="param.answer_days.type" value="days"', 'name="param.answer_days.type" value="weeks"',
     "param.answer_days.type: type 'weeks' is unknown"),
    ('name="param.publisher.choices" value="official, executor"', 'name="param.publisher.choices" value="mayor, executor"',
     "the default var.publisher: parameter 'publisher'"),
    ('name="var.answer_days" value="1"', '''name="var.answer_days" value="'one'"''',
     "var.answer_days = 'one' does not fit parameter 'answer_days'"),
    ('name="param.answer_days.clause"', 'name="param.answer_days.clauses"', "'param.answer_days.clauses' is unknown"),
    ('name="param.draft_days.type" value="days"', 'name="param.draft_days.type" value="choice"',
     "param.draft_days.choices"),
    ('name="template" value="true"', 'name="template" value="yes"', "process property template: 'yes'"),
])
def test_a_wrong_declaration_is_refused_naming_the_property(old: str, new: str, said: str) -> None:
    assert old in TEXT
    problems = _refused(TEXT.replace(old, new))
    assert any(said in p for p in problems), problems


def test_a_parameter_needs_a_type_and_a_default() -> None:
    [problem] = _refused(_without(TEXT, "param.answer_days.type"))
    assert "has no type: add the process property param.answer_days.type" in problem
    [problem] = _refused(_without(TEXT, "var.final_days").replace("working_days(final_days)", "working_days(7)"))
    assert "'final_days' has no default: add the process property var.final_days" in problem


def test_a_template_needs_no_territory_a_procedure_does() -> None:
    without = _without(TEXT, "region")
    [item] = plan([Source("municipal.bpmn", without.encode("utf-8"))], library_forms())
    assert (item.info.kind, item.info.region) == ("template", "")
    problems = _refused(without.replace('name="template" value="true"', 'name="template" value="false"'))
    assert any("region" in p for p in problems), problems
