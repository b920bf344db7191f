"""The surge rule declared in the diagram (process properties surge.*): read with bounds, refused at
deployment naming the process and the property, described to the regulator in words."""
from __future__ import annotations

import pytest

from engine import texts
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError, Problem
from engine.surges.rule import SurgeRule, describe, read_rule, surge_rule
from engine.surges.words import counted, plural_form
from tests.factories import ROOT

ORENBURG = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
SMOLENSK = (ROOT / "bpmn/smolensk.bpmn").read_text(encoding="utf-8")
SHIPPED = {"surge.window": "60", "surge.baseline_days": "28", "surge.factor": "3", "surge.minimum": "10",
           "surge.recipient": "governor"}


def _with(name: str, value: str | None) -> str:
    """The Orenburg diagram with the property ``name`` set to ``value`` (None: removed)."""
    start = ORENBURG.index(f'<camunda:property name="{name}" ')
    end = ORENBURG.index("/>", start) + 2
    replacement = "" if value is None else f'<camunda:property name="{name}" value="{value}" />'
    return ORENBURG[:start] + replacement + ORENBURG[end:]


def _problems(source: str) -> list[Problem]:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", source.encode("utf-8"))], library_forms())
    return refused.value.problems


def test_the_shipped_orenburg_and_smolensk_rules() -> None:
    from engine.bpmn.reader import read_diagram

    orenburg = surge_rule(read_diagram(ORENBURG).properties)
    smolensk = surge_rule(read_diagram(SMOLENSK).properties)
    assert orenburg == SurgeRule(60, 28, 3.0, 10, ("governor",), "21")
    assert smolensk == SurgeRule(60, 28, 3.0, 10, ("governor",), "15")
    assert orenburg.windows_in_baseline == 672 and orenburg.threshold(0.5) == 10 and orenburg.threshold(5) == 15


@pytest.mark.parametrize(("name", "value", "says"), [
    ("surge.window", "0", "out of bounds: from 5 to 1440"),
    ("surge.window", "1441", "out of bounds: from 5 to 1440"),
    ("surge.window", "30.5", "not a whole number"),
    ("surge.baseline_days", "91", "from 1 to 90"),
    ("surge.factor", "0.5", "from 1 to 100"),
    ("surge.factor", "три", "is not a number"),
    ("surge.factor", "nan", "is not a number"),
    ("surge.minimum", "1", "from 2 to 10000"),
    ("surge.recipient", "agency_head", "recipient 'agency_head' does not fit"),
    ("surge.recipient", "governer", "recipient 'governer' does not fit"),
    ("surge.window", None, "declares a surge rule (surge.* properties) but not 'surge.window'"),
    ("surge.recipient", None, "but not 'surge.recipient'"),
    ("surge.clause", "x" * 33, "longer than 32 characters"),
])
def test_a_wrong_rule_is_refused_at_deployment_naming_the_property(name: str, value: str | None, says: str) -> None:
    [problem] = _problems(_with(name, value))
    assert problem.element == "orenburg" and name in problem.text and says in problem.text


def test_a_factor_may_be_a_fraction_and_the_clause_is_optional() -> None:
    plan([Source("orenburg.bpmn", _with("surge.factor", "2,5").encode("utf-8"))], library_forms())
    rule, problems = read_rule({**SHIPPED, "surge.factor": "2.5"})
    assert problems == [] and rule is not None and rule.factor == 2.5 and rule.clause == ""


def test_no_surge_property_no_rule() -> None:
    assert read_rule({"region": "orenburg"}) == (None, [])


def test_an_unknown_surge_property_is_refused_like_any_unknown_property() -> None:
    source = ORENBURG.replace('<camunda:property name="surge.clause" value="21" />',
                              '<camunda:property name="surge.clause" value="21" /><camunda:property name="surge.level" value="3" />')
    assert any("surge.level" in p.text for p in _problems(source))


def test_the_rule_in_words_for_the_regulator() -> None:
    rule = SurgeRule(60, 28, 3.0, 10, ("governor",), "21")
    assert describe(rule).render("ru") == ("Всплеск: от 10 сообщений одной темы и места за 60 минут, в 3 раза выше "
                                           "обычного за 28 дней → Губернатору (п. 21)")
    assert describe(rule).render("en") == ("Surge: from 10 messages of one topic and place in 60 minutes, 3 times the "
                                           "usual over 28 days → the Governor (cl. 21)")
    other = SurgeRule(30, 1, 2.5, 21, ("governor", "supervisor"))
    assert describe(other).render("ru") == ("Всплеск: от 21 сообщения одной темы и места за 30 минут, в 2,5 раза выше "
                                            "обычного за 1 день → Губернатору, контролирующему")


@pytest.mark.parametrize(("number", "ru"), [
    (1, "1 сообщение"), (2, "2 сообщения"), (5, "5 сообщений"), (11, "11 сообщений"), (21, "21 сообщение"),
    (22, "22 сообщения"), (112, "112 сообщений"), (0.5, "0,5 сообщения"),
])
def test_counts_read_right(number: float, ru: str) -> None:
    assert counted(number, "messages").render("ru") == ru
    assert plural_form(1, "en") == "one" and counted(21, "messages").render("en") == "21 messages"
    with texts.language("ru"):
        assert str(counted(number, "messages")) == ru
