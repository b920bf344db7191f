"""What adopting and upgrading did, in the audit log, and read back for a procedure's version history.

The deployer records ``deployed`` for every version; an adoption or an upgrade adds its own event,
``template_adopted`` or ``template_upgraded``, naming the procedure's version, the template and its
version, and the parameters: at adoption those set apart from the template's defaults, at an upgrade
every value that changed (a kept value stays out), each added or removed parameter, and each new
default taken or declined (engine.templates.upgrade). Nothing is recorded when nothing was deployed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.reader import read_diagram
from engine.bpmn.template_parameters import PARAM_PREFIX
from engine.db.audit import record
from engine.models import AuditEvent, Deployment

__all__ = ["ADOPTED", "UPGRADED", "Change", "TemplateEvent", "events", "record_adopted", "record_upgraded"]

ADOPTED, UPGRADED = "template_adopted", "template_upgraded"


@dataclass(frozen=True)
class Change:
    """One parameter in an event: its value before (``None``: new, or the template's default at
    adoption) and after (``None``: removed by the template)."""

    name: str
    before: str | None
    after: str | None
    note: str = ""  # "default_taken" | "default_kept": a template default that moved (upgrade)
    label: str = field(default="", compare=False)  # the declared label people read (events())


@dataclass(frozen=True)
class TemplateEvent:
    kind: str  # ADOPTED | UPGRADED
    process_id: str
    version: int  # the procedure's version it deployed
    template: str
    template_version: int
    previous_template_version: int | None  # an upgrade's starting point
    changes: tuple[Change, ...]
    actor: str
    template_name: str = field(default="", compare=False)  # the template's name, what people read (filled by events())


def _changes(items: list[dict[str, Any]]) -> tuple[Change, ...]:
    return tuple(Change(str(i["name"]), i.get("before"), i.get("after"), str(i.get("note") or "")) for i in items)


def record_adopted(session: Session, row: Deployment, actor: str, changed: dict[str, tuple[str, str]]) -> None:
    """``changed``: parameter → (the template's default, the value chosen), for those that differ."""
    record(session, ADOPTED, actor=actor, at=clock.now(), details={
        "process_id": row.process_id, "version": row.version, "deployment_id": row.id,
        "template": row.template_process_id, "template_version": row.template_version,
        "parameters": [{"name": n, "before": d, "after": v} for n, (d, v) in sorted(changed.items())]})


def record_upgraded(session: Session, row: Deployment, actor: str, previous_template_version: int,
                    changes: list[Change]) -> None:
    record(session, UPGRADED, actor=actor, at=clock.now(), details={
        "process_id": row.process_id, "version": row.version, "deployment_id": row.id,
        "template": row.template_process_id, "template_version": row.template_version,
        "previous_template_version": previous_template_version,
        "parameters": [{"name": c.name, "before": c.before, "after": c.after, "note": c.note} for c in changes]})


def events(session: Session, process_id: str) -> dict[int, TemplateEvent]:
    """The template events of ``process_id``, by the procedure version each deployed."""
    found: dict[int, TemplateEvent] = {}
    rows = session.scalars(select(AuditEvent).where(AuditEvent.kind.in_((ADOPTED, UPGRADED))).order_by(AuditEvent.id))
    for event in rows:
        details = event.details or {}
        if details.get("process_id") != process_id:
            continue
        found[int(details["version"])] = TemplateEvent(
            event.kind, process_id, int(details["version"]), str(details.get("template") or ""),
            int(details.get("template_version") or 0), details.get("previous_template_version"),
            _changes(list(details.get("parameters") or [])), event.actor)
    return {version: _named(session, event) for version, event in found.items()}


def _named(session: Session, event: TemplateEvent) -> TemplateEvent:
    """The event with the template's name and each parameter's label, as the version history shows
    them (issue 16): read from the procedure version it deployed and the template version it follows."""
    xml = session.scalar(select(Deployment.bpmn_xml).where(Deployment.process_id == event.process_id,
                                                           Deployment.version == event.version))
    properties = read_diagram(xml).properties if xml else {}
    changes = tuple(replace(c, label=(properties.get(f"{PARAM_PREFIX}{c.name}.label") or "").strip() or c.name)
                    for c in event.changes)
    name = session.scalar(select(Deployment.name).where(Deployment.process_id == event.template,
                                                        Deployment.version == event.template_version))
    return replace(event, changes=changes, template_name=name or event.template)
