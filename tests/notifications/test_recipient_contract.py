"""Deployment refuses a ``recipient`` it cannot resolve, naming the element (engine.deployment.contract)."""
from __future__ import annotations

import re

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError, Problem
from tests.factories import ROOT

ORENBURG = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")


def _notify_task_with_recipient() -> tuple[str, str]:
    """The id of the first notify task that declares a recipient, and its declaration (found, not named)."""
    for match in re.finditer(r'<bpmn:serviceTask id="([^"]+)"[^>]*camunda:topic="notify".*?</bpmn:serviceTask>',
                             ORENBURG, re.S):
        declared = re.search(r'<camunda:property name="recipient" value="[^"]*" />', match.group(0))
        if declared:
            return match.group(1), declared.group(0)
    raise AssertionError("the Orenburg diagram has no notify task with a recipient")


def _problems(source: str) -> list[Problem]:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", source.encode("utf-8"))], library_forms())
    return refused.value.problems


@pytest.mark.parametrize("value, said", [("governer", "'governer'"), ("governor minister", "'minister'"),
                                         ("", "is empty")])
def test_an_unknown_or_empty_recipient_is_refused_naming_the_element(value: str, said: str) -> None:
    element, declared = _notify_task_with_recipient()
    [problem] = _problems(ORENBURG.replace(declared, f'<camunda:property name="recipient" value="{value}" />'))
    assert problem.element == element and said in problem.text and "deputy_governor" in problem.text


def test_several_known_recipients_are_accepted() -> None:
    element, declared = _notify_task_with_recipient()
    both = ORENBURG.replace(declared, '<camunda:property name="recipient" value="governor deputy_minister" />')
    plan([Source("orenburg.bpmn", both.encode("utf-8"))], library_forms())  # no DeploymentError


def test_the_refusal_reads_in_russian_by_default() -> None:
    from engine.texts import language

    _, declared = _notify_task_with_recipient()
    [problem] = _problems(ORENBURG.replace(declared, '<camunda:property name="recipient" value="mayor" />'))
    with language("ru"):
        assert "получатель «mayor» неизвестен" in str(problem.message)
