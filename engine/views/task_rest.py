"""Camunda 7's task REST, read side (``GET /engine-rest/task``, ``/task/count``, ``/task/{id}``,
``/task/{id}/form-variables``) for other front ends: a mobile app, a bot (issue 17).

The list is the inbox: open tasks the caller's grants allow (engine.directory.access.task_clause,
the query behind the web inbox), narrowed by Camunda's parameters. A task is shown only to
whoever the task page shows it to (engine.runtime.task_forms.open_task_form, the page's own entry).

What Camunda's words mean here (docs/integration.md, "Task REST for other front ends"):
``candidateGroup`` is the diagram's ``camunda:candidateGroups`` — the role a task is for
(curator, executor, last_executor, …), never an organisation; ``assignee`` is the login of the
official who claimed it; ``processInstanceId`` is Otklik's case (instance) number;
``processDefinitionId`` is ``key:version:deploymentId`` as /engine-rest/deployment answers.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from engine.calendar.regions import get_region
from engine.deployment.camunda_rest import camunda_time
from engine.directory.access import OPEN, current_grants, task_clause
from engine.errors import InvalidSubmission
from engine.forms import Field
from engine.models import Deployment, Instance, Task
from engine.runtime import task_forms as taskform
from engine.texts import t

MAX_RESULTS = 200  # one page of GET /task; the default when maxResults is not given
MAX_FIRST_RESULT = 1_000_000
MAX_PARAMETER_CHARS = 200
MAX_LIST_VALUES = 50  # candidateGroups, variableNames
SORT_BY = ("dueDate", "created", "name", "id", "assignee")
STRINGS = ("candidateGroup", "candidateGroups", "assignee", "processInstanceId", "processDefinitionId",
           "processDefinitionKey", "taskDefinitionKey", "taskId")
DATES = ("dueBefore", "dueAfter", "createdBefore", "createdAfter")
BOOLEANS = ("assigned", "unassigned")
INTEGERS = {"firstResult": MAX_FIRST_RESULT, "maxResults": MAX_RESULTS}
PARAMETERS = (*STRINGS, *DATES, *BOOLEANS, "sortBy", "sortOrder", *INTEGERS)


class BadQuery(InvalidSubmission):
    """A query parameter this subset refuses; ``errors`` maps the parameter to its problem."""


@dataclass(frozen=True)
class TaskQuery:
    strings: Mapping[str, str]
    dates: Mapping[str, datetime]
    booleans: Mapping[str, bool]
    sort_by: str | None = None
    descending: bool = False
    first: int = 0
    limit: int = MAX_RESULTS


def parse_date(value: str) -> datetime | None:
    """Camunda's ``yyyy-MM-dd'T'HH:mm:ss.SSSZ`` (``2026-12-07T10:00:00.000+0300``) or ISO 8601, with
    an offset. A ``+`` a client left unencoded in the URL arrives as a space: read it as ``+``."""
    text = value.strip() if len(value) <= 40 else ""
    if len(text) > 19 and text[19:].startswith((" ", ".")) and " " in text[19:]:
        text = text[:19] + text[19:].replace(" ", "+")
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def _single(args: Mapping[str, Sequence[str]], name: str) -> str:
    values = args[name]
    if len(values) != 1:
        raise BadQuery({name: t("task_rest.repeated_parameter", name=name)})
    if len(values[0]) > MAX_PARAMETER_CHARS:
        raise BadQuery({name: t("task_rest.too_long", name=name, limit=MAX_PARAMETER_CHARS)})
    return values[0]


def parse_query(args: Mapping[str, Sequence[str]]) -> TaskQuery:
    """The query string of GET /task (every value per name), or BadQuery naming the parameter:
    an unknown parameter is refused, never ignored — a filter left out would list too much."""
    for name in args:
        if name not in PARAMETERS:
            raise BadQuery({name[:MAX_PARAMETER_CHARS]: t("task_rest.unknown_parameter", name=name[:MAX_PARAMETER_CHARS],
                                                          names=", ".join(PARAMETERS))})
    given = {name: _single(args, name) for name in args}
    dates: dict[str, datetime] = {}
    for name in DATES:
        if name in given:
            if (instant := parse_date(given[name])) is None:
                raise BadQuery({name: t("task_rest.bad_date", name=name)})
            dates[name] = instant
    booleans: dict[str, bool] = {}
    for name in BOOLEANS:
        if name in given:
            if given[name] not in ("true", "false"):
                raise BadQuery({name: t("task_rest.bad_boolean", name=name)})
            booleans[name] = given[name] == "true"
    numbers: dict[str, int] = {}
    for name, limit in INTEGERS.items():
        if name in given:
            raw = given[name]
            if not raw.isdigit() or len(raw) > 9 or int(raw) > limit:
                raise BadQuery({name: t("task_rest.bad_integer", name=name, limit=limit)})
            numbers[name] = int(raw)
    sort_by, order = given.get("sortBy"), given.get("sortOrder")
    if (sort_by is None) != (order is None):
        raise BadQuery({"sortBy": t("task_rest.sort_pair")})
    if sort_by is not None and sort_by not in SORT_BY:
        raise BadQuery({"sortBy": t("task_rest.bad_sort_by", names=", ".join(SORT_BY))})
    if order is not None and order not in ("asc", "desc"):
        raise BadQuery({"sortOrder": t("task_rest.bad_sort_order")})
    names(given.get("candidateGroups"), "candidateGroups")
    return TaskQuery(strings={n: given[n] for n in STRINGS if n in given}, dates=dates, booleans=booleans,
                     sort_by=sort_by, descending=order == "desc", first=numbers.get("firstResult", 0),
                     limit=numbers.get("maxResults", MAX_RESULTS))


def _filters(query: TaskQuery) -> list[ColumnElement[bool]]:
    given, dates = query.strings, query.dates
    where: list[ColumnElement[bool]] = []
    if "candidateGroup" in given:
        where.append(Task.role == given["candidateGroup"])
    if "candidateGroups" in given:
        where.append(Task.role.in_([g for g in given["candidateGroups"].split(",") if g]))
    if "assignee" in given:
        where.append(Task.claimed_by == given["assignee"])
    if "taskId" in given:
        where.append(Task.id == given["taskId"])
    if "taskDefinitionKey" in given:
        where.append(Task.element_id == given["taskDefinitionKey"])
    if "processInstanceId" in given:
        number = given["processInstanceId"]
        # Not a case number: no case has it (a text compared with an integer column fails on PostgreSQL).
        where.append(Task.instance_id == int(number) if number.isdigit() and len(number) < 16 else Task.id.is_(None))
    if "processDefinitionKey" in given:
        where.append(Deployment.process_id == given["processDefinitionKey"])
    if "processDefinitionId" in given:
        number = given["processDefinitionId"].rpartition(":")[2]
        where.append(Deployment.id == int(number) if number.isdigit() and len(number) < 16 else Task.id.is_(None))
    comparisons = {"dueBefore": Task.due_at.__lt__, "dueAfter": Task.due_at.__gt__,
                   "createdBefore": Task.created_at.__lt__, "createdAfter": Task.created_at.__gt__}
    where.extend(comparisons[name](instant) for name, instant in dates.items())
    if query.booleans.get("assigned") is True or query.booleans.get("unassigned") is False:
        where.append(Task.claimed_by.is_not(None))
    if query.booleans.get("unassigned") is True or query.booleans.get("assigned") is False:
        where.append(Task.claimed_by.is_(None))
    return where


def _selected(session: Session, login: str, query: TaskQuery, columns: Any) -> Select[Any] | None:
    """The inbox's query (``task_clause``, read through ix_task_open) with the filters. The case and
    its procedure version are joined only for a filter on the definition: joined always, counting a
    curator's thousands of tasks read every instance row (bench/inbox.py)."""
    granted = current_grants(session, login)
    if not granted:
        return None
    selected = select(*columns).where(Task.status == OPEN, task_clause(granted), *_filters(query))
    if {"processDefinitionKey", "processDefinitionId"} & set(query.strings):
        selected = (selected.join(Instance, Instance.id == Task.instance_id)
                    .join(Deployment, Deployment.id == Instance.deployment_id))
    return selected


