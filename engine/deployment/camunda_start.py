"""Camunda Modeler's "start instance": a test message registered from the request's variables.

Otklik's cases start from a citizen's message, so starting a process definition registers one:
``network``, ``url``, ``author``, ``text`` and (optionally; now when absent) ``posted_at`` and
``detected_at`` as Camunda typed variables (``{"value": …, "type": "String"|"Date"}``), checked
exactly as the registration form checks them (engine.runtime.registration). The message is a real
case of the procedure's territory, so this is off unless the server's administrator set
``OTKLIK_TEST_STARTS=1`` (a test server), and only the region's analysts and curators may do it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.deployment.camunda_rest import definition_id
from engine.directory import policy
from engine.directory.access import current_grants
from engine.errors import Forbidden, InvalidSubmission, NotFound
from engine.models import Deployment
from engine.models.message import TEST_START_SOURCE
from engine.runtime.cases import NETWORKS, MessageInput, start_procedure
from engine.runtime.registration import registration_problems
from engine.settings import settings
from engine.texts import Text, t

REQUIRED = ("network", "url", "author", "text")
DATES = ("posted_at", "detected_at")
NAMES = REQUIRED + DATES
MAX_VARIABLES = 50  # more than the six names is a mistake; never walk an unbounded map


class BadBody(ValueError):
    """The request body is not ``{"businessKey": …, "variables": {…}}``."""


def _definition(session: Session, definition: str, by_key: bool) -> Deployment:
    """The procedure version an id names (``key:version:deploymentId``) or a key's newest one."""
    query = select(Deployment).where(Deployment.kind == "procedure")
    if by_key:
        query = query.where(Deployment.process_id == definition).order_by(Deployment.version.desc())
    else:
        row_id = definition.rpartition(":")[2]  # the id's last part; key and version are checked below
        if not row_id.isdigit() or len(row_id) > 18:
            raise NotFound(t("engine_rest.no_definition", definition=definition[:200]))
        query = query.where(Deployment.id == int(row_id))
    row = session.scalar(query.limit(1))
    if row is None or (not by_key and definition_id(row) != definition):
        raise NotFound(t("engine_rest.no_definition", definition=definition[:200]))
    return row


def _may_start(session: Session, login: str, row: Deployment) -> None:
    granted = current_grants(session, login)
    if row.region in policy.deploy_regions(granted) or row.region in policy.registration_regions(granted):
        return
    if row.region in policy.procedure_regions_for(session, login):
        raise Forbidden(t("engine_rest.not_starter", process=row.process_id))
    raise NotFound(t("engine_rest.no_definition", definition=definition_id(row)))


def _variables(body: Any) -> tuple[str | None, dict[str, Any]]:
    if not isinstance(body, dict):
        raise BadBody
    key, variables = body.get("businessKey"), body.get("variables") or {}
    if (key is not None and not isinstance(key, str)) or not isinstance(variables, dict) \
            or len(variables) > MAX_VARIABLES:
        raise BadBody
    values: dict[str, Any] = {}
    for name, typed in variables.items():
        if not isinstance(typed, dict):
            raise BadBody
        values[str(name)] = typed.get("value")
    return key, values


def _date(value: Any) -> datetime | None:
    """Camunda's Date (``2026-12-07T10:00:00.000+0300``) or ISO 8601, with its offset."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def _message(region: str, values: dict[str, Any]) -> tuple[MessageInput | None, dict[str, Text]]:
    problems: dict[str, Text] = {}
    for name in values:
        if name not in NAMES:
            problems[name] = t("engine_rest.problem_unknown_variable", names=", ".join(NAMES))
    for name in REQUIRED:
        if values.get(name) is not None and not isinstance(values[name], str):
            problems[name] = t("engine_rest.bad_value")
    now = clock.now()
    dates: dict[str, datetime] = {}
    for name in DATES:
        if values.get(name) is None:
            dates[name] = now
        elif (instant := _date(values[name])) is not None:
            dates[name] = instant
        else:
            problems[name] = t("engine_rest.bad_date")
    if problems:
        return None, problems
    text = {name: str(values.get(name) or "") for name in REQUIRED}
    return MessageInput(region=region, network=text["network"], url=text["url"], author=text["author"],
                        text=text["text"], posted_at=dates["posted_at"], detected_at=dates["detected_at"],
                        source=TEST_START_SOURCE), {}


def _problem(code: str) -> Text:
    if code in ("unknown", "not_listed"):
        return t(f"engine_rest.problem_{code}", networks=", ".join(NETWORKS))
    return t(f"engine_rest.problem_{code}")


def invalid_message(error: InvalidSubmission) -> Text:
    """The refusal of a start whose variables are wrong: every variable with what to change."""
    parts = [t("engine_rest.variable", name=name, problem=problem) for name, problem in error.errors.items()]
    return t("engine_rest.invalid", problems="; ".join(str(p) for p in parts))


def start_test_message(session: Session, login: str, definition: str, by_key: bool, body: Any) -> dict[str, Any]:
    """``POST /process-definition/{id}/start`` (or ``/key/{key}/start``): registers the test
    message and starts the procedure; answered in Camunda's process-instance shape.

    Raises Forbidden (test starts off; not the region's analyst or curator), NotFound (no such
    definition the official may see), BadBody, InvalidSubmission (variable → what to change)."""
    if not settings().test_starts:
        raise Forbidden(t("engine_rest.test_starts_off"))
    row = _definition(session, definition, by_key)
    _may_start(session, login, row)
    business_key, values = _variables(body)
    message, problems = _message(row.region, values)
    if message is None:
        raise InvalidSubmission(problems)
    if codes := registration_problems(session, message):
        raise InvalidSubmission({name: _problem(code) for name, code in codes.items()})
    instance = start_procedure(session, message, login, process_id=row.process_id)
    started = session.get(Deployment, instance.deployment_id)
    assert started is not None  # the instance was just started on it
    return {"id": str(instance.id), "definitionId": definition_id(started), "businessKey": business_key,
            "caseInstanceId": None, "ended": instance.status == "completed", "suspended": False,
            "tenantId": None, "links": []}
