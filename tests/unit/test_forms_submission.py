"""Camunda Forms: submission validation and value coercion for every field type."""
from __future__ import annotations

from typing import Any

import pytest

from engine import texts
from engine.errors import InvalidSubmission
from engine.forms import validate_submission
from engine.texts import render
from tests.unit.forms_support import CATEGORY, TEXT, clean, errors, form, options, problems

# --- submissions ----------------------------------------------------------------------------------

def test_unknown_keys_are_dropped() -> None:
    definition = form(TEXT)
    assert clean(definition, {"name": "Ann", "published": True, "__class__": "x", "category": "threat"}) == {"name": "Ann"}


def test_readonly_and_disabled_fields_are_ignored() -> None:
    definition = form(dict(TEXT, readonly=True, validate={"required": True}), {"type": "checkbox", "id": "C", "key": "ok", "disabled": True})  # noqa: E501 - test data
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
    assert errors(definition, {"w": "4.5", "m": "1.255"}) == {"w": "must be a whole number", "m": "must have at most 2 digits after the point"}  # noqa: E501 - test data


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
    assert {k: render(v) for k, v in caught.value.errors.items()} == {"name": "required", "n": "must be at most 5",
                                   "category": "must be one of: threat, repeat, other", "d": "must be a date like 2024-05-31"}
    assert "name: required" in str(caught.value)


def test_options_argument_is_optional() -> None:
    assert validate_submission(form(TEXT), {"name": "x"}, {}) == {"name": "x"}


def test_field_errors_are_russian_by_default_and_english_on_request() -> None:
    """A field error is a Text: rendered when shown, in the reader's language — not when it is raised."""
    definition = form(dict(TEXT, validate={"required": True}), {"type": "number", "id": "N", "key": "n", "validate": {"max": 5}},
                      CATEGORY, {"type": "datetime", "id": "D", "key": "d", "subtype": "date"},
                      {"type": "number", "id": "P", "key": "p", "decimalDigits": 1})
    with pytest.raises(InvalidSubmission) as caught:
        validate_submission(definition, {"n": "6", "category": "x", "d": "tomorrow", "p": "1.25"}, {})
    refused = caught.value
    assert {k: v.render("ru") for k, v in refused.errors.items()} == {
        "name": "Обязательное поле", "n": "Не больше 5", "category": "Выберите один из вариантов: threat, repeat, other",
        "d": "Введите дату", "p": "Не более 1 знаков после запятой"}
    assert {k: v.render("en") for k, v in refused.errors.items()} == {
        "name": "required", "n": "must be at most 5", "category": "must be one of: threat, repeat, other",
        "d": "must be a date like 2024-05-31", "p": "must have at most 1 digits after the point"}
    with texts.language("ru"):
        assert str(refused).startswith("name: Обязательное поле; n: Не больше 5")
    with texts.language("en"):
        assert str(refused).startswith("name: required; n: must be at most 5")


def test_field_errors_are_russian_when_no_language_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTKLIK_LANG", raising=False)  # the suite pins English (tests/conftest.py)
    monkeypatch.delenv("LANG", raising=False)
    assert errors(form(dict(TEXT, validate={"required": True})), {}) == {"name": "Обязательное поле"}
