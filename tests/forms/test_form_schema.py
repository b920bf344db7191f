"""Every form in forms/ passes form-js's JSON schema and @camunda/form-linting for the Camunda 7
version the diagrams declare — the checks Camunda Modeler runs when an analyst opens the form.

Both run on the machine's Node through tests/forms/lint_forms.mjs: ajv and @camunda/form-linting
come from npm (package-lock.json), the schema is form-js's (tests/forms/form-json-schema.json,
packages/form-json-schema 1.18.0; it is not on npm). ``make test`` runs ``npm ci`` first and sets
OTKLIK_REQUIRE_NODE=1, so there a missing Node or package is a failure, not a skip.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from engine.bpmn.namespaces import MODELER
from engine.forms import parse_form

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "forms" / "lint_forms.mjs"
PACKAGES = [ROOT / "node_modules" / "@camunda" / "form-linting", ROOT / "node_modules" / "ajv"]
FORMS = sorted((ROOT / "forms").glob("*.form"))
DIAGRAMS = sorted(ROOT.glob("bpmn/**/*.bpmn"))


def declared_platform_version() -> str:
    """The Camunda 7 version every diagram declares (modeler:executionPlatformVersion); one for all."""
    versions = {etree.parse(str(path)).getroot().get(f"{{{MODELER}}}executionPlatformVersion") for path in DIAGRAMS}
    assert len(versions) == 1 and None not in versions, f"the diagrams declare versions {versions}"
    return str(versions.pop())


def _node() -> str:
    node = shutil.which("node")
    if node and all(p.exists() for p in PACKAGES):
        return node
    if os.environ.get("OTKLIK_REQUIRE_NODE") == "1":
        pytest.fail("Node or @camunda/form-linting/ajv is missing: run `npm ci --ignore-scripts` (make test does)")
    pytest.skip("Node or @camunda/form-linting not installed (npm ci --ignore-scripts); make test installs them")


def lint(*paths: Path, version: str | None = None) -> tuple[int, list[dict[str, Any]], str]:
    """Exit code, the problems reported (one dict each) and stderr."""
    command = [_node(), str(SCRIPT), "--platform-version", version or declared_platform_version(), *map(str, paths)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return result.returncode, [json.loads(line) for line in result.stdout.splitlines() if line.strip()], result.stderr


def test_every_form_passes_the_schema_and_the_linter() -> None:
    assert len(FORMS) >= 16
    code, problems, stderr = lint(*FORMS)
    assert (code, problems, stderr) == (0, [], "")


def test_every_form_declares_the_diagrams_platform() -> None:
    """Camunda Modeler lints a form for the platform the form itself declares."""
    version = declared_platform_version()
    assert version.startswith("7.")
    for path in FORMS:
        form = json.loads(path.read_text(encoding="utf-8"))
        assert (form.get("executionPlatform"), form.get("executionPlatformVersion")) == ("Camunda Platform", version), path.name


def test_the_schema_reports_a_forbidden_property(tmp_path: Path) -> None:
    """The check can fail: a description on a filepicker (form-js's schema forbids it) is reported,
    naming the file and the component."""
    form = json.loads((ROOT / "forms" / "publish_answer.form").read_text(encoding="utf-8"))
    form["components"].append({"id": "field_scan", "type": "filepicker", "key": "scan", "description": "Скан"})
    broken = tmp_path / "broken.form"
    broken.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    code, problems, _ = lint(broken)
    assert code == 1
    schema = [p for p in problems if p["check"] == "form-json-schema"]
    assert schema == [{"file": str(broken), "component": "field_scan", "check": "form-json-schema", "severity": "error",
                       "message": 'property "description" is not allowed here'}]


def test_the_linter_reports_what_the_platform_version_lacks(tmp_path: Path) -> None:
    """The check can fail, and follows the version: a filepicker is not in Camunda 7.22's form-js
    (1.8), and the form's own declaration does not change what it is checked for."""
    form = json.loads((ROOT / "forms" / "publish_answer.form").read_text(encoding="utf-8"))
    form["components"].append({"id": "field_scan", "type": "filepicker", "key": "scan"})
    form["executionPlatformVersion"] = "8.8.0"  # ignored: the diagrams' version is what counts
    broken = tmp_path / "broken.form"
    broken.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    code, problems, _ = lint(broken, version="7.22.0")
    assert code == 1
    assert [(p["component"], p["check"], p["message"]) for p in problems] == [
        ("field_scan", "form-linting", "A <Filepicker> is not supported by Camunda Platform 7.22")]
    assert "A <Filepicker> is not supported by Camunda Platform 7.17" in [p["message"] for p in lint(broken, version="7.17.0")[1]]


def test_a_file_field_declared_for_camunda_7_is_a_file_field_for_otklik() -> None:
    """What the forms now write (a textfield with the custom properties files and multiple) is still
    the file field the server renders and fills from uploads (engine/forms/uploads.py)."""
    definition = parse_form((ROOT / "forms" / "draft_answer.form").read_text(encoding="utf-8"))
    files = next(f for f in definition.fields if f.key == "attachments")
    assert (files.type, files.multiple) == ("filepicker", True)
    component = next(c for c in definition.schema["components"] if c.get("key") == "attachments")
    assert (component["type"], component["accept"], component["multiple"]) == ("filepicker", "image/*,video/*", True)
