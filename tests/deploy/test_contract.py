"""The diagram contract at deployment (engine.deployment.contract): every declaration the engine
reads is there and makes sense; a refusal names the element and the declaration."""
from __future__ import annotations

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError, Problem
from tests.factories import ROOT

ORENBURG = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")


def _property(name: str) -> str:
    start = ORENBURG.index(f'<camunda:property name="{name}" ')
    return ORENBURG[start:ORENBURG.index("/>", start) + 2]


def _problems(source: str) -> list[Problem]:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", source.encode("utf-8"))], library_forms())
    return refused.value.problems


def _only(source: str) -> Problem:
    [problem] = _problems(source)
    return problem


def test_the_shipped_diagrams_declare_the_contract() -> None:
    for path in sorted((ROOT / "bpmn").glob("**/*.bpmn")):
        plan([Source.read(path)], library_forms())


@pytest.mark.parametrize("name", ["answer.text", "answer.kind", "answer.url", "answer.published"])
def test_a_missing_required_declaration_is_refused_naming_it(name: str) -> None:
    problem = _only(ORENBURG.replace(_property(name), ""))
    assert problem.element == "orenburg"
    assert f"does not declare '{name}'" in problem.text and "Extension properties" in problem.text


def test_a_multi_instance_step_needs_answer_part() -> None:
    problem = _only(ORENBURG.replace(_property("answer.part"), ""))
    assert problem.element == "orenburg" and "answer.part" in problem.text


def test_optional_declarations_may_be_left_out() -> None:
    plan([Source("orenburg.bpmn", ORENBURG.replace(_property("answer.measures"), "")
                  .replace(_property("answer.files"), "").encode("utf-8"))], library_forms())


def test_a_declared_variable_no_form_sets_is_refused() -> None:
    problem = _only(ORENBURG.replace('name="answer.url" value="answer_url"', 'name="answer.url" value="answer_link"'))
    assert problem.element == "orenburg"
    assert "'answer.url' names the variable 'answer_link'" in problem.text and "answer_url" in problem.text


def test_a_declaration_that_is_not_a_name_is_refused() -> None:
    problem = _only(ORENBURG.replace('name="answer.text" value="answer_text"', 'name="answer.text" value="${answer_text}"'))
    assert "'answer.text'" in problem.text and "not a variable name" in problem.text


def test_an_unknown_answer_property_is_refused() -> None:
    typo = ORENBURG.replace(_property("answer.measures"), '<camunda:property name="answer.measure" value="measures" />')
    problem = _only(typo)
    assert problem.element == "orenburg" and "'answer.measure' is unknown" in problem.text


@pytest.mark.parametrize(("expression", "said"), [
    ("${published}", "answer.published"),
    ("published ==", "answer.published"),
    ("publication_done", "reads 'publication_done'"),
])
def test_a_wrong_published_expression_is_refused(expression: str, said: str) -> None:
    problem = _only(ORENBURG.replace('name="answer.published" value="published"',
                                     f'name="answer.published" value="{expression}"'))
    assert problem.element == "orenburg" and said in problem.text


def test_published_may_read_an_output_parameter_or_a_parameter() -> None:
    # decision is set by the approval form; var.published is a parameter of the process.
    for expression in ("decision == 'approve' and published", "published"):
        plan([Source("orenburg.bpmn", ORENBURG.replace('name="answer.published" value="published"',
                                                       f'name="answer.published" value="{expression}"')
                      .encode("utf-8"))], library_forms())


def test_an_unknown_outcome_is_refused() -> None:
    problem = _only(ORENBURG.replace('name="outcome" value="no_answer"', 'name="outcome" value="silence"', 1))
    assert problem.element == "no_answer_threat" and "'outcome'" in problem.text and "no_answer" in problem.text


def test_a_violation_without_a_known_deadline_is_refused() -> None:
    wrong = ORENBURG.replace('name="deadline" value="rework"', 'name="deadline" value="redo"')
    problem = _only(wrong)
    assert problem.element == "record_rework_violation" and "'redo'" in problem.text and "routing" in problem.text
    missing = ORENBURG.replace('<camunda:property name="deadline" value="rework" />', "")
    problem = _only(missing)
    assert problem.element == "record_rework_violation" and "without the property 'deadline'" in problem.text


def test_a_violation_basis_other_than_act_or_parameter_is_refused() -> None:
    declared = '<camunda:property name="deadline" value="rework" />'
    wrong = ORENBURG.replace(declared, declared + '<camunda:property name="basis" value="custom" />')
    problem = _only(wrong)
    assert problem.element == "record_rework_violation" and "'custom'" in problem.text and "parameter" in problem.text
    right = ORENBURG.replace(declared, declared + '<camunda:property name="basis" value="parameter" />')
    plan([Source("orenburg.bpmn", right.encode("utf-8"))], library_forms())  # accepted


def test_the_refusal_reads_in_russian_by_default() -> None:
    from engine.texts import language

    problem = _only(ORENBURG.replace(_property("answer.text"), ""))
    with language("ru"):
        assert "процесс не объявляет «answer.text»" in str(problem.message)


def test_the_analyst_guide_lists_every_declared_name() -> None:
    from engine.bpmn import conventions as c

    guide = (ROOT / "docs/analyst-guide.md").read_text(encoding="utf-8")
    table = guide[guide.index("### Declared names"):guide.index("## 3.")]
    names = {*c.DECLARED, *c.STEPS, *c.OUTCOMES, *c.DEADLINES, c.STEP_PROPERTY, c.OUTCOME_PROPERTY,
             c.DEADLINE_PROPERTY, c.RECIPIENT_PROPERTY, c.RECIPIENT_GOVERNOR, c.RECIPIENT_AUTHORITIES}
    assert sorted(n for n in names if f"`{n}`" not in table) == []


@pytest.mark.parametrize(("old", "new", "element", "said"), [
    ('<camunda:property name="step" value="publication" />', '<camunda:property name="stepp" value="publication" />',
     "publish_answer", "property 'stepp' is not one Otklik reads"),
    ('<camunda:property name="summary" ', '<camunda:property name="sumary" ', "orenburg", "'sumary' is not one"),
    ('<camunda:property name="deadline" value="rework" />',
     '<camunda:property name="deadline" value="rework" /><camunda:property name="step" value="rework" />',
     "record_rework_violation", "property 'step' is read only on: userTask"),
    ('<camunda:property name="summary" ', '<camunda:property name="outcome" value="no_answer" /><camunda:property name="summary" ',
     "orenburg", "property 'outcome' is read only on: endEvent"),
])
def test_a_property_otklik_does_not_read_there_is_refused(old: str, new: str, element: str, said: str) -> None:
    assert old in ORENBURG
    problem = _only(ORENBURG.replace(old, new, 1))
    assert problem.element == element and said in problem.text
