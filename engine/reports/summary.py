"""Summary reports the acts demand: timeliness, quality and dynamics of the work with messages.

Orenburg п. 20, Smolensk п. 14 and Kuzbass п. 25 ask for a monthly summary, Kaluga п. 1.1 for a
quarterly one. The figures come from what the engine records anyway — messages, cases,
violations (per clause and agency) and the audit of completed steps — so a report can be
produced for any past period, and the same period always gives the same figures.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.conventions import declares
from engine.bpmn.reader import read_diagram
from engine.calendar.periods import Period, parse_period
from engine.calendar.regions import get_region
from engine.directory import policy
from engine.directory.access import current_grants
from engine.errors import Forbidden
from engine.models import Deployment, Instance, Message, Task, Violation

EXECUTING_ROLES = ("executor", "last_executor")
@dataclass
class AgencyLine:
    organisation_key: str
    cases: int = 0          # cases in which the agency had an executor task
    violations: int = 0
    reworks: int = 0        # drafts sent back by the curator (quality)
    by_clause: Counter[str] = field(default_factory=Counter)


@dataclass
class Summary:
    region: str
    region_name: str
    period: Period
    messages: int = 0
    answered: int = 0               # cases of the period that are completed
    answered_in_time: int = 0       # … without any violation
    open_cases: int = 0
    repeats: int = 0
    violations: int = 0
    by_network: Counter[str] = field(default_factory=Counter)
    by_topic: Counter[str] = field(default_factory=Counter)
    by_clause: Counter[str] = field(default_factory=Counter)
    agencies: list[AgencyLine] = field(default_factory=list)
    previous_messages: int = 0      # dynamics: the same count for the period before

    @property
    def timeliness(self) -> float | None:
        """Share of answered cases without a violation (None when nothing was answered)."""
        return self.answered_in_time / self.answered if self.answered else None


def report_regions(session: Session, login: str) -> list[str]:
    """Regions whose summary ``login`` may see (as curator, supervisor or regulator)."""
    return policy.report_regions(current_grants(session, login))


def current_month(region: str) -> str:
    """``YYYY-MM`` of today in the region's zone: the default period offered."""
    return clock.now().astimezone(ZoneInfo(get_region(region).timezone)).strftime("%Y-%m")


def summary_for(session: Session, login: str, region: str, label: str) -> Summary:
    """:func:`build_summary` for someone allowed to see it (Forbidden otherwise)."""
    if region not in report_regions(session, login):
        raise Forbidden(f"{login} may not see the summary of region '{region}'")
    return build_summary(session, region, label)


def build_summary(session: Session, region: str, label: str) -> Summary:
    """The summary of messages detected in the period (``YYYY-MM`` or ``YYYY-Qn``) in ``region``."""
    info = get_region(region)
    period = parse_period(label, info.timezone)
    summary = Summary(region, info.name, period)
    messages = list(session.scalars(select(Message).where(
        Message.region == region, Message.detected_at >= period.start, Message.detected_at < period.end)))
    ids = [m.id for m in messages]
    summary.messages = len(messages)
    summary.repeats = sum(1 for m in messages if m.repeat_of_id is not None)
    summary.by_network.update(m.network for m in messages)
    summary.by_topic.update(m.topic or "—" for m in messages)
    previous = period.previous(info.timezone)
    summary.previous_messages = len(session.scalars(select(Message.id).where(
        Message.region == region, Message.detected_at >= previous.start, Message.detected_at < previous.end)).all())
    if not ids:
        return summary
    instances = list(session.scalars(select(Instance).where(Instance.message_id.in_(ids))))
    violations = list(session.scalars(select(Violation).where(Violation.message_id.in_(ids))))
    violated = {v.instance_id for v in violations}
    for instance in instances:
        if instance.status == "completed":
            summary.answered += 1
            summary.answered_in_time += instance.id not in violated
        else:
            summary.open_cases += 1
    summary.violations = len(violations)
    summary.by_clause.update(v.clause for v in violations)
    summary.agencies = _agency_lines(session, [i.id for i in instances], violations)
    return summary


def _agency_lines(session: Session, instance_ids: list[int], violations: list[Violation]) -> list[AgencyLine]:
    lines: dict[str, AgencyLine] = {}

    def line(key: str) -> AgencyLine:
        return lines.setdefault(key, AgencyLine(key))

    rows = session.execute(select(Task.instance_id, Task.organisation_key, Task.element_id).where(
        Task.instance_id.in_(instance_ids), Task.role.in_(EXECUTING_ROLES),
        Task.organisation_key.is_not(None))).all()
    # The query already leaves out tasks without an agency; the test says so to the type checker.
    tasks = [(instance_id, key, element) for instance_id, key, element in rows if key is not None]
    for key, cases in _cases_per_agency(tasks).items():
        line(key).cases = cases
    for violation in violations:
        if violation.organisation_key:
            line(violation.organisation_key).violations += 1
            line(violation.organisation_key).by_clause[violation.clause] += 1
    # Quality: a task declared step "rework" opened for the agency means its draft was sent back.
    for _, key, _ in _rework_tasks(session, instance_ids, tasks):
        line(key).reworks += 1
    return sorted(lines.values(), key=lambda item: (-item.violations, item.organisation_key))


def _rework_tasks(session: Session, instance_ids: list[int],
                  tasks: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The tasks whose element declares the step ``rework`` in its case's diagram version."""
    rows = session.execute(select(Instance.id, Deployment.id, Deployment.bpmn_xml)
                           .join(Deployment, Deployment.id == Instance.deployment_id)
                           .where(Instance.id.in_(instance_ids))).all()
    diagrams = {deployment_id: xml for _, deployment_id, xml in rows}
    rework: dict[int, frozenset[str]] = {
        deployment_id: frozenset(n.id for n in read_diagram(xml).nodes.values() if declares(n.properties, "rework"))
        for deployment_id, xml in diagrams.items()}
    of_instance = {instance_id: rework[deployment_id] for instance_id, deployment_id, _ in rows}
    return [task for task in tasks if task[2] in of_instance.get(task[0], frozenset())]


def _cases_per_agency(tasks: list[tuple[int, str, str]]) -> Counter[str]:
    return Counter(key for _, key in {(instance_id, key) for instance_id, key, _ in tasks})

