"""A procedure's repeat rule (process properties ``repeat.*``, engine.runtime.repeat_rule): read from the
shipped diagrams, refused at deployment naming the property when it could not be applied."""
from __future__ import annotations

import pytest

from engine.bpmn.reader import read_diagram
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError
from engine.runtime.repeat_rule import RepeatRule, read_rule
from tests.factories import ROOT

ORENBURG = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
WINDOW = '<camunda:property name="repeat.window_days" value="90" />'
CLAUSE = '<camunda:property name="repeat.clause" value="15" />'


def _refusal(source: str) -> str:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", source.encode("utf-8"))], library_forms())
    [problem] = refused.value.problems
    assert problem.element == "orenburg"
    return problem.text


def test_the_acts_with_a_repeat_clause_declare_it_and_the_others_do_not() -> None:
    rules = {path.stem: read_rule(read_diagram(path.read_bytes()).properties)
             for path in sorted((ROOT / "bpmn").glob("**/*.bpmn"))}
    assert rules.pop("orenburg") == RepeatRule(90, "15")
    assert rules.pop("kalmanka") == RepeatRule(90, "9")
    assert set(rules.values()) == {None}  # Smolensk, Kuzbass, Kaluga, the template: their acts say nothing


@pytest.mark.parametrize(("value", "said"), [
    ("0", "out of bounds: from 1 to 730"), ("731", "out of bounds"), ("90.5", "not a whole number"),
    ("девяносто", "not a whole number"), ("", "not a whole number")])
def test_a_window_out_of_bounds_or_not_a_number_is_refused(value: str, said: str) -> None:
    text = _refusal(ORENBURG.replace(WINDOW, f'<camunda:property name="repeat.window_days" value="{value}" />'))
    assert "'repeat.window_days'" in text and said in text


def test_a_clause_without_a_window_or_too_long_is_refused() -> None:
    assert "without 'repeat.window_days'" in _refusal(ORENBURG.replace(WINDOW, ""))
    long_clause = '<camunda:property name="repeat.clause" value="' + "1" * 40 + '" />'
    assert "longer than 32" in _refusal(ORENBURG.replace(CLAUSE, long_clause))


def test_a_misspelt_repeat_property_is_refused() -> None:
    assert "'repeat.window' is not one" in _refusal(ORENBURG.replace('name="repeat.window_days"', 'name="repeat.window"')
                                                    .replace(CLAUSE, ""))


def test_the_procedure_card_states_the_rule() -> None:
    from engine.texts import language
    from engine.views.procedure_card import procedure_card

    with language("ru"):
        card = procedure_card(ORENBURG)
        assert card.repeat is not None and str(card.repeat).startswith("повторные сообщения (п. 15): куратору")
        assert "за 90 дн." in str(card.repeat)
