"""Camunda Forms: definition checks at deployment (parse_form) and the project's own forms."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import texts
from engine.forms import SUPPORTED_TYPES, FormError, parse_form
from engine.texts import render
from tests.unit.forms_support import CATEGORY, TEXT, form, form_text, options, problems

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


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
    texts = [{"type": "text", "id": f"T{n}", "text": "x" * 19_000} for n in range(13)]  # each within MAX_STATIC_TEXT
    padding = {"type": "text", "id": "T", "text": ""}
    fits = form_text(*texts, padding)
    padding["text"] = "x" * (256 * 1024 - len(fits))
    assert len(form_text(*texts, padding).encode()) == 256 * 1024
    parse_form(form_text(*texts, padding))
    padding["text"] += "ы"  # counted in bytes, not characters
    with pytest.raises(FormError, match="too large"):
        parse_form(form_text(*texts, padding))


def test_all_problems_reported_together_one_line_each() -> None:
    with pytest.raises(FormError) as caught:
        parse_form(json.dumps({"id": "f", "components": [
            {"type": "html", "id": "H"}, dict(TEXT, validate={"pattern": "("}),
            {"type": "textfield", "id": "K", "key": "name"}, dict(CATEGORY, conditional={"hide": "=x in [1]"}),
        ]}))
    found = [render(problem) for problem in caught.value.problems]  # Texts, in the suite's language
    assert len(found) == 4
    assert [p.split("(component ")[1][:5] for p in found] == ["'H'):", "'F_na", "'K'):", "'F_ca"]
    assert all("\n" not in p for p in found) and "\n" not in str(caught.value)


def test_deeply_nested_groups_refused() -> None:
    inner: dict[str, Any] = TEXT
    for level in range(15):
        inner = {"type": "group", "id": f"G{level}", "components": [inner]}
    assert "nested more than" in problems(inner)[0]


# --- the project's own forms ------------------------------------------------------------------------

def test_every_form_in_forms_dir_parses() -> None:
    files = sorted(FORMS_DIR.glob("*.form"))
    if not files:
        pytest.skip("no forms/*.form yet")
    ids = [parse_form(path.read_text(encoding="utf-8"), source=str(path)).id for path in files]
    assert len(ids) == len(set(ids)), "form ids must be unique"


def test_deployment_problems_are_russian_by_default_and_english_on_request() -> None:
    """A form's problems are Texts, rendered when shown: the browser's locale, the console's language."""
    with pytest.raises(FormError) as caught:
        parse_form(json.dumps({"id": "f", "components": [
            {"type": "html", "id": "H"}, dict(TEXT, validate={"pattern": "(?=x)"}),
            {"type": "number", "id": "N", "key": "n", "defaultValue": "x"}]}))
    problems = caught.value.problems
    assert [render(p, "ru") for p in problems] == [
        "тип компонента 'html' не поддерживается Otklik (компонент 'H'): используйте один из: "
        + ", ".join(sorted(SUPPORTED_TYPES)),
        "шаблон validate.pattern '(?=x)' использует опережающую проверку (lookahead), она не поддерживается "
        "(компонент 'F_name'): опишите всё значение целиком, например [0-9]{6} вместо (?=[0-9]{6}$).*",
        "defaultValue 'x' недопустимо: Введите число (компонент 'N'): измените значение по умолчанию или правила поля"]
    assert [render(p, "en") for p in problems] == [
        "component type 'html' is not supported by the Otklik renderer (component 'H'): use one of: "
        + ", ".join(sorted(SUPPORTED_TYPES)),
        "validate.pattern '(?=x)' uses a lookahead, which is not supported (component 'F_name'): "
        "describe the whole value instead, e.g. [0-9]{6} rather than (?=[0-9]{6}$).*",
        "defaultValue 'x' is invalid: must be a number (component 'N'): change the default or the field's rules"]
    with texts.language("ru"):
        assert str(caught.value).startswith("тип компонента 'html'")
    with texts.language("en"):
        assert str(caught.value).startswith("component type 'html'")


def test_a_form_that_is_not_json_is_refused_in_the_reader_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTKLIK_LANG", raising=False)  # the suite pins English (tests/conftest.py)
    monkeypatch.delenv("LANG", raising=False)
    with pytest.raises(FormError) as caught:
        parse_form("[1, 2]")
    assert str(caught.value) == "форма — не объект JSON: экспортируйте её заново из Camunda Modeler"
    with texts.language("en"):
        assert str(caught.value) == "the form is not a JSON object: export it again from Camunda Modeler"
