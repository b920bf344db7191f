"""Camunda Forms: definition checks at deployment, the FEEL subset, submission validation."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import expressions
from engine.errors import InvalidSubmission
from engine.forms import (SUPPORTED_TYPES, FormDefinition, FormError, feel_to_expression, parse_form,
                          validate_submission, visible_fields)

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


def form_text(*components: dict[str, Any], form_id: str = "triage") -> str:
    return json.dumps({"id": form_id, "type": "default", "schemaVersion": 16, "components": list(components)})


def form(*components: dict[str, Any]) -> FormDefinition:
    return parse_form(form_text(*components))


def problems(*components: dict[str, Any]) -> list[str]:
    with pytest.raises(FormError) as caught:
        parse_form(form_text(*components))
    return caught.value.problems


def errors(definition: FormDefinition, submitted: dict[str, Any], context: dict[str, Any] | None = None,
           options: dict[str, list[str]] | None = None) -> dict[str, str]:
    with pytest.raises(InvalidSubmission) as caught:
        validate_submission(definition, submitted, context or {}, options or {})
    return caught.value.errors


def clean(definition: FormDefinition, submitted: dict[str, Any], context: dict[str, Any] | None = None,
          options: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return validate_submission(definition, submitted, context or {}, options or {})


def options(*values: str) -> list[dict[str, str]]:
    return [{"label": v.title(), "value": v} for v in values]


TEXT = {"id": "F_name", "type": "textfield", "key": "name", "label": "Name"}
CATEGORY = {"id": "F_cat", "type": "select", "key": "category", "values": options("threat", "repeat", "other")}


# --- parse_form: a valid form ---------------------------------------------------------------------

def test_parses_fields_in_order_with_groups_expanded() -> None:
    definition = form(
        {"type": "text", "id": "T1", "text": "# Triage"},
        dict(TEXT, validate={"required": True, "minLength": 2, "maxLength": 200, "pattern": "[A-Za-zА-Яа-я ]+"}),
        {"type": "group", "id": "G1", "components": [
            {"type": "number", "id": "F_n", "key": "count", "validate": {"min": 0, "max": 10}, "defaultValue": 3},
            {"type": "group", "id": "G2", "components": [{"type": "checkbox", "id": "F_ok", "key": "competent"}]},
        ]},
        {"type": "filepicker", "id": "F_f", "key": "attachments", "multiple": True},
    )
    assert definition.id == "triage"
    assert [f.key for f in definition.fields] == ["name", "count", "competent", "attachments"]
    name, count, competent, files = definition.fields
    assert (name.type, name.label, name.required, name.min_length, name.max_length) == ("textfield", "Name", True, 2, 200)
    assert name.pattern == "[A-Za-zА-Яа-я ]+" and name.hide_if is None and name.id == "F_name"
    assert (count.minimum, count.maximum, count.default) == (0, 10, 3)
    assert competent.type == "checkbox" and files.multiple
    assert definition.schema["components"][0]["text"] == "# Triage"


def test_static_and_dynamic_options() -> None:
    definition = form(CATEGORY, {"type": "radio", "id": "R", "key": "agency", "valuesKey": "agency_options"})
    assert definition.fields[0].values == ("threat", "repeat", "other")
    assert definition.fields[1].values is None and definition.fields[1].values_key == "agency_options"


def test_empty_form_and_utf8_bom() -> None:
    assert parse_form("\ufeff" + form_text()).fields == ()


# --- parse_form: refused definitions ----------------------------------------------------------------

def test_unsupported_type_refused_with_its_id() -> None:
    found = problems(TEXT, {"type": "dynamiclist", "id": "List_1", "components": []})
    assert len(found) == 1
    assert found[0].startswith("component type 'dynamiclist' is not supported by the Otklik renderer (component 'List_1'): use one of:")
    assert all(kind in found[0] for kind in SUPPORTED_TYPES)


def test_submit_button_gets_a_hint() -> None:
    [found] = problems({"type": "button", "id": "Submit", "action": "submit"})
    assert "'Submit'" in found and "own submit button" in found


def test_unsupported_type_inside_group_refused() -> None:
    [found] = problems({"type": "group", "id": "G", "components": [{"type": "iframe", "id": "Frame"}]})
    assert "'iframe'" in found and "'Frame'" in found


@pytest.mark.parametrize("key", [None, "", "1st", "_secret", "a.b", "my key", "class", 5])
def test_bad_keys_refused(key: Any) -> None:
    [found] = problems({"type": "textfield", "id": "F1", "key": key})
    assert "(component 'F1')" in found and "valid field name" in found


def test_duplicate_keys_refused_also_across_groups() -> None:
    found = problems(
        dict(TEXT, id="A"),
        {"type": "group", "id": "G", "components": [dict(TEXT, id="B"), {"type": "group", "id": "G2", "components": [dict(TEXT, id="C")]}]},
    )
    assert len(found) == 2
    assert found[0].startswith("key 'name' is also used by component 'A' (component 'B')")
    assert "(component 'C')" in found[1]


def test_bad_pattern_refused() -> None:
    [found] = problems(dict(TEXT, validate={"pattern": "([a-z]"}))
    assert "validate.pattern '([a-z]' is not a valid regular expression" in found and "'F_name'" in found


@pytest.mark.parametrize("rule", [{"minLength": "5"}, {"maxLength": -1}, {"maxLength": 2.5}, {"min": "zero"},
                                  {"max": True}, {"minLength": 5, "maxLength": 2}, {"min": 3, "max": 1}])
def test_non_numeric_or_inverted_limits_refused(rule: dict[str, Any]) -> None:
    [found] = problems({"type": "number" if "min" in rule or "max" in rule else "textfield", "id": "N", "key": "n", "validate": rule})
    assert "(component 'N')" in found and "validate." in found


@pytest.mark.parametrize("component, fragment", [
    ({"type": "select", "id": "S", "key": "s"}, "has no options"),
    ({"type": "radio", "id": "S", "key": "s", "values": []}, "non-empty list"),
    ({"type": "checklist", "id": "S", "key": "s", "values": [{"label": "A"}]}, "non-empty list"),
    ({"type": "select", "id": "S", "key": "s", "values": options("a", "a")}, "same value"),
    ({"type": "select", "id": "S", "key": "s", "values": options("a"), "valuesKey": "k"}, "not both"),
    ({"type": "select", "id": "S", "key": "s", "valuesKey": "bad key"}, "valuesKey"),
    ({"type": "select", "id": "S", "key": "s", "valuesExpression": "=opts"}, "valuesKey with options"),
])
def test_bad_options_refused(component: dict[str, Any], fragment: str) -> None:
    [found] = problems(component)
    assert fragment in found and "(component 'S')" in found


@pytest.mark.parametrize("prop, value", [("label", "=upper(name)"), ("readonly", "=done"), ("description", " =x"),
                                         ("validate", {"required": "=urgent"}), ("defaultValue", "=today()")])
def test_dynamic_feel_properties_refused(prop: str, value: Any) -> None:
    [found] = problems(dict(TEXT, **{prop: value}))
    assert "is a FEEL expression, which the Otklik renderer does not support (component 'F_name')" in found


def test_pattern_starting_with_equals_is_not_feel() -> None:
    assert form(dict(TEXT, validate={"pattern": "=\\d+"})).fields[0].pattern == "=\\d+"


@pytest.mark.parametrize("component", [
    dict(TEXT, defaultValue="x" * 201, validate={"maxLength": 200}),
    dict(CATEGORY, defaultValue="unknown"),
    {"type": "number", "id": "N", "key": "n", "defaultValue": 11, "validate": {"max": 10}},
    {"type": "checkbox", "id": "C", "key": "c", "defaultValue": "maybe"},
    {"type": "checklist", "id": "L", "key": "l", "values": options("a"), "defaultValue": ["a", "b"]},
    {"type": "datetime", "id": "D", "key": "d", "subtype": "date", "defaultValue": "31.05.2024"},
])
def test_default_value_must_satisfy_the_rules(component: dict[str, Any]) -> None:
    [found] = problems(component)
    assert found.startswith("defaultValue ") and "is invalid" in found


def test_valid_defaults_are_cleaned() -> None:
    definition = form({"type": "number", "id": "N", "key": "n", "defaultValue": "5"},
                      {"type": "select", "id": "S", "key": "s", "valuesKey": "opts", "defaultValue": "anything"},
                      {"type": "checkbox", "id": "C", "key": "c", "defaultValue": True},
                      dict(TEXT, defaultValue="", validate={"required": True, "minLength": 3}))
    assert [f.default for f in definition.fields] == [5, "anything", True, ""]


def test_group_path_and_bad_subtype_refused() -> None:
    found = problems({"type": "group", "id": "G", "path": "address", "components": []},
                     {"type": "datetime", "id": "D", "key": "d", "subtype": "week"})
    assert "group 'path' is not supported (component 'G')" in found[0]
    assert "datetime subtype 'week' is not supported (component 'D')" in found[1]


@pytest.mark.parametrize("text, fragment", [
    ("{", "not valid JSON"), ("[]", "not a JSON object"), ('{"id": "x", "components": [], "a": NaN}', "not valid JSON"),
    (json.dumps({"components": []}), "has no id"), (json.dumps({"id": "9 bad", "components": []}), "form id '9 bad'"),
    (json.dumps({"id": "ok"}), "no 'components' list"), (json.dumps({"id": "ok", "components": [1]}), "components[0]"),
])
def test_bad_documents_refused(text: str, fragment: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(text, source="forms/x.form")
    assert fragment in str(caught.value) and caught.value.source == "forms/x.form"


def test_odd_values_are_reported_not_crashing() -> None:
    found = problems({"type": "datetime", "id": "D", "key": "d", "subtype": ["date"]},
                     {"type": ["textfield"], "id": "T"}, {"type": "select", "id": "S", "key": "s", "valuesKey": ["k"]},
                     dict(TEXT, validate={"pattern": 5, "validationType": ["email"]}), dict(TEXT, id="C", key="c", validate=["required"]))
    assert len(found) == 6
    with pytest.raises(FormError, match="must be JSON text"):
        parse_form(b"{}")  # type: ignore[arg-type]


def test_size_limit() -> None:
    padding = {"type": "text", "id": "T", "text": ""}
    fits = form_text(padding)
    padding["text"] = "x" * (256 * 1024 - len(fits))
    assert len(form_text(padding).encode()) == 256 * 1024
    parse_form(form_text(padding))
    padding["text"] += "ы"  # counted in bytes, not characters
    with pytest.raises(FormError, match="too large"):
        parse_form(form_text(padding))


def test_all_problems_reported_together_one_line_each() -> None:
    with pytest.raises(FormError) as caught:
        parse_form(json.dumps({"id": "f", "components": [
            {"type": "html", "id": "H"}, dict(TEXT, validate={"pattern": "("}),
            {"type": "textfield", "id": "K", "key": "name"}, dict(CATEGORY, conditional={"hide": "=x in [1]"}),
        ]}))
    found = caught.value.problems
    assert len(found) == 4
    assert [p.split("(component ")[1][:5] for p in found] == ["'H'):", "'F_na", "'K'):", "'F_ca"]
    assert all("\n" not in p for p in found) and "\n" not in str(caught.value)


def test_deeply_nested_groups_refused() -> None:
    inner: dict[str, Any] = TEXT
    for level in range(15):
        inner = {"type": "group", "id": f"G{level}", "components": [inner]}
    assert "nested more than" in problems(inner)[0]


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


# --- submissions ----------------------------------------------------------------------------------

def test_unknown_keys_are_dropped() -> None:
    definition = form(TEXT)
    assert clean(definition, {"name": "Ann", "published": True, "__class__": "x", "category": "threat"}) == {"name": "Ann"}


def test_readonly_and_disabled_fields_are_ignored() -> None:
    definition = form(dict(TEXT, readonly=True, validate={"required": True}), {"type": "checkbox", "id": "C", "key": "ok", "disabled": True})
    assert definition.fields[0].readonly and definition.fields[1].readonly
    assert clean(definition, {"name": "forged", "ok": True}) == {}


def test_empty_optional_values() -> None:
    definition = form(TEXT, {"type": "textarea", "id": "A", "key": "a"}, {"type": "number", "id": "N", "key": "n"}, CATEGORY,
                      {"type": "checklist", "id": "L", "key": "l", "values": options("a")}, {"type": "checkbox", "id": "C", "key": "c"},
                      {"type": "datetime", "id": "D", "key": "d"}, {"type": "filepicker", "id": "P", "key": "p"})
    assert clean(definition, {"name": "   ", "n": "", "l": []}) == \
        {"name": "", "a": "", "n": None, "category": None, "l": [], "c": False, "d": None, "p": []}


@pytest.mark.parametrize("kind", ["textfield", "textarea", "number", "select", "radio", "checklist", "datetime", "filepicker", "checkbox"])
@pytest.mark.parametrize("value", [None, "", "  ", []])
def test_required_empty_is_an_error(kind: str, value: Any) -> None:
    component = {"type": kind, "id": "X", "key": "x", "validate": {"required": True}}
    if kind in ("select", "radio", "checklist"):
        component["values"] = options("a")
    assert errors(form(component), {"x": value}) == {"x": "required"}


def test_text_rules() -> None:
    definition = form(dict(TEXT, validate={"minLength": 2, "maxLength": 200, "pattern": "\\s*[A-Z][A-Za-z ]+"}))
    assert clean(definition, {"name": "  Ann  Lee "}) == {"name": "  Ann  Lee "}  # not stripped
    assert errors(definition, {"name": "A" + "a" * 200}) == {"name": "must be at most 200 characters"}
    assert errors(definition, {"name": "A"}) == {"name": "must be at least 2 characters"}
    assert errors(definition, {"name": "ann"}) == {"name": "does not match the required format"}
    assert errors(definition, {"name": "Ann1"}) == {"name": "does not match the required format"}  # whole value
    assert errors(definition, {"name": 42}) == {"name": "must be text"}
    assert errors(definition, {"name": "Ann\x00"}) == {"name": "must not contain NUL characters"}


def test_text_default_length_limit_and_validation_types() -> None:
    definition = form(TEXT, {"type": "textfield", "id": "E", "key": "email", "validate": {"validationType": "email"}},
                      {"type": "textfield", "id": "P", "key": "phone", "validate": {"validationType": "phone"}})
    assert errors(definition, {"name": "x" * 1001}) == {"name": "must be at most 1000 characters"}
    assert clean(definition, {"email": "a@b.ru", "phone": "+7 (900) 123-45-67"})["phone"] == "+7 (900) 123-45-67"
    assert errors(definition, {"email": "a@b", "phone": "call me"}) == \
        {"email": "must be an email address", "phone": "must be a phone number"}
    assert "validationType" in problems(dict(TEXT, validate={"validationType": "iban"}))[0]


@pytest.mark.parametrize("raw, expected", [("9", 9), ("9.5", 9.5), (" -3 ", -3), (7, 7), (2.25, 2.25), ("1e3", 1000.0), ("+4", 4)])
def test_number_coercion(raw: Any, expected: Any) -> None:
    value = clean(form({"type": "number", "id": "N", "key": "n"}), {"n": raw})["n"]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("raw", ["abc", "nan", "NaN", "inf", "-Infinity", float("nan"), float("inf"), True, "9,5", "1 000", [1], "10" * 20])
def test_number_rejects(raw: Any) -> None:
    message = errors(form({"type": "number", "id": "N", "key": "n"}), {"n": raw})["n"]
    assert message in ("must be a number", "is too large")


def test_number_limits_and_decimal_digits() -> None:
    definition = form({"type": "number", "id": "N", "key": "n", "validate": {"min": 1, "max": 10.5}},
                      {"type": "number", "id": "W", "key": "w", "decimalDigits": 0},
                      {"type": "number", "id": "M", "key": "m", "decimalDigits": 2})
    assert errors(definition, {"n": "0"}) == {"n": "must be at least 1"}
    assert errors(definition, {"n": 11}) == {"n": "must be at most 10.5"}
    assert clean(definition, {"n": "10.5", "w": "4.0", "m": "1.25"}) == {"n": 10.5, "w": 4, "m": 1.25}
    assert errors(definition, {"w": "4.5", "m": "1.255"}) == {"w": "must be a whole number", "m": "must have at most 2 digits after the point"}


def test_select_and_radio_static_options() -> None:
    definition = form(CATEGORY, {"type": "radio", "id": "R", "key": "r", "values": options("yes", "no")})
    assert clean(definition, {"category": "repeat", "r": "no"}) == {"category": "repeat", "r": "no"}
    assert errors(definition, {"category": "spam", "r": ["yes"]}) == \
        {"category": "must be one of: threat, repeat, other", "r": "must be one of: yes, no"}


def test_dynamic_options_via_values_key() -> None:
    definition = form({"type": "select", "id": "S", "key": "agency", "valuesKey": "agency_options"},
                      {"type": "checklist", "id": "L", "key": "copies", "valuesKey": "agency_options"})
    agencies = {"agency_options": ["health", "roads"]}
    assert clean(definition, {"agency": "roads", "copies": ["health"]}, options=agencies) == {"agency": "roads", "copies": ["health"]}
    assert errors(definition, {"agency": "police", "copies": ["police"]}, options=agencies) == \
        {"agency": "must be one of: health, roads", "copies": "must be one of: health, roads"}
    # form-js style: the list may also be task data of {label, value} items.
    assert clean(definition, {"agency": "a"}, context={"agency_options": [{"label": "A", "value": "a"}]})["agency"] == "a"
    assert errors(definition, {"agency": "roads"}) == {"agency": "no options are available; ask the administrator"}
    many = {"agency_options": [f"a{i}" for i in range(30)]}
    assert errors(definition, {"agency": "zz"}, options=many) == {"agency": "must be one of the offered options"}


@pytest.mark.parametrize("raw, expected", [(True, True), (False, False), ("true", True), ("false", False), ("on", True),
                                           ("1", True), ("0", False), ("TRUE", True), (None, False), (1, True), ("", False)])
def test_checkbox_coercion(raw: Any, expected: bool) -> None:
    definition = form({"type": "checkbox", "id": "C", "key": "c"})
    assert clean(definition, {"c": raw} if raw is not None else {}) == {"c": expected}


@pytest.mark.parametrize("raw", ["yes", 2, [True], "tru"])
def test_checkbox_rejects(raw: Any) -> None:
    assert errors(form({"type": "checkbox", "id": "C", "key": "c"}), {"c": raw}) == {"c": "must be true or false"}


def test_required_checkbox_must_be_ticked() -> None:
    definition = form({"type": "checkbox", "id": "C", "key": "consent", "validate": {"required": True}})
    assert errors(definition, {"consent": "false"}) == {"consent": "required"}
    assert clean(definition, {"consent": "on"}) == {"consent": True}


def test_checklist() -> None:
    definition = form({"type": "checklist", "id": "L", "key": "tags", "values": options("a", "b", "c")})
    assert clean(definition, {"tags": ["c", "a"]}) == {"tags": ["c", "a"]}
    assert clean(definition, {"tags": "b"}) == {"tags": ["b"]}  # one ticked box arrives as a string
    assert errors(definition, {"tags": ["a", "a"]}) == {"tags": "must not list an option twice"}
    assert errors(definition, {"tags": ["a", "z"]}) == {"tags": "must be one of: a, b, c"}
    assert errors(definition, {"tags": {"a": 1}}) == {"tags": "must be a list of options"}


@pytest.mark.parametrize("subtype, raw, expected", [
    (None, "2024-05-31T14:30", "2024-05-31T14:30:00"),
    (None, "2024-05-31T14:30:00Z", "2024-05-31T14:30:00+00:00"),
    ("datetime", "2024-05-31 14:30:15+03:00", "2024-05-31T14:30:15+03:00"),
    ("date", "2024-05-31", "2024-05-31"),
    ("time", "14:30", "14:30:00"),
])
def test_datetime_parsing(subtype: str | None, raw: str, expected: str) -> None:
    component = {"type": "datetime", "id": "D", "key": "d", **({"subtype": subtype} if subtype else {})}
    assert clean(form(component), {"d": raw}) == {"d": expected}


@pytest.mark.parametrize("subtype, raw", [(None, "31.05.2024"), (None, "2024-13-01T00:00"), ("date", "2024-05-31T10:00"),
                                          ("time", "25:00"), (None, 20240531), (None, "2024-05-31T" + "0" * 100)])
def test_datetime_rejects(subtype: str | None, raw: Any) -> None:
    component = {"type": "datetime", "id": "D", "key": "d", **({"subtype": subtype} if subtype else {})}
    assert errors(form(component), {"d": raw})["d"].startswith("must be a ")


def test_filepicker() -> None:
    single = form({"type": "filepicker", "id": "P", "key": "scan"})
    multi = form({"type": "filepicker", "id": "P", "key": "scans", "multiple": True})
    assert clean(single, {"scan": "file-1"}) == {"scan": ["file-1"]}
    assert errors(single, {"scan": ["file-1", "file-2"]}) == {"scan": "must be a single file"}
    assert clean(multi, {"scans": ["file-1", "file-2"]}) == {"scans": ["file-1", "file-2"]}
    assert errors(multi, {"scans": [1, "x"]}) == {"scans": "must be a list of file references"}
    assert errors(multi, {"scans": ["ok", " "]}) == {"scans": "must be a list of file references"}


def test_text_and_group_produce_nothing() -> None:
    definition = form({"type": "text", "id": "T", "text": "Hello"}, {"type": "group", "id": "G", "components": []})
    assert definition.fields == () and clean(definition, {"T": "x", "G": "y"}) == {}


def test_multiple_errors_reported_together() -> None:
    definition = form(dict(TEXT, validate={"required": True}), {"type": "number", "id": "N", "key": "n", "validate": {"max": 5}},
                      CATEGORY, {"type": "datetime", "id": "D", "key": "d", "subtype": "date"})
    with pytest.raises(InvalidSubmission) as caught:
        validate_submission(definition, {"n": "6", "category": "x", "d": "tomorrow"}, {})
    assert caught.value.errors == {"name": "required", "n": "must be at most 5",
                                   "category": "must be one of: threat, repeat, other", "d": "must be a date like 2024-05-31"}
    assert "name: required" in str(caught.value)


def test_options_argument_is_optional() -> None:
    assert validate_submission(form(TEXT), {"name": "x"}, {}) == {"name": "x"}


# --- the project's own forms ------------------------------------------------------------------------

def test_every_form_in_forms_dir_parses() -> None:
    files = sorted(FORMS_DIR.glob("*.form"))
    if not files:
        pytest.skip("no forms/*.form yet")
    ids = [parse_form(path.read_text(encoding="utf-8"), source=str(path)).id for path in files]
    assert len(ids) == len(set(ids)), "form ids must be unique"
