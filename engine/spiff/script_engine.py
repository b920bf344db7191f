"""Diagram expressions run in the restricted language, never through ``eval``.

SpiffWorkflow hands every gateway condition, timer expression and completion condition to
``script_engine.evaluate``. Ours interprets them with :mod:`engine.expressions.language` and offers
the working-time functions bound to the procedure's region calendar and our clock.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from types import MappingProxyType
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import DurationTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask

from engine import clock
from engine.bpmn.timer_bounds import due_problem, timer_value_problem
from engine.calendar.workingtime import Schedule, WorkingCalendar, calendar_for_region
from engine.expressions.language import BASE_FUNCTIONS, ExpressionError, evaluate
from engine.texts import Text, t

WORKING_TIME_FUNCTIONS = ("working_hours", "working_minutes", "working_days", "now")


def _instant(value: Any, calendar: WorkingCalendar) -> datetime:
    """``since`` may be an ISO string from task data, a datetime, or absent (= now)."""
    if value is None:
        return clock.now().astimezone(calendar.timezone)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise ExpressionError(t("expression.since_not_datetime", kind=type(value).__name__))
    instant: datetime = value
    if instant.tzinfo is None:
        # A local time without offset is read in the region's zone, as people write it.
        instant = instant.replace(tzinfo=calendar.timezone)
    # The same window as a due instant: counting from the year 2 or 9999 is a typo, never a deadline.
    if problem := due_problem(instant.isoformat(), clock.now(), t("validation.timer.what_since")):
        raise ExpressionError(problem)  # a ValueError too; kept a Text if the problem is one (read when shown)
    return instant


# Organisation schedules for the evaluation under way (set by the store around engine steps).
_schedules: ContextVar[Mapping[str, Schedule]] = ContextVar("otklik_schedules", default=MappingProxyType({}))


@contextmanager
def organisation_schedules(schedules: Mapping[str, Schedule]) -> Iterator[None]:
    token = _schedules.set(schedules)
    try:
        yield
    finally:
        _schedules.reset(token)


def working_time_functions(region: str) -> dict[str, Callable[..., str]]:
    """The catalogue entries; each returns an ISO-8601 instant, as SpiffWorkflow timers need.

    ``org`` names an organisation whose own schedule applies (engine.calendar.schedules); without it,
    or for an organisation without one, the region's default schedule does.
    """

    def calendar(org: str | None) -> WorkingCalendar:
        schedule = _schedules.get().get(org) if org else None
        return calendar_for_region(region, schedule)

    def working_hours(n: float, since: Any = None, org: str | None = None) -> str:
        cal = calendar(org)
        return cal.working_hours(n, _instant(since, cal)).isoformat()

    def working_minutes(n: float, since: Any = None, org: str | None = None) -> str:
        cal = calendar(org)
        return cal.working_minutes(n, _instant(since, cal)).isoformat()

    def working_days(n: int, since: Any = None, org: str | None = None) -> str:
        cal = calendar(org)
        return cal.working_days(n, _instant(since, cal)).isoformat()

    def now() -> str:
        # The engine's clock (virtual in tests, pinned to the due time while a timer fires), in
        # the region's zone: ``received_at = now()`` on a task's output records when it was done.
        return clock.now().astimezone(calendar_for_region(region).timezone).isoformat()

    return {
        "working_hours": working_hours,
        "working_minutes": working_minutes,
        "working_days": working_days,
        "now": now,
    }


def catalogue_names() -> frozenset[str]:
    """Every function a diagram may call (for deployment checks)."""
    return frozenset(BASE_FUNCTIONS) | frozenset(WORKING_TIME_FUNCTIONS)


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self, functions: Mapping[str, Callable[..., Any]]) -> None:
        super().__init__({})
        self.functions = {**BASE_FUNCTIONS, **functions}

    def evaluate(self, expression: str, context: Mapping[str, Any], external_context: Any = None) -> Any:
        variables = {**context, **(external_context or {})}
        return evaluate(expression, variables, self.functions)

    def execute(self, script: str, context: Any, external_context: Any = None) -> bool:
        # Script tasks are refused at deployment; this is the run-time backstop.
        raise PermissionError("script tasks are not allowed in Otklik diagrams")

    def call_service(self, context: Any, **kwargs: Any) -> Any:
        raise PermissionError("service calls go through the external-task registry")


CASE_KEY = "case"


def case_variables(workflow: Any) -> dict[str, Any]:
    """Case-wide variables: what forms submitted, latest value wins.

    SpiffWorkflow gives each parallel branch its own copy of the data, so a deadline branch
    would never see ``published`` set on the main branch. Camunda 7 diagrams assume
    process-wide variables; this dict restores that meaning.
    """
    variables: dict[str, Any] = workflow.top_workflow.data.setdefault(CASE_KEY, {})
    return variables


def _timer_problem(task: Any, expression: str, value: Any) -> Text | None:
    """What is wrong with the value of a timer's expression (the check SpiffWorkflow lacks)."""
    spec = getattr(task, "task_spec", None)
    definition = getattr(spec, "event_definition", None)
    if not isinstance(definition, TimerEventDefinition) or expression != definition.expression:
        return None
    # Armed now, due when it says: a due instant in 9999 would be a silent wait of centuries.
    problem = timer_value_problem(value, isinstance(definition, DurationTimerEventDefinition), clock.now())
    return t("expression.timer_problem", timer=getattr(spec, "bpmn_id", ""), problem=problem) if problem else None


def _is_loop_cardinality(task: Any, expression: str) -> bool:
    spec = getattr(task, "task_spec", None)
    return isinstance(spec, MultiInstanceTask) and spec.cardinality is not None and expression == spec.cardinality


class CaseScriptEngine(PythonScriptEngine):
    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        if _is_loop_cardinality(task, expression):
            # Refused at deployment. In a diagram deployed before that, SpiffWorkflow 3.2.0 would start
            # as many tasks as it says, read the text as a variable name, or fail with a NameError.
            raise ExpressionError(t("expression.loop_cardinality", element=task.task_spec.bpmn_id))
        context = {**task.data, **case_variables(task.workflow), **(external_context or {})}
        value = self.environment.evaluate(expression, context)
        if problem := _timer_problem(task, expression, value):
            raise ExpressionError(problem)
        return value


@cache
def script_engine_for_region(region: str) -> PythonScriptEngine:
    return CaseScriptEngine(environment=RestrictedEnvironment(working_time_functions(region)))