def _order(query: TaskQuery) -> list[Any]:
    columns = {"dueDate": Task.due_at, "created": Task.created_at, "name": Task.name, "id": Task.id,
               "assignee": Task.claimed_by}
    if query.sort_by is None:  # the inbox's order: most urgent first, no due time last
        return [Task.due_at.asc().nulls_last(), Task.created_at, Task.id]
    column = columns[query.sort_by]
    first = column.desc().nulls_last() if query.descending else column.asc().nulls_last()
    return [first, Task.id.desc() if query.descending else Task.id]


def list_tasks(session: Session, login: str, query: TaskQuery) -> list[dict[str, Any]]:
    """``GET /task``: one page of the caller's open tasks in Camunda's shape."""
    selected = _selected(session, login, query, (Task,))
    if selected is None or query.limit == 0:
        return []
    tasks = list(session.scalars(selected.order_by(*_order(query)).offset(query.first).limit(query.limit)))
    definitions = _definitions(session, {task.instance_id for task in tasks})
    return [task_json(task, definitions[task.instance_id]) for task in tasks]


def _definitions(session: Session, instance_ids: set[int]) -> dict[int, str]:
    """Case number → its procedure version's Camunda id; only the three columns it is made of
    (a deployment row also holds the diagram and its serialized spec)."""
    if not instance_ids:
        return {}
    rows = session.execute(select(Instance.id, Deployment.process_id, Deployment.version, Deployment.id)
                           .join(Deployment, Deployment.id == Instance.deployment_id)
                           .where(Instance.id.in_(sorted(instance_ids))))
    return {instance: f"{key}:{version}:{row_id}" for instance, key, version, row_id in rows}


