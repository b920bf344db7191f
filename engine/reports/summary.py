"""Summary reports the acts demand: timeliness, quality and dynamics of the work with messages.

Orenburg п. 20, Smolensk п. 14 and Kuzbass п. 25 ask for a monthly summary, Kaluga п. 1.1 for a
quarterly one. The figures come from what the engine records anyway — messages, cases,
violations (per clause and agency) and the audit of completed steps — so a report can be
produced for any past period.

A period's figures are chosen so that they do not move once it is over: messages by the time
they were detected, violations by the time they fell DUE (a deadline of 30 November missed is a
November breach, even if the worker records it on 1 December). What can still move — a case of
the period answered after it ended — is why a report is frozen when it is sent
(engine.reports.frozen). A breach of a deadline the act does not set (``basis`` = ``parameter``)
is never counted under the act's clause: it has its own line (:attr:`Summary.by_parameter`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.conventions import BASIS_PARAMETER
from engine.calendar.periods import Period, parse_period
from engine.calendar.regions import get_region
from engine.directory import policy
from engine.directory.access import current_grants
from engine.directory.names import organisation_names
from engine.errors import Forbidden
from engine.models import Deployment, Instance, Message, Task, Violation
from engine.reports import dynamics, quality
from engine.reports.facts import DiagramFacts, ended_without_answer, facts_by_instance
from engine.views import option_labels as option_labels_module

EXECUTING_ROLES = ("executor", "last_executor")
NO_TOPIC = "—"  # a message registered without a topic (stored so in by_topic and frozen snapshots)


@dataclass
class AgencyLine:
    organisation_key: str
    organisation_name: str = ""  # what people read; the key only when the organisation is gone
    cases: int = 0          # cases in which the agency had an executor task
    violations: int = 0     # breaches of the act's deadlines
    parameter_violations: int = 0  # breaches of deadlines the procedure sets, not the act
    reworks: int = 0        # drafts sent back by the curator (quality)
    by_clause: Counter[str] = field(default_factory=Counter)


@dataclass
class Summary:
    region: str
    region_name: str
    period: Period
    messages: int = 0
    answered: int = 0               # cases of the period completed with an answer
    answered_in_time: int = 0       # … without a breach of the act's deadlines
    no_answer: int = 0              # ended without an answer (threats, obscenities, not processed)
    open_cases: int = 0
    repeats: int = 0
    violations: int = 0             # breaches of the act's deadlines due in the period
    parameter_violations: int = 0   # breaches of the procedure's own deadlines due in the period
    by_network: Counter[str] = field(default_factory=Counter)
    by_topic: Counter[str] = field(default_factory=Counter)
    by_clause: Counter[str] = field(default_factory=Counter)      # act's clause → breaches
    by_parameter: Counter[str] = field(default_factory=Counter)   # deadline key → parameter breaches
    agencies: list[AgencyLine] = field(default_factory=list)
    previous_messages: int = 0      # dynamics: the same count for the period before
    quality: quality.Quality = field(default_factory=quality.Quality)
    months: list[dynamics.Month] = field(default_factory=list)  # dynamics, oldest first
    # What people read for a topic value (the routing forms' option labels, engine.views.registry):
    # filled when the report is shown (:func:`name_things`), never stored in a frozen snapshot.
    topic_labels: dict[str, str] = field(default_factory=dict, compare=False)  # words, not a figure

    def topic_label(self, topic: str) -> str:
        return self.topic_labels.get(topic, topic)

    @property
    def timeliness(self) -> float | None:
        """Share of answered cases without a breach of the act (None when nothing was answered)."""
        return self.answered_in_time / self.answered if self.answered else None


def report_regions(session: Session, login: str) -> list[str]:
    """Regions whose summary ``login`` may see (as curator, supervisor or regulator)."""
    return policy.report_regions(current_grants(session, login))


def current_month(region: str) -> str:
    """``YYYY-MM`` of today in the region's zone: the default period offered."""
    return clock.now().astimezone(ZoneInfo(get_region(region).timezone)).strftime("%Y-%m")


def summary_for(session: Session, login: str, region: str, label: str,
                months: int = dynamics.DEFAULT_MONTHS) -> Summary:
    """:func:`build_summary` for someone allowed to see it (Forbidden otherwise)."""
    if region not in report_regions(session, login):
        raise Forbidden(f"{login} may not see the summary of region '{region}'")
    return build_summary(session, region, label, months)


def due_in(period: Period) -> ColumnElement[bool]:
    """The condition "the violation fell due in ``period``" (recorded time for a row without one)."""
    due = func.coalesce(Violation.due_at, Violation.recorded_at)
    return and_(due >= period.start, due < period.end)


