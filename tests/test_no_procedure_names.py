"""No Python module under engine/ or web/ names a particular procedure's element id, form id, form
key or region (issue 13): whatever the engine reads from a diagram is declared in it
(engine.bpmn.conventions, docs/analyst-guide.md section 2), so a new diagram needs no Python.

The names are collected from bpmn/ and forms/ as they are now — a new diagram's names are checked
the moment it is added. A module "names" one when it is an identifier (a variable, attribute,
argument, function or class name) or a token of a string literal that is code, not prose:

* docstrings, comments and literals with whitespace in them are prose people read (a message's
  example, a label), not a name the code looks up; ``"answer_text"``, ``"rework"``,
  ``r"threat|obscene"`` and ``"answer.text"`` are looked-up names and are checked (a dotted name is
  one token: ``answer.text`` is the engine's declaration, not the form key ``text``);
* data that is meant to name regions — a data migration's rows, the demo's seed — is exempt for
  region keys only (:data:`REGION_DATA`).

:data:`VOCABULARY` lists the few ordinary words that are the engine's own names and happen to be a
form key or an element id somewhere too; each says why. Keep it tiny: a procedure-specific name
belongs in a declaration, not here.
"""
from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DI_TAGS = ("BPMNShape", "BPMNEdge", "BPMNDiagram", "BPMNPlane", "BPMNLabel")

VOCABULARY: dict[str, str] = {
    "topic": "a message's topic (engine/models/message.py) and a service task's camunda:topic (the handler registry)",
    "location": "a message's location column (engine/models/message.py), filled by a routing form by that name",
    "importance": "a message's importance column (engine/models/message.py), filled by a routing form by that name",
    "agency": "an organisation kind (engine/directory/officials.py ORGANISATION_KINDS) and the registry's filter",
    "attachments": "a message's files (engine/models Attachment) and the upload field of the engine's own pages",
    "answered": "the summary's count of answered cases (engine/reports/summary.py), also an end event's id",
    "comment": "openpyxl's cell comment (engine/reports/comparison_xlsx.py)",
    "category": "unicodedata.category (engine/runtime/attachments.py)",
    "repeat_of": "the registration page's own field (web/messages.py), not a Camunda form's",
    "answer_url": "the webhook's JSON field (engine/notifications/webhooks.py, docs/integration.md), not a form's",
}
# Modules that are data about regions by purpose: they may name a region key, nothing else.
REGION_DATA = ("engine/db/migrations/", "engine/demo/")

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _diagram_names(path: Path) -> Iterator[tuple[str, str]]:
    """(name, what) for every id (drawing shapes aside), form reference and declared region."""
    for element in etree.parse(str(path)).iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if element.get("id") and local not in DI_TAGS:
            yield element.get("id"), f"element id in {path.name}"
        if element.get(f"{{{CAMUNDA_NS}}}formRef"):
            yield element.get(f"{{{CAMUNDA_NS}}}formRef"), f"form reference in {path.name}"
        if local == "property" and element.get("name") == "region" and element.get("value"):
            yield element.get("value"), f"region of {path.name}"


def _form_names(path: Path) -> Iterator[tuple[str, str]]:
    form = json.loads(path.read_text(encoding="utf-8"))
    yield form["id"], f"form id {path.name}"

    def walk(node: object) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            if isinstance(node.get("key"), str) and node["key"]:
                yield node["key"], f"form key in {path.name}"
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    yield from walk(form.get("components", []))


def procedure_names(root: Path = ROOT) -> dict[str, str]:
    names: dict[str, str] = {}
    for path in sorted((root / "bpmn").glob("**/*.bpmn")):
        for name, what in _diagram_names(path):
            names.setdefault(name, what)
    for path in sorted((root / "forms").glob("*.form")):
        for name, what in _form_names(path):
            names.setdefault(name, what)
    return names


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def named_in(source: str) -> Iterator[tuple[int, str]]:
    """(line, token) for every identifier and every token of a code-like string literal."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and not re.search(r"\s", node.value):
                for token in _TOKEN.findall(node.value):
                    yield node.lineno, token
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, ast.arg):
            yield node.lineno, node.arg
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.lineno, node.arg
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.lineno, node.name


def regions(root: Path = ROOT) -> set[str]:
    return {name for path in sorted((root / "bpmn").glob("**/*.bpmn"))
            for name, what in _diagram_names(path) if what.startswith("region of")}


def findings(root: Path = ROOT) -> list[str]:
    names, territories = procedure_names(root), regions(root)
    found = []
    for path in sorted([*(root / "engine").rglob("*.py"), *(root / "web").rglob("*.py")]):
        relative = path.relative_to(root).as_posix()
        for line, token in sorted(set(named_in(path.read_text(encoding="utf-8")))):
            if token not in names or token in VOCABULARY:
                continue
            if token in territories and relative.startswith(REGION_DATA):
                continue
            found.append(f"{relative}:{line}: {token!r} ({names[token]})")
    return found


def test_no_python_module_names_a_procedure() -> None:
    assert findings() == []


def test_the_names_are_read_from_the_diagrams_and_forms() -> None:
    names = procedure_names()
    # A sample of each kind, so an empty collection cannot pass the test above.
    assert names["approve_answer"].startswith("form")
    assert names["answer_text"].startswith("form key")
    assert names["record_routing_violation"].startswith("element id")
    assert {"orenburg", "smolensk"} <= regions()


@pytest.mark.parametrize("planted", [
    'value = variables.get("answer_text")',
    'if element.startswith("rework_answer"): pass',
    'PATTERN = r"threat|not_processed"',
    'def approve_answer(): pass',
    'task.compose_joint_answer = 1',
])
def test_a_planted_name_is_found(tmp_path: Path, planted: str) -> None:
    for folder in ("bpmn", "forms"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "engine").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "engine" / "planted.py").write_text(f'"""A docstring may say answer_text."""\n{planted}\n')
    assert len(findings(tmp_path)) == 1, findings(tmp_path)


def test_prose_and_docstrings_are_not_names(tmp_path: Path) -> None:
    for folder in ("bpmn", "forms"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "engine").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "engine" / "prose.py").write_text(
        '"""Reads answer_text."""\nHINT = "e.g. decision == \'publish\'"  # approve_answer\nKEY = "answer.text"\n')
    assert findings(tmp_path) == []
