"""Camunda Modeler element templates (bpmn/.camunda/element-templates/*.json).

Three layers:

1. Structure: the rules of the official Camunda 7 schema (@camunda/element-templates-json-schema
   0.22.1, ``packages/element-templates-json-schema/src/defs/properties.json`` and the shared
   ``base.json``/``base-properties.json``) written out in Python, plus what Otklik's engine
   accepts. The official validator itself runs when it is installed (see
   ``test_official_validator_accepts_every_template``).
2. Application: each template is applied to a copy of bpmn/orenburg.bpmn the way Camunda
   Modeler does it (bpmn-js-element-templates 2.33.0,
   ``src/element-templates/cmd/ChangeElementTemplateHandler.js``) and the result must deploy.
3. Deadlines: Camunda 7 templates cannot bind a timer definition (no binding type for
   ``bpmn:TimerEventDefinition`` exists in the Camunda 7 schema; only the Camunda 8 schema has
   ``bpmn:TimerEventDefinition#property``). The deadline templates therefore write
   ``camunda:property`` entries ``timer.function`` / ``timer.amount`` / ``timer.since`` on the
   timer event; :func:`timer_expression` turns them into the Otklik timer expression.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from engine.bpmn.conventions import RECIPIENTS
from engine.directory.roles import TASK_ROLES
from engine.runtime import services
from engine.spiff.script_engine import catalogue_names

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "bpmn" / ".camunda" / "element-templates"
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
SCHEMA_URL = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json"

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}

# -- the Camunda 7 schema (0.22.1), properties.json -----------------------------------------
BINDING_TYPES = {
    "property", "camunda:property", "camunda:inputParameter", "camunda:outputParameter",
    "camunda:in", "camunda:out", "camunda:in:businessKey", "camunda:executionListener",
    "camunda:field", "camunda:errorEventDefinition",
}
INPUT_TYPES_BY_BINDING = {
    "property": {"String", "Text", "Hidden", "Dropdown", "Boolean"},
    "camunda:property": {"String", "Hidden", "Dropdown"},
    "camunda:outputParameter": {"String", "Hidden", "Dropdown"},
    "camunda:in": {"String", "Hidden", "Dropdown"},
    "camunda:in:businessKey": {"String", "Hidden", "Dropdown"},
    "camunda:out": {"String", "Hidden", "Dropdown"},
    "camunda:errorEventDefinition": {"String", "Hidden", "Dropdown"},
    "camunda:inputParameter": {"String", "Text", "Hidden", "Dropdown"},
    "camunda:field": {"String", "Text", "Hidden", "Dropdown"},
    "camunda:executionListener": {"Hidden"},
}
NAME_REQUIRED = {"property", "camunda:property", "camunda:inputParameter", "camunda:field"}
APPLIES_TO = re.compile(r"^[\w\d]+:[\w\d]+$")  # base.json #/appliesTo/items

# -- what Otklik's engine accepts --------------------------------------------------------------
# Input parameters, listeners, field injections, call-activity in/out and error definitions
# are refused or meaningless in Otklik diagrams (docs/analyst-guide.md §2).
OTKLIK_BINDINGS = {"property", "camunda:property", "camunda:outputParameter"}
OTKLIK_ATTRIBUTES = {"camunda:candidateGroups", "camunda:formRef", "camunda:formRefBinding",
                     "camunda:type", "camunda:topic"}
WORKING_TIME = {"working_hours", "working_minutes", "working_days"}
MOMENTS = {"received_at", "registered_at"}
SINCE = {"None", "detected_at", "received_at", "registered_at", "posted_at"}
ORGANISATION_ROLES = {"executor", "last_executor", "deputy_head"}


# ==================================================================================== loading
def _files() -> list[Path]:
    return sorted(TEMPLATE_DIR.glob("*.json"))


def _load() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in _files():
        data = json.loads(path.read_text(encoding="utf-8"))
        for template in data if isinstance(data, list) else [data]:
            found.append((path.name, template))
    return found


TEMPLATES = _load()
BY_ID = {t["id"]: t for _, t in TEMPLATES}


def template_named(name: str) -> dict[str, Any]:
    [found] = [t for _, t in TEMPLATES if t["name"] == name]
    return found


def bound(template: dict[str, Any], key: str) -> dict[str, Any]:
    """The template property bound to ``key`` (a binding name, or an output's source)."""
    [found] = [p for p in template["properties"] if _key(p["binding"]) == key]
    return found


def _key(binding: dict[str, Any]) -> str:
    return binding.get("name") or binding.get("source") or binding["type"]


def test_templates_are_there() -> None:
    assert _files(), f"no templates in {TEMPLATE_DIR}"
    names = {t["name"] for _, t in TEMPLATES}
    assert {"Срок в рабочих часах", "Срок в рабочих днях", "Срок в рабочих минутах",
            "Зафиксировать нарушение срока", "Уведомить"} <= names
    assert any(name.startswith("Запомнить момент (now())") for name in names)


# ================================================================================== structure
@pytest.mark.parametrize(("filename", "template"), TEMPLATES, ids=[t["id"] for _, t in TEMPLATES])
def test_template_structure(filename: str, template: dict[str, Any]) -> None:
    where = f"{filename}: {template.get('id')}"
    assert template.get("$schema") == SCHEMA_URL, where
    for key, kind in (("id", str), ("name", str), ("appliesTo", list), ("properties", list)):
        assert isinstance(template.get(key), kind) and template[key], f"{where}: '{key}' missing or empty"
    assert "zeebe" not in template["$schema"], where  # a Camunda 8 template never shows on C7 diagrams
    assert isinstance(template.get("version", 1), int), where
    for kind in template["appliesTo"]:
        assert APPLIES_TO.match(kind) and kind.startswith("bpmn:"), f"{where}: appliesTo {kind!r}"
    groups = {g["id"] for g in template.get("groups", [])}
    assert all(g.get("label") for g in template.get("groups", [])), where
    seen: set[tuple[str, str]] = set()
    for index, prop in enumerate(template["properties"]):
        at = f"{where}: properties[{index}]"
        binding = prop.get("binding")
        assert isinstance(binding, dict) and binding.get("type") in BINDING_TYPES, f"{at}: binding {binding!r}"
        btype = binding["type"]
        assert btype in OTKLIK_BINDINGS, f"{at}: binding type {btype} is refused or unused by Otklik"
        kind = prop.get("type", "String")
        assert kind in INPUT_TYPES_BY_BINDING[btype], f"{at}: type {kind} not allowed for {btype}"
        if btype in NAME_REQUIRED:
            assert isinstance(binding.get("name"), str) and binding["name"], f"{at}: binding.name required"
        if btype == "camunda:outputParameter":
            assert isinstance(binding.get("source"), str) and binding["source"], f"{at}: binding.source required"
        if btype == "property":
            assert binding["name"] in OTKLIK_ATTRIBUTES, f"{at}: attribute {binding['name']}"
        assert (btype, _key(binding)) not in seen, f"{at}: the same target is bound twice"
        seen.add((btype, _key(binding)))
        if "value" in prop:
            assert isinstance(prop["value"], (str, bool)), f"{at}: value must be text"
        if kind == "Hidden":
            assert isinstance(prop.get("value"), str) and prop["value"], f"{at}: a Hidden property needs its value"
        else:
            assert prop.get("label"), f"{at}: a visible property needs a label"
        if "placeholder" in prop:
            assert kind in ("String", "Text"), f"{at}: placeholder only on String/Text"
        if kind == "Dropdown":
            choices = prop.get("choices")
            assert isinstance(choices, list) and choices, f"{at}: a Dropdown needs choices"
            values = [c.get("value") for c in choices]
            assert all(isinstance(v, str) and v for v in values), f"{at}: choice values must be non-empty"
            assert all(isinstance(c.get("name"), str) and c["name"] for c in choices), f"{at}: choice names"
            assert len(set(values)) == len(values), f"{at}: duplicate choice values"
            assert prop.get("value") in values, f"{at}: the default must be one of the choices"
        if "group" in prop:
            assert prop["group"] in groups, f"{at}: unknown group {prop['group']!r}"
        pattern = prop.get("constraints", {}).get("pattern")
        if pattern is not None:
            re.compile(pattern["value"] if isinstance(pattern, dict) else pattern)
            if "value" in prop and kind != "Hidden":
                assert _matches(prop, prop["value"]), f"{at}: the default fails its own pattern"


def test_template_ids_are_unique() -> None:
    keys = [(t["id"], t.get("version")) for _, t in TEMPLATES]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert len({t["name"] for _, t in TEMPLATES}) == len(TEMPLATES), "two templates share a name"


def _matches(prop: dict[str, Any], value: str) -> bool:
    pattern = prop.get("constraints", {}).get("pattern")
    if pattern is None:
        return True
    # The Modeler tests `new RegExp(pattern).test(value)`; our patterns are anchored.
    return re.search(pattern["value"] if isinstance(pattern, dict) else pattern, value) is not None


# ============================================================ agreement with the engine's catalogue
def _forms() -> set[str]:
    return {json.loads(p.read_text(encoding="utf-8"))["id"] for p in (ROOT / "forms").glob("*.form")}


def _role_templates() -> dict[str, dict[str, Any]]:
    return {t["id"].split(".")[2]: t for _, t in TEMPLATES
            if t["id"].startswith("otklik.task.") and len(t["id"].split(".")) == 3}


def _user_task_templates() -> list[dict[str, Any]]:
    return [t for _, t in TEMPLATES if t["appliesTo"] == ["bpmn:UserTask"]]


def test_one_user_task_template_per_role() -> None:
    roles = _role_templates()
    assert set(roles) == set(TASK_ROLES)
    for role, template in roles.items():
        assert bound(template, "camunda:candidateGroups") == {
            "type": "Hidden", "value": role, "binding": {"type": "property", "name": "camunda:candidateGroups"}}


@pytest.mark.parametrize("template", _user_task_templates(), ids=lambda t: t["id"])
def test_user_task_template_fields(template: dict[str, Any]) -> None:
    role = bound(template, "camunda:candidateGroups")["value"]
    assert role in TASK_ROLES
    form = bound(template, "camunda:formRef")
    assert form["type"] == "Dropdown"
    assert {c["value"] for c in form["choices"]} == _forms(), "the form list must match forms/*.form"
    assert bound(template, "camunda:formRefBinding")["value"] == "latest"
    keys = {_key(p["binding"]) for p in template["properties"]}
    if role in ORGANISATION_ROLES:
        organisation = bound(template, "organisation")
        assert organisation["value"] == "agency" and organisation["constraints"]["notEmpty"]
    else:
        assert "organisation" not in keys


def test_service_templates_cover_the_topics() -> None:
    topics = {}
    for _, template in TEMPLATES:
        if template["appliesTo"] == ["bpmn:ServiceTask"]:
            assert bound(template, "camunda:type")["value"] == "external"
            topics[bound(template, "camunda:topic")["value"]] = template
    assert set(topics) == set(services.topics())
    violation = topics["record_violation"]
    assert violation["name"] == "Зафиксировать нарушение срока"
    assert {c["value"] for c in bound(violation, "organisation")["choices"]} == {"None", "agency"}
    notify = topics["notify"]
    assert notify["name"] == "Уведомить"
    # Every recipient the engine resolves is offered, and nothing else (engine.bpmn.conventions).
    assert {c["value"] for c in bound(notify, "recipient")["choices"]} == set(RECIPIENTS)


def test_deadline_templates_cover_the_working_time_functions() -> None:
    functions = {bound(t, "timer.function")["value"]: t for t in _deadline_templates()}
    assert set(functions) == WORKING_TIME and WORKING_TIME <= catalogue_names()
    for template in functions.values():
        assert set(template["appliesTo"]) == {"bpmn:BoundaryEvent", "bpmn:IntermediateCatchEvent"}
        # The Timer group must stay visible: the template cannot write the timer (module docstring).
        assert template.get("entriesVisible") is True
        assert {c["value"] for c in bound(template, "timer.since")["choices"]} == SINCE


def test_output_parameters_record_moments_with_now() -> None:
    outputs = [p for _, t in TEMPLATES for p in t["properties"] if p["binding"]["type"] == "camunda:outputParameter"]
    assert outputs
    for prop in outputs:
        assert prop["binding"]["source"] == "now()"
        assert {c["value"] for c in prop["choices"]} == MOMENTS


# ================================================================== the official validator (npm)
def _validator() -> Path | None:
    candidates = [ROOT / "node_modules" / "@bpmn-io" / "element-templates-validator"]
    if os.environ.get("OTKLIK_ELEMENT_TEMPLATES_VALIDATOR"):
        given = Path(os.environ["OTKLIK_ELEMENT_TEMPLATES_VALIDATOR"])
        candidates[:0] = [given, given / "@bpmn-io" / "element-templates-validator",
                          given / "node_modules" / "@bpmn-io" / "element-templates-validator"]
    for path in candidates:
        if (path / "dist" / "index.cjs").exists():
            return path / "dist" / "index.cjs"
    return None


_CHECK_JS = """
const { validate, getSchemaVersion } = require(process.argv[1]);
const fs = require('fs');
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const template of [].concat(JSON.parse(fs.readFileSync(file, 'utf8')))) {
    const result = validate(template);
    if (!result.valid) {
      failed++;
      for (const e of result.errors) console.log(`${file}: ${template.id}: ${e.instancePath} ${e.message}`);
    }
  }
}
console.log(`schema ${getSchemaVersion()}`);
process.exit(failed ? 1 : 0);
"""


def test_official_validator_accepts_every_template() -> None:
    """@bpmn-io/element-templates-validator is what Camunda Modeler runs on load (Camunda 7
    schema); package.json pins it, ``npm ci`` (make test) installs it."""
    validator = _validator()
    node = shutil.which("node")
    if validator is None or node is None:
        listed = "element-templates-validator" in (ROOT / "package.json").read_text(encoding="utf-8")
        if listed and os.environ.get("OTKLIK_REQUIRE_NODE") == "1":
            pytest.fail("the element templates validator is not installed: run `npm ci --ignore-scripts`")
        pytest.skip("@bpmn-io/element-templates-validator not installed (set OTKLIK_ELEMENT_TEMPLATES_VALIDATOR)")
    result = subprocess.run([node, "-e", _CHECK_JS, str(validator), *map(str, _files())],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _deadline_templates() -> list[dict[str, Any]]:
    return [t for _, t in TEMPLATES if any(_key(p["binding"]) == "timer.function" for p in t["properties"])]

