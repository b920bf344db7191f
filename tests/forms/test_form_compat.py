"""At deployment (the deploy page has no Node) a form is refused for what form-js's schema and
Camunda 7's form linter refuse that would change what Otklik does (engine/forms/compat.py) — naming
the component and the property — while a version deployed before still loads."""
from __future__ import annotations

import json
from typing import Any

import pytest

from engine.deployment.deployer import Source, plan
from engine.errors import DeploymentError
from engine.forms import FormError, parse_form
from engine.forms.compat import ONLY_ON
from tests.factories import ROOT

C7 = {"executionPlatform": "Camunda Platform", "executionPlatformVersion": "7.22.0"}


def form(*components: dict[str, Any], **header: Any) -> str:
    return json.dumps({"id": "f", "type": "default", **header, "components": list(components)})


def refused(text: str) -> str:
    parse_form(text)  # as stored versions are loaded: accepted
    with pytest.raises(FormError) as error:
        parse_form(text, deploying=True)
    return str(error.value)


@pytest.mark.parametrize(("component", "said"), [
    ({"type": "textarea", "id": "F_a", "key": "a", "validate": {"pattern": "^x$"}},
     "the property 'validate.pattern' only on textfield components (component 'F_a'): remove 'validate.pattern'"),
    ({"type": "textfield", "id": "F_b", "key": "b", "validate": {"min": 1}}, "'validate.min' only on number"),
    ({"type": "textfield", "id": "F_c", "key": "c", "values": [{"label": "A", "value": "a"}]},
     "'values' only on checklist, radio, select, taglist"),
    ({"type": "textfield", "id": "F_d", "key": "d", "accept": ".pdf"}, "'accept' only on filepicker"),
    ({"type": "group", "id": "G", "components": [{"type": "checkbox", "id": "F_e", "key": "e", "validate": {"maxLength": 5}}]},
     "'validate.maxLength' only on textfield, textarea components (component 'F_e')"),
])
def test_a_property_on_a_type_without_it_is_refused(component: dict[str, Any], said: str) -> None:
    assert said in refused(form(component))


def test_a_filepicker_in_a_camunda_7_form_or_with_a_description() -> None:
    said = refused(form({"type": "filepicker", "id": "F_f", "key": "f", "multiple": True}, **C7))
    assert "Camunda 7.22.0's forms have no filepicker component (Camunda Modeler's form linter says so) (component 'F_f')" in said
    assert "a file field is a Text field component with the properties 'files' and 'multiple'" in said
    said = refused(form({"type": "filepicker", "id": "F_g", "key": "g", "description": "PDF"}))
    assert "form-js's schema allows no description on a filepicker (component 'F_g')" in said
    # Without a Camunda 7 declaration and without a description, a filepicker is form-js's own.
    plain = form({"type": "filepicker", "id": "F_h", "key": "h", "accept": ".pdf"})
    assert parse_form(plain, deploying=True).fields[0].type == "filepicker"


def test_what_the_forms_write_passes() -> None:
    for path in sorted((ROOT / "forms").glob("*.form")):
        parse_form(path.read_text(encoding="utf-8"), deploying=True)
    files = {"type": "textfield", "id": "F_s", "key": "s", "description": "PDF", "properties": {"files": ".pdf", "multiple": "true"}}
    assert parse_form(form(files, **C7), deploying=True).fields[0].type == "filepicker"


def test_the_table_is_what_the_schema_forbids() -> None:
    """Every property of ONLY_ON is one form-js's schema forbids outside the listed types."""
    schema = json.loads((ROOT / "tests" / "forms" / "form-json-schema.json").read_text(encoding="utf-8"))
    rules = schema["properties"]["components"]["items"]["allOf"][1]["allOf"]
    forbidden: dict[str, set[str]] = {}
    for rule in rules:
        condition = rule["if"].get("not", {}).get("properties", {}).get("type", {})
        types = set(condition.get("enum") or [condition.get("const")])
        for name, value in rule.get("then", {}).get("properties", {}).items():
            if value is False:
                forbidden[name] = types
            elif isinstance(value, dict) and name == "validate":
                forbidden.update({f"validate.{k}": types for k, v in value.get("properties", {}).items() if v is False})
    for prop, allowed in ONLY_ON.items():
        assert forbidden.get(prop) == set(allowed), prop


def test_deployment_refuses_it_naming_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = json.loads((ROOT / "forms" / "publish_answer.form").read_text(encoding="utf-8"))
    broken["components"][1]["validate"]["min"] = 1  # a textfield: min is for numbers
    sources = [Source.read(ROOT / "bpmn" / "orenburg.bpmn"), Source("publish_answer.form", json.dumps(broken).encode())]
    others = [Source.read(p) for p in sorted((ROOT / "forms").glob("*.form")) if p.name != "publish_answer.form"]
    with pytest.raises(DeploymentError) as error:
        plan(sources, others)
    assert any("publish_answer.form" in str(p) and "'validate.min' only on number components (component 'field_answer_url')" in str(p)
               for p in error.value.problems)
