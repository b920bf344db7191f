"""Camunda Forms: the FEEL subset and conditional visibility of fields."""
from __future__ import annotations

import pytest

from engine import texts
from engine.expressions import language as expressions
from engine.forms import FormError, feel_to_expression, parse_form, visible_fields
from engine.texts import render
from tests.unit.forms_support import CATEGORY, TEXT, clean, errors, form, form_text, problems

# --- FEEL subset ------------------------------------------------------------------------------------

@pytest.mark.parametrize("feel, expected", [
    ('=category != "repeat"', "category != 'repeat'"),
    ("=not(competent)", "(competent) is False"),
    ('=a = "x" or b = "y"', "a == 'x' or b == 'y'"),
    ('=note = "a = b and c or not(d)"', "note == 'a = b and c or not(d)'"),
    ('=quote = "say \\"hi\\""', "quote == 'say \"hi\"'"),
    ("=(a or b) and n <= -2.50", "(a or b) and n <= -2.5"),
    ("=not(done) = false", "((done) is False) == False"),
    ("=not(a = 1 or not(b))", "(a == 1 or (b) is False) is False"),
    ("=count >= 007 and x != null and y = true", "count >= 7 and x != None and y == True"),
    ('  category = "threat"', "category == 'threat'"),  # the leading = is optional
])
def test_feel_translation(feel: str, expected: str) -> None:
    assert feel_to_expression(feel) == expected
    expressions.check(expected, functions=())


@pytest.mark.parametrize("feel, fragment", [
    ("=some(x in y satisfies x > 1)", "some/every"), ("=a.b", "paths (a.b)"), ("=x in [1,2]", "'in' is not supported"),
    ("=count(x) > 1", "function calls"), ("=a + 1 > 2", "arithmetic"), ("=a < b < c", "chained"),
    ("=if a then b else c", "if-then-else"), ("=a = 'x'", "double quotes"), ("=", "empty"), ('="abc', "not closed"),
    ("=(a", "not closed"), ("=not a", "not(...)"), ("=first name = 1", "unexpected name 'name'"),
    ("=True", "'True' cannot be used"), ("=_x = 1", "'_'"), ("=a =", "incomplete"), ('=d = @"2024-01-01"', "date literals"),
    ("=x between 1 and 2", "'between'"), ("=a ! b", "unexpected character"), ('=a = "\\q"', "escape"),
])
def test_feel_outside_subset_refused(feel: str, fragment: str) -> None:
    with pytest.raises(FormError) as caught:
        feel_to_expression(feel)
    assert fragment in str(caught.value)


def test_condition_outside_subset_refused_with_component() -> None:
    [found] = problems(dict(TEXT, conditional={"hide": "=x in [1,2]"}))
    assert found.startswith("conditional.hide '=x in [1,2]' is outside the supported FEEL subset (component 'F_name'): 'in'")


def test_condition_problems_are_russian_by_default_and_english_on_request() -> None:
    """The nested refusal (feel.py) renders in the same language as the line that quotes it."""
    with pytest.raises(FormError) as caught:
        parse_form(form_text(dict(TEXT, conditional={"hide": "=x in [1,2]"})))
    [found] = caught.value.problems
    assert render(found, "ru") == ("conditional.hide '=x in [1,2]' выходит за поддерживаемое подмножество FEEL "
                                   "(компонент 'F_name'): 'in' не поддерживается; пишите x = \"a\" or x = \"b\"")
    assert render(found, "en").startswith("conditional.hide '=x in [1,2]' is outside the supported FEEL subset "
                                          "(component 'F_name'): 'in' is not supported")
    with pytest.raises(FormError) as empty:
        feel_to_expression("=")
    with texts.language("ru"):
        assert str(empty.value) == "условие пустое; напишите, например, =category = \"repeat\" или удалите его"


# --- visibility -----------------------------------------------------------------------------------

HIDDEN_FORM = [
    CATEGORY,
    {"type": "textarea", "id": "F_reason", "key": "reason", "validate": {"required": True},
     "conditional": {"hide": '=category != "repeat"'}},
    {"type": "group", "id": "G", "conditional": {"hide": "=not(competent)"}, "components": [
        {"type": "textfield", "id": "F_answer", "key": "answer", "validate": {"required": True}},
        {"type": "textfield", "id": "F_extra", "key": "extra", "conditional": {"hide": "=reason = null"}},
    ]},
]


def test_group_condition_applies_to_its_fields() -> None:
    answer = form(*HIDDEN_FORM).fields[2]
    assert answer.hide_if == "(competent) is False"
    assert form(*HIDDEN_FORM).fields[3].hide_if == "((competent) is False) or (reason == None)"


def test_visible_fields() -> None:
    definition = form(*HIDDEN_FORM)
    assert [f.key for f in visible_fields(definition, {"category": "repeat", "competent": True, "reason": "r"})] == \
        ["category", "reason", "answer", "extra"]
    # Unknown names are null: not(null) is not true in FEEL, and a hidden field counts as null for later conditions.
    assert [f.key for f in visible_fields(definition, {"category": "threat", "reason": "r"})] == ["category", "answer"]
    assert [f.key for f in visible_fields(definition, {"category": "threat", "competent": False})] == ["category"]


def test_not_of_null_does_not_hide_but_unticked_checkbox_does() -> None:
    definition = form({"type": "checkbox", "id": "C", "key": "ok"}, dict(TEXT, conditional={"hide": "=not(ok)"}),
                      {"type": "textfield", "id": "X", "key": "x", "conditional": {"hide": "=not(unknown)"}})
    # form-js semantics: a form field starts empty (false); not(null) is null, which is not true.
    assert [f.key for f in visible_fields(definition, {})] == ["ok", "x"]
    assert [f.key for f in visible_fields(definition, {"ok": True, "unknown": False})] == ["ok", "name"]
    assert clean(definition, {"name": "n", "x": "x"}) == {"ok": False, "x": "x"}


def test_hidden_fields_not_required_and_dropped() -> None:
    definition = form(*HIDDEN_FORM)
    submitted = {"category": "threat", "competent": True, "reason": "ignored", "answer": "", "extra": "x"}
    # competent is not a form field, so only the task data decides; the submitted value is ignored.
    assert clean(definition, submitted, {"competent": False}) == {"category": "threat"}
    assert errors(definition, {"category": "repeat"}, {"competent": True}) == {"reason": "required", "answer": "required"}


def test_condition_that_cannot_be_evaluated_leaves_the_field_visible() -> None:
    definition = form({"type": "number", "id": "N", "key": "n"},
                      dict(TEXT, validate={"required": True}, conditional={"hide": "=n < 5"}))
    assert errors(definition, {"n": ""}) == {"name": "required"}  # null < 5 is not true
    assert clean(definition, {"n": "3"}) == {"n": 3}


def test_hidden_value_in_context_is_not_written() -> None:
    definition = form(CATEGORY, dict(TEXT, conditional={"hide": '=category = "threat"'}))
    context = {"name": "old"}
    assert clean(definition, {"category": "threat", "name": "x"}, context) == {"category": "threat"}
    assert context == {"name": "old"}  # task data is never modified here
    data = {"category": "threat"}
    assert [f.key for f in visible_fields(definition, data)] == ["category"] and data == {"category": "threat"}
