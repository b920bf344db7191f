"""A file field declared the Camunda 7 way (a textfield with the custom properties ``files`` and
``multiple``, engine/forms/uploads.py) is read as a file field; a wrong declaration is refused at
deployment naming the component and what to write."""
from __future__ import annotations

import json
from typing import Any

import pytest

from engine.forms import FormError, parse_form
from engine.texts import render


def form(*components: dict[str, Any]) -> str:
    return json.dumps({"id": "f", "type": "default", "components": list(components)})


def files(properties: dict[str, Any], kind: str = "textfield") -> dict[str, Any]:
    return {"id": "F_scan", "type": kind, "key": "scan", "label": "Скан", "description": "PDF",
            "properties": properties}


def test_one_file_by_default_several_when_declared() -> None:
    one = parse_form(form(files({"files": ".pdf"}))).fields[0]
    several = parse_form(form(files({"files": " image/*,video/* ", "multiple": "true"}))).fields[0]
    assert (one.type, one.multiple, several.type, several.multiple) == ("filepicker", False, "filepicker", True)
    component = parse_form(form(files({"files": " image/*,video/* ", "multiple": "true"}))).schema["components"][0]
    assert (component["accept"], component["description"], component["label"]) == ("image/*,video/*", "PDF", "Скан")


def test_inside_a_group_too() -> None:
    definition = parse_form(form({"id": "G", "type": "group", "components": [files({"files": ".pdf"})]}))
    assert definition.fields[0].type == "filepicker"
    assert definition.schema["components"][0]["components"][0]["type"] == "filepicker"


def test_a_textfield_without_files_stays_a_textfield() -> None:
    field = parse_form(form(files({"hint": "x"}))).fields[0]
    assert field.type == "textfield"


@pytest.mark.parametrize(("properties", "kind", "said"), [
    ({"files": ""}, "textfield", "property 'files' is empty (component 'F_scan'): name the file types"),
    ({"files": 1}, "textfield", "property 'files' is empty"),
    ({"files": ".pdf", "multiple": "yes"}, "textfield", "property 'multiple' is 'yes' (component 'F_scan'): write true"),
    ({"files": ".pdf"}, "textarea", "property 'files' (a file field) on a component of type 'textarea' (component 'F_scan')"),
])
def test_a_wrong_declaration_is_refused(properties: dict[str, Any], kind: str, said: str) -> None:
    with pytest.raises(FormError) as error:
        parse_form(form(files(properties, kind)))
    assert said in str(error.value)


def test_the_refusal_reads_in_russian_and_english() -> None:
    with pytest.raises(FormError) as error:
        parse_form(form(files({"files": ""})))
    assert "свойство 'files' пусто (компонент 'F_scan')" in render(error.value.problems[0], "ru")
    assert "property 'files' is empty (component 'F_scan')" in render(error.value.problems[0], "en")
