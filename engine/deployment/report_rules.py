"""A procedure's report schedule, read from its diagram's process properties ``report.*``, and its
deployment checks.

Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25 («ежемесячно … докладывает») and Kaluga п. 1.1 («не
реже одного раза в квартал … представление Губернатору») say how often and to whom, never on which
day: the day is the procedure's parameter, declared in the diagram like the addressees:

* ``report.period`` — ``month`` or ``quarter``: the period one report covers;
* ``report.recipient`` — whom to send it, space-separated keys of engine.bpmn.conventions RECIPIENTS
  (``deputy_governor`` is the deputy governor supervising the territory's curator organisation, the
  one that compiles the report; ``authorities`` and ``agency_head`` are refused: a state body gets
  no summary, and an agency head is told of his agency's breaches, not sent the region's report);
* ``report.due`` — when, after the period closes, it is sent: ``<n> working_days`` (1…20: at the
  start of the n-th working day of the territory's calendar after the period, so breaches that
  fell due on its last day are recorded first) or ``<n> days`` (0…31: at local midnight n calendar
  days after the period; «до 5 числа» is ``4 days``);
* ``report.clause`` — the act's clause cited in the notification (optional).

Declaring any ``report.*`` declares the schedule: then every one but the clause is required. The
parsing is here once: deployment reports its problems (hooked in engine.deployment.contract), the
worker (engine.reports.schedule) reads the parsed :class:`ReportSchedule`. It lives in deployment,
below reports, because deployment may not import the layer above it.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from engine.bpmn import conventions as c
from engine.bpmn.reader import Diagram
from engine.texts import Text, t

__all__ = ["CLAUSE", "DUE", "DUE_UNITS", "PERIOD", "PERIODS", "RECIPIENT", "REPORT_RECIPIENTS", "ReportSchedule",
           "read_schedule", "report_problems", "report_schedule"]

PERIOD, RECIPIENT, DUE, CLAUSE = "report.period", "report.recipient", "report.due", "report.clause"
MONTH, QUARTER = "month", "quarter"
PERIODS = (MONTH, QUARTER)
WORKING_DAYS, DAYS = "working_days", "days"
# unit → (least, greatest). Why these: a report a month late is no longer monthly; 0 working days
# has no start of a day to send at, 0 calendar days is the moment the period closes.
DUE_UNITS: Mapping[str, tuple[int, int]] = {WORKING_DAYS: (1, 20), DAYS: (0, 31)}
REQUIRED = (PERIOD, RECIPIENT, DUE)
REPORT_RECIPIENTS = frozenset(c.RECIPIENTS - {c.RECIPIENT_AUTHORITIES, "agency_head"})
CLAUSE_CHARS = 32  # as violation.clause: "20", "1.1"


@dataclass(frozen=True)
class ReportSchedule:
    period: str  # month | quarter
    recipients: tuple[str, ...]
    due_amount: int
    due_unit: str  # working_days | days
    clause: str = ""


def _due(raw: str) -> tuple[tuple[int, str] | None, Text | None]:
    words = raw.split()
    units = ", ".join(DUE_UNITS)
    if len(words) != 2 or words[1] not in DUE_UNITS or not words[0].isdigit():
        return None, t("schedule.due_bad", value=raw[:64], units=units)
    amount, unit = int(words[0]), words[1]
    least, greatest = DUE_UNITS[unit]
    if not least <= amount <= greatest:
        return None, t("schedule.due_out_of_bounds", value=raw[:64], unit=unit, least=least, greatest=greatest)
    return (amount, unit), None


def read_schedule(properties: Mapping[str, str | None]) -> tuple[ReportSchedule | None, list[tuple[str, Text]]]:
    """The schedule a process declares (None when it declares no ``report.*``, or a wrong one) and
    the problems, each with the property it names."""
    declared = {k: (v or "") for k, v in properties.items() if k.startswith(c.REPORT_PREFIX)}
    if not declared:
        return None, []
    problems: list[tuple[str, Text]] = []
    for name in REQUIRED:
        if not declared.get(name, "").strip():
            problems.append((name, t("schedule.missing", name=name, meaning=t(f"schedule.meaning.{name}"))))
    period = declared.get(PERIOD, "").strip()
    if period and period not in PERIODS:
        problems.append((PERIOD, t("schedule.period_unknown", value=period[:64], known=", ".join(PERIODS))))
    keys = tuple(dict.fromkeys(declared.get(RECIPIENT, "").split()))
    for key in keys:
        if key not in REPORT_RECIPIENTS:
            problems.append((RECIPIENT, t("schedule.recipient_unknown", value=key[:64],
                                          known=", ".join(sorted(REPORT_RECIPIENTS)))))
    due, problem = _due(declared[DUE]) if declared.get(DUE, "").strip() else (None, None)
    if problem is not None:
        problems.append((DUE, problem))
    clause = declared.get(CLAUSE, "").strip()
    if len(clause) > CLAUSE_CHARS:
        problems.append((CLAUSE, t("schedule.clause_long", chars=CLAUSE_CHARS)))
    if problems or due is None:
        return None, problems
    return ReportSchedule(period, keys, due[0], due[1], clause), []


def report_schedule(properties: Mapping[str, str | None]) -> ReportSchedule | None:
    """The declared schedule, or None (none declared; a wrong one was refused at deployment)."""
    return read_schedule(properties)[0]


def report_problems(diagram: Diagram) -> Iterator[tuple[str | None, Text]]:
    """(the process id, the problem naming the property) for each wrong ``report.*`` declaration."""
    for _name, problem in read_schedule(diagram.properties)[1]:
        yield diagram.process_id, problem
