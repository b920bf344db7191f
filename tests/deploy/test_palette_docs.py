"""docs/supported-elements.md is engine/deployment/palette.py's table, and the table covers the
whole Camunda 7 vocabulary: every attribute and extension element of camunda-bpmn-moddle's
descriptor (resources/camunda.json) has an answer, so a Modeler field is never silently ignored.

To refresh the document after changing the table: ``.venv/bin/python -m tests.deploy.test_palette_docs``.
"""
from __future__ import annotations

from pathlib import Path

from engine.deployment.palette import PALETTE
from engine.texts import Text

DOC = Path(__file__).resolve().parents[2] / "docs" / "supported-elements.md"
BEGIN, END = "<!-- palette table: generated from engine/deployment/palette.py -->", "<!-- end of palette table -->"

# camunda-bpmn-moddle resources/camunda.json (camunda/camunda-bpmn-moddle, main): every isAttr property
# of a type that extends a BPMN element, and every extension element type. Copied as data.
MODDLE_ATTRIBUTES = (
    "diagramRelationId", "async", "asyncBefore", "asyncAfter", "exclusive", "jobPriority", "errorCodeVariable",
    "errorMessageVariable", "errorMessage", "formHandlerClass", "formKey", "formRef", "formRefBinding", "formRefVersion",
    "modelerTemplate", "modelerTemplateVersion", "initiator", "resultVariable", "resource", "candidateStarterGroups",
    "candidateStarterUsers", "versionTag", "historyTimeToLive", "isStartableInTasklist", "escalationCodeVariable",
    "assignee", "candidateUsers", "candidateGroups", "dueDate", "followUpDate", "priority", "calledElementBinding",
    "calledElementVersion", "calledElementVersionTag", "calledElementTenantId", "caseRef", "caseBinding", "caseVersion",
    "caseTenantId", "variableMappingClass", "variableMappingDelegateExpression", "expression", "class",
    "delegateExpression", "decisionRef", "decisionRefBinding", "decisionRefVersion", "mapDecisionResult",
    "decisionRefTenantId", "type", "topic", "taskPriority", "collection", "elementVariable", "variableName",
    "variableEvents")
MODDLE_ELEMENTS = (
    "in", "out", "properties", "property", "connector", "inputOutput", "inputParameter", "outputParameter", "field",
    "failedJobRetryTimeCycle", "executionListener", "taskListener", "formProperty", "formData", "errorEventDefinition",
    "potentialStarter")
# Elements that exist only inside one of those, answered with it (a listener's script, a form's field).
MODDLE_NESTED = ("list", "map", "entry", "value", "script", "formField", "validation", "constraint", "string",
                 "connectorId")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table() -> str:
    rows = ["| construct | answer | what it does · what to draw instead · what is ignored and why | proof |",
            "|---|---|---|---|"]
    for key, entry in PALETTE.items():
        said = Text(entry.text).render("en")
        if not entry.reported:
            said += " (refused by another deployment check, or with the element it belongs to)"
        rows.append(f"| `{key}` | {entry.answer} | {_cell(said)} | `{entry.proof}` |")
    return "\n".join(rows)


def test_the_document_is_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    assert text.split(BEGIN)[1].split(END)[0].strip() == table()


def test_every_camunda_attribute_and_extension_element_has_an_answer() -> None:
    keys = set(PALETTE)
    unanswered = [name for name in (*MODDLE_ATTRIBUTES, *MODDLE_ELEMENTS) if f"camunda:{name}" not in keys]
    assert unanswered == []


def test_the_analyst_guide_links_the_table() -> None:
    guide = (DOC.parent / "analyst-guide.md").read_text(encoding="utf-8")
    assert "supported-elements.md" in guide


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(BEGIN)
    DOC.write_text(f"{before}{BEGIN}\n{table()}\n{END}{rest.split(END)[1]}", encoding="utf-8")