def build_summary(session: Session, region: str, label: str, months: int = dynamics.DEFAULT_MONTHS) -> Summary:
    """The summary of ``region`` for the period (``YYYY-MM`` or ``YYYY-Qn``): messages detected
    in it, violations due in it; ``months`` of dynamics ending with it (1…MAX_MONTHS)."""
    info = get_region(region)
    period = parse_period(label, info.timezone)
    summary = Summary(region, info.name, period)
    summary.months = dynamics.monthly(session, region, period, months)
    messages = list(session.scalars(select(Message).where(
        Message.region == region, Message.detected_at >= period.start, Message.detected_at < period.end)))
    summary.messages = len(messages)
    summary.repeats = sum(1 for m in messages if m.repeat_of_id is not None)
    summary.by_network.update(m.network for m in messages)
    summary.by_topic.update(m.topic or NO_TOPIC for m in messages)
    previous = period.previous(info.timezone)
    summary.previous_messages = session.scalar(select(func.count(Message.id)).where(
        Message.region == region, Message.detected_at >= previous.start, Message.detected_at < previous.end)) or 0
    due = list(session.scalars(select(Violation).where(Violation.region == region, due_in(period))))
    for violation in due:
        if violation.basis == BASIS_PARAMETER:
            summary.parameter_violations += 1
            summary.by_parameter[violation.deadline] += 1
        else:
            summary.violations += 1
            summary.by_clause[violation.clause] += 1
    ids = [m.id for m in messages]
    instances = list(session.scalars(select(Instance).where(Instance.message_id.in_(ids)))) if ids else []
    facts = facts_by_instance(session, [i.id for i in instances])
    # "In time" asks whether the case ever broke the act, whenever that fell due.
    breached = set(session.scalars(select(Violation.instance_id).where(
        Violation.instance_id.in_([i.id for i in instances]), Violation.basis != BASIS_PARAMETER))) if instances else set()
    answered: list[Instance] = []
    for instance in instances:
        if instance.status != "completed":
            summary.open_cases += 1
        elif ended_without_answer(instance, facts[instance.id]):
            summary.no_answer += 1
        else:
            answered.append(instance)
            summary.answered_in_time += instance.id not in breached
    summary.answered = len(answered)
    summary.agencies = _agency_lines(session, [i.id for i in instances], due, facts)
    summary.quality = quality.measure(session, region, answered, {m.id: m for m in messages}, facts)
    return name_things(session, summary)


def name_things(session: Session, summary: Summary) -> Summary:
    """The summary with what people read filled in: each agency's name (engine.directory.names; the
    name stored with a frozen report when the organisation is gone) and each topic's label from the
    region's deployed forms — a report for the Governor names no key (issue 16)."""
    names = organisation_names(session, (line.organisation_key for line in summary.agencies))
    for line in summary.agencies:
        line.organisation_name = names.get(line.organisation_key) or line.organisation_name or line.organisation_key
    summary.topic_labels = topic_labels(session, summary.region) if summary.by_topic else {}
    return summary


def topic_labels(session: Session, region: str) -> dict[str, str]:
    """Topic value → label over every version deployed for the region, the newest's label first."""
    rows = session.execute(select(Deployment.id, Deployment.content_hash).where(Deployment.region == region)
                           .order_by(Deployment.version.desc(), Deployment.id.desc())).all()
    return option_labels_module.topic_labels(session, rows)


def _agency_lines(session: Session, instance_ids: list[int], violations: list[Violation],
                  facts: dict[int, DiagramFacts]) -> list[AgencyLine]:
    lines: dict[str, AgencyLine] = {}

    def line(key: str) -> AgencyLine:
        return lines.setdefault(key, AgencyLine(key))

    rows = session.execute(select(Task.instance_id, Task.organisation_key, Task.element_id).where(
        Task.instance_id.in_(instance_ids), Task.role.in_(EXECUTING_ROLES),
        Task.organisation_key.is_not(None))).all() if instance_ids else []
    # The query already leaves out tasks without an agency; the test says so to the type checker.
    tasks = [(instance_id, key, element) for instance_id, key, element in rows if key is not None]
    for key, cases in Counter(key for _, key in {(i, key) for i, key, _ in tasks}).items():
        line(key).cases = cases
    for violation in violations:
        if violation.organisation_key:
            agency = line(violation.organisation_key)
            if violation.basis == BASIS_PARAMETER:
                agency.parameter_violations += 1
            else:
                agency.violations += 1
                agency.by_clause[violation.clause] += 1
    # Quality: a task declared step "rework" opened for the agency means its draft was sent back.
    for instance_id, key, element in tasks:
        if instance_id in facts and element in facts[instance_id].rework_steps:
            line(key).reworks += 1
    return sorted(lines.values(), key=lambda item: (-item.violations, -item.parameter_violations, item.organisation_key))
