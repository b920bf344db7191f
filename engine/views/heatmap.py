"""Where a procedure hurts: per diagram element, the violations recorded and the median working
time its tasks took, for a region and a period (month or quarter, as in the reports)."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn.conventions import BASIS_PARAMETER
from engine.bpmn.reader import Node, read
from engine.calendar.periods import Period, parse_period
from engine.calendar.regions import get_region
from engine.calendar.workingtime import calendar_for_region
from engine.deployment.deployer import latest, serving
from engine.errors import NotFound
from engine.models import Deployment, Instance, Task, Violation


@dataclass
class HeatCell:
    element_id: str
    name: str = ""  # the element's name as drawn (what people read); its id never reaches a page
    violations: int = 0
    completed: int = 0
    median_minutes: float | None = None   # working minutes from a task's start to its completion
    # The act's clauses breached here (each a link to the violation registry), and the breaches of
    # the procedure's own deadlines ("parameter"), never counted under a clause.
    clauses: Counter[str] = field(default_factory=Counter)
    parameters: Counter[str] = field(default_factory=Counter)

    @property
    def median(self) -> timedelta | None:
        """The median to the minute, for the page to write with its one duration format."""
        return timedelta(minutes=round(self.median_minutes)) if self.median_minutes is not None else None


@dataclass
class Heatmap:
    process_id: str
    region: str
    period: Period
    deployment: Deployment
    cells: dict[str, HeatCell] = field(default_factory=dict)

def heatmap(session: Session, region: str, label: str, process_id: str | None = None) -> Heatmap:
    """Violations and median times of the region's procedure (all its versions) in the period,
    drawn on its newest version. Raises NotFound without a deployment, ValueError for a bad period."""
    info = get_region(region)
    period = parse_period(label, info.timezone)
    pid = process_id or serving(session, region) or ""  # the procedure serving the region, whatever its id
    deployment = latest(session, pid, region=region)
    if deployment is None or deployment.region != region:
        raise NotFound(f"no procedure '{pid}' is deployed in region '{region}'")
    instances = select(Instance.id).join(Deployment, Deployment.id == Instance.deployment_id).where(
        Deployment.process_id == pid, Deployment.region == region)
    result = Heatmap(pid, region, period, deployment)
    diagram = read(deployment.bpmn_xml)  # engine.bpmn.reader: parsed once per diagram, not per page
    hosts = diagram.timer_hosts()  # a boundary timer → the task it guards: a breach is drawn on the late step

    def cell(element_id: str) -> HeatCell:
        if element_id not in result.cells:
            result.cells[element_id] = HeatCell(element_id, _name(diagram.nodes.get(element_id)))
        return result.cells[element_id]

    # By due time, as the summaries (engine.reports.summary): the same period, the same breaches.
    due = func.coalesce(Violation.due_at, Violation.recorded_at)
    for violation in session.scalars(select(Violation).where(
            Violation.instance_id.in_(instances), due >= period.start, due < period.end)):
        target = cell(hosts.get(violation.timer_id or "", violation.timer_id or violation.element_id))
        target.violations += 1
        if violation.basis == BASIS_PARAMETER:
            target.parameters[violation.deadline] += 1
        else:
            target.clauses[violation.clause] += 1
    calendar = calendar_for_region(region)
    durations: dict[str, list[float]] = {}
    for task in session.scalars(select(Task).where(
            Task.instance_id.in_(instances), Task.status == "completed", Task.closed_at >= period.start,
            Task.closed_at < period.end)):
        closed_at = task.closed_at
        assert closed_at is not None  # the query asked for closed_at in the period
        if not calendar.countable(task.created_at, closed_at):
            continue  # open for over ten years: no median is served by counting it
        spent = calendar.working_time_between(task.created_at, closed_at).total_seconds() / 60
        durations.setdefault(task.element_id, []).append(spent)
    for element_id, values in durations.items():
        target = cell(element_id)
        target.completed, target.median_minutes = len(values), statistics.median(values)
    return result


def _name(node: Node | None) -> str:
    """The step as drawn; an element of an older version that the newest no longer has, or one drawn
    without a name, reads as a step with no name (the page says so in words, never with the id)."""
    return node.name if node is not None else ""