def count_tasks(session: Session, login: str, query: TaskQuery) -> int:
    """``GET /task/count``: how many open tasks the same filters select (paging ignored)."""
    selected = _selected(session, login, query, (func.count(Task.id),))
    return int(session.scalar(selected) or 0) if selected is not None else 0


def _time(instant: datetime | None, zone: str) -> str | None:
    return camunda_time(instant.astimezone(ZoneInfo(zone))) if instant is not None else None


def task_json(task: Task, definition: str) -> dict[str, Any]:
    """Camunda 7's task JSON. Times in the region's zone with their offset. The form is a
    Camunda Form deployed with the diagram (``camundaFormRef``, binding ``deployment``)."""
    zone = get_region(task.region).timezone
    form_ref = {"key": task.form_ref, "binding": "deployment", "version": None} if task.form_ref else None
    return {"id": task.id, "name": task.name, "assignee": task.claimed_by, "owner": None,
            "created": _time(task.created_at, zone), "lastUpdated": None, "due": _time(task.due_at, zone),
            "followUp": None, "delegationState": None, "description": None,
            "executionId": str(task.instance_id), "parentTaskId": None, "priority": 50,
            "processDefinitionId": definition, "processInstanceId": str(task.instance_id),
            "taskDefinitionKey": task.element_id, "caseExecutionId": None, "caseInstanceId": None,
            "caseDefinitionId": None, "suspended": False, "formKey": None, "camundaFormRef": form_ref,
            "tenantId": task.region}


def one_task(session: Session, task_id: str, login: str) -> dict[str, Any]:
    """``GET /task/{id}``: the open task as the page opens it (NotFound, Forbidden, or Conflict
    when it is done — the page's own checks, engine.runtime.task_forms.open_task_form)."""
    opened = taskform.open_task_form(session, task_id, login)
    return task_json(opened.task, _definitions(session, {opened.task.instance_id})[opened.task.instance_id])


# ---------------------------------------------------------------- the form's variables

def variable_type(field: Field) -> str:
    """The Camunda type a form field's value travels as."""
    if field.type == "checkbox":
        return "Boolean"
    if field.type == "number":
        return "Double" if field.decimal_digits else "Long"
    if field.type in ("checklist", "filepicker"):
        return "Json"
    return "String"


def _typed(field: Field, value: Any) -> dict[str, Any]:
    kind = variable_type(field)
    if kind == "Json":
        shown: Any = json.dumps(value if isinstance(value, list) else [], ensure_ascii=False)
    elif kind == "Boolean":
        shown = bool(value)
    elif kind in ("Long", "Double"):
        shown = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    else:
        shown = None if value is None or value == "" else str(value)
    return {"value": shown, "type": kind, "valueInfo": {}}


def form_variables(session: Session, task_id: str, login: str,
                   names: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """``GET /task/{id}/form-variables``: each field of the task's form with the value the task
    page starts it with (the case's value, a default, or what ``startsWith`` names), typed as
    Camunda types variables. Only ``names`` when given. A task without a form has none."""
    opened = taskform.open_task_form(session, task_id, login)
    if opened.form is None:
        return {}
    wanted = set(names) if names else None
    return {f.key: _typed(f, opened.values.get(f.key)) for f in opened.form.fields
            if wanted is None or f.key in wanted}


def names(raw: str | None, parameter: str) -> list[str] | None:
    """A comma-separated list of names (``candidateGroups``, ``variableNames``), bounded: BadQuery past it."""
    if not raw:
        return None
    if len(raw) > MAX_PARAMETER_CHARS * 10:
        raise BadQuery({parameter: t("task_rest.too_long", name=parameter, limit=MAX_PARAMETER_CHARS * 10)})
    found = [n for n in raw.split(",") if n]
    if len(found) > MAX_LIST_VALUES:
        raise BadQuery({parameter: t("task_rest.too_many_names", name=parameter, limit=MAX_LIST_VALUES)})
    return found


FORM_VARIABLE_PARAMETERS = ("variableNames", "deserializeValues")  # the latter changes nothing: no Object values


def form_variable_names(args: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The query of ``form-variables``: ``variableNames=a,b`` (others refused, as for GET /task)."""
    for name in args:
        if name not in FORM_VARIABLE_PARAMETERS:
            raise BadQuery({name[:MAX_PARAMETER_CHARS]: t("task_rest.unknown_parameter", name=name[:MAX_PARAMETER_CHARS],
                                                          names=", ".join(FORM_VARIABLE_PARAMETERS))})
    if "variableNames" not in args:
        return None
    if len(args["variableNames"]) != 1:
        raise BadQuery({"variableNames": t("task_rest.repeated_parameter", name="variableNames")})
    return names(args["variableNames"][0], "variableNames")
