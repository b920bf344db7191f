"""Mutants of a shipped diagram, for clause tests that must fail when their rule is broken.

A clause test is worth something only if breaking the clause in the diagram breaks the test.
The pattern: write the clause's scenario as a function of the driver, run it on the shipped
diagram (passes), then deploy a mutant that breaks exactly that rule as a newer version of the
same procedure (registration starts a territory's newest deployment) and see the scenario fail::

    def test_clause_6_mutant_without_start_is_caught(orenburg):
        deploy_mutant(orenburg.db, "bpmn/orenburg.bpmn",
                      timer("routing_deadline", "working_minutes(30)"))
        with pytest.raises(AssertionError):
            scenario_clause_6(orenburg)

Each edit is a function of the parsed tree that raises ``LookupError`` when the element it
should change is not there, so a renamed element fails the test loudly instead of testing
an unchanged diagram.
"""
from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from engine.bpmn.namespaces import NS, bpmn, camunda
from engine.bpmn.reader import read_diagram
from engine.bpmn.xmlsafe import parse
from engine.db.database import Database
from engine.deployment.deployer import Deployed, Source, deploy, library_forms
from tests.factories import ROOT

Edit = Callable[[etree._Element], None]


def _element(root: etree._Element, element_id: str) -> etree._Element:
    for element in root.iter():
        if element.get("id") == element_id:
            return element
    raise LookupError(f"the diagram has no element {element_id!r}")


def timer(event_id: str, expression: str) -> Edit:
    """Replace the timer expression (timeDate, timeDuration or timeCycle) of ``event_id``."""
    def edit(root: etree._Element) -> None:
        definition = _element(root, event_id).find("bpmn:timerEventDefinition", NS)
        body = None if definition is None else next(iter(definition), None)
        if body is None:
            raise LookupError(f"{event_id!r} has no timer expression")
        body.text = expression
    return edit


def timer_expression(path: str, event_id: str) -> str:
    """The shipped expression of a timer, to build a mutant from it (``.replace(...)``)."""
    root = parse((ROOT / path).read_bytes()).getroot()
    definition = _element(root, event_id).find("bpmn:timerEventDefinition", NS)
    body = None if definition is None else next(iter(definition), None)
    if body is None or body.text is None:
        raise LookupError(f"{event_id!r} has no timer expression")
    return body.text.strip()


def prop(element_id: str, name: str, value: str) -> Edit:
    """Set the ``camunda:property`` ``name`` of an element (e.g. a violation's ``clause``)."""
    def edit(root: etree._Element) -> None:
        element = _element(root, element_id)
        for item in element.iterfind(".//camunda:property", NS):
            if item.get("name") == name:
                item.set("value", value)
                return
        raise LookupError(f"{element_id!r} has no property {name!r}")
    return edit


def groups(task_id: str, candidate_groups: str) -> Edit:
    """Give a user task to another role (``camunda:candidateGroups``)."""
    def edit(root: etree._Element) -> None:
        element = _element(root, task_id)
        if element.get(camunda("candidateGroups")) is None:
            raise LookupError(f"{task_id!r} has no candidateGroups")
        element.set(camunda("candidateGroups"), candidate_groups)
    return edit


def condition(flow_id: str, expression: str) -> Edit:
    """Replace the condition of a sequence flow."""
    def edit(root: etree._Element) -> None:
        body = _element(root, flow_id).find("bpmn:conditionExpression", NS)
        if body is None:
            raise LookupError(f"{flow_id!r} has no condition")
        body.text = expression
    return edit


def retarget(flow_id: str, target_id: str) -> Edit:
    """Point a sequence flow at another element (keeps incoming/outgoing lists consistent)."""
    def edit(root: etree._Element) -> None:
        flow = _element(root, flow_id)
        old, new = _element(root, flow.get("targetRef", "")), _element(root, target_id)
        for incoming in old.findall("bpmn:incoming", NS):
            if incoming.text == flow_id:
                old.remove(incoming)
        incoming = etree.Element(bpmn("incoming"))
        incoming.text = flow_id
        new.insert(0, incoming)
        flow.set("targetRef", target_id)
    return edit


def rules_to_break(path: str) -> set[tuple[str, str]]:
    """Every rule of a shipped diagram a mutant sweep should break, as (element id, what): each
    timer's amount, start and working-vs-calendar time, each user task's role, each violation's
    clause, deadline and basis, each flow's condition. A sweep compares its mutants with this, so
    a rule drawn later without a mutant fails the sweep."""
    diagram = read_diagram((ROOT / path).read_bytes())
    wanted: set[tuple[str, str]] = set()
    for node in diagram.nodes.values():
        if node.timer is not None:
            wanted |= {(node.id, "amount"), (node.id, "since"), (node.id, "calendar")}
        elif node.tag == "userTask":
            wanted.add((node.id, "role"))
        elif node.tag == "serviceTask" and node.topic == "record_violation":
            wanted |= {(node.id, "clause"), (node.id, "deadline"), (node.id, "basis")}
    wanted |= {(flow.id, "condition") for flow in diagram.flows if flow.condition}
    return wanted


def mutant(path: str, *edits: Edit) -> Source:
    """The shipped file at ``path`` (relative to the repository) with ``edits`` applied."""
    tree = parse((ROOT / path).read_bytes())
    for edit in edits:
        edit(tree.getroot())
    return Source(path, etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


def deploy_mutant(db: Database, path: str, *edits: Edit) -> Deployed:
    """Deploy the mutant as the newest version of its procedure; new cases start it."""
    with db.session() as session:
        [result] = deploy(session, [mutant(path, *edits)], "analyst", extra_forms=library_forms())
    assert result.created, "the mutant is identical to the shipped diagram: the edit changed nothing"
    return result
