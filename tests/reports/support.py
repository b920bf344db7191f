"""Shared steps of the report tests: Orenburg cases driven through the real process."""
from __future__ import annotations

from typing import Any

from lxml import etree
from sqlalchemy import select

from engine.bpmn.namespaces import NS, camunda
from engine.models import Organisation
from tests.scenario.mutants import Edit
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE

ROADS_NAME = "Министерство строительства, жилищно-коммунального, дорожного хозяйства и транспорта"


def name_the_roads_agency(case: Any) -> None:
    """The factories name agencies by their key; a real name proves pages show names, not keys."""
    with case.db.session() as session:
        session.scalars(select(Organisation).where(Organisation.key == "orb_roads")).one().name = ROADS_NAME


def answered_in_time(case: Any, day: int) -> None:
    case.start(posted=f"2025-11-{day:02d}T09:40", detected=f"2025-11-{day:02d}T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at(f"2025-11-{day:02d}T11:00")
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)


def late_draft(case: Any, day: int, draft_at: str = "16:10") -> None:
    """The draft is due 4 working hours before the 9-hour answer deadline (п. 9): 16:00 local."""
    case.start(posted=f"2025-11-{day:02d}T09:40", detected=f"2025-11-{day:02d}T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at(f"2025-11-{day:02d}T{draft_at}")
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)


def left_open(case: Any, detected: str) -> None:
    """Routed and accepted, then nothing: the answer deadline (п. 8) passes."""
    case.start(posted=detected, detected=detected)
    case.complete("route_message", "curator", ROUTE)


def threat(case: Any, day: int) -> None:
    """Orenburg п. 17: not answered, forwarded; the case ends at an end event declared no_answer."""
    case.start(posted=f"2025-11-{day:02d}T09:40", detected=f"2025-11-{day:02d}T10:00")
    case.complete("route_message", "curator", {**ROUTE, "category": "threat"})


def basis_of_clause(clause: str, basis: str) -> Edit:
    """Declare ``basis`` on every record_violation task whose clause is ``clause`` (a mutant)."""
    def edit(root: etree._Element) -> None:
        found = False
        for task in root.iterfind(".//bpmn:serviceTask", NS):
            if task.get(camunda("topic")) != "record_violation":
                continue
            props = {p.get("name"): p for p in task.iterfind(".//camunda:property", NS)}
            if props.get("clause") is None or props["clause"].get("value") != clause:
                continue
            found = True
            if "basis" in props:
                props["basis"].set("value", basis)
            else:
                props["clause"].addnext(etree.Element(camunda("property"), name="basis", value=basis))
        if not found:
            raise LookupError(f"no record_violation with clause {clause!r}")
    return edit


def without_no_answer_outcome(root: etree._Element) -> None:
    """A mutant: no end event declares ``outcome`` = ``no_answer`` any more."""
    found = [p for p in root.iterfind(".//camunda:property", NS) if p.get("name") == "outcome"]
    if not found:
        raise LookupError("the diagram declares no outcome")
    for prop in found:
        prop.getparent().remove(prop)
