"""Camunda Modeler's deploy button, spoken in Camunda 7's REST shapes (issue 17, ``/engine-rest``).

The Modeler's Camunda 7 deployment tool (camunda-modeler, CamundaAPI.js) asks ``GET /version``
and ``GET /deployment?maxResults=0`` to check the connection, then posts the diagram and its
attached forms to ``/deployment/create``. Deploying this way is the browser's deployment
(engine.deployment.browser.deploy_upload): the same checks, the same right (an analyst deploys
into their own regions) and the same versioning by content. This module only reads the request's
parts into Sources and writes the answer in Camunda's shape, so the Modeler reads it as it reads
Camunda's: the definition ids it can start, or a refusal whose message lists every problem.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.deployment import browser
from engine.deployment.deployer import Deployed, Source
from engine.directory.policy import procedure_regions_for
from engine.errors import Problem
from engine.models import Deployment
from engine.texts import Text, render, t

# Camunda 7's own version first: the Modeler reads it as the engine profile (7.x); the suffix
# says whose server it is.
VERSION = "7.20.0-otklik"
MAX_LISTED = 100  # GET /deployment without maxResults: the newest hundred, as Camunda bounds nothing
# The prefix Camunda 7 starts a parse failure with (ENGINE-09005); the Modeler recognises a
# refused diagram by it and shows the message's lines as the problems to fix.
PARSE_PREFIX = "ENGINE-09005 Could not parse BPMN process."
# What the routes under /engine-rest answer; anything else is refused naming this list.
@dataclass(frozen=True)
class Refusal:
    """A Camunda-style error: HTTP status, Camunda's exception type, the message (a Text renders
    in the reader's language) and, for a refused diagram, every problem."""

    status: int
    kind: str
    message: Text | str
    problems: tuple[Problem, ...] = ()

    def as_json(self, lang: str | None = None) -> dict[str, Any]:
        message = render(self.message, lang)
        if not self.problems:
            return {"type": self.kind, "message": message}
        lines = "\n".join(f"* {_where(p)}: {render(p.message, lang)}" for p in self.problems)
        return {"type": self.kind, "message": f"{PARSE_PREFIX} {message}\n{lines}",
                "details": _details(self.problems, lang)}


def version() -> dict[str, str]:
    return {"version": VERSION}


def camunda_time(instant: datetime) -> str:
    """Camunda 7's date format (``yyyy-MM-dd'T'HH:mm:ss.SSSZ``), which its clients parse."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}" + instant.strftime("%z")


def definition_id(row: Deployment) -> str:
    """Camunda's ``key:version:deploymentId``: one version of one procedure."""
    return f"{row.process_id}:{row.version}:{row.id}"


def definition(row: Deployment, deployment_id: int) -> dict[str, Any]:
    return {"id": definition_id(row), "key": row.process_id, "category": None, "description": None,
            "name": row.name, "version": row.version, "resource": row.filename, "deploymentId": str(deployment_id),
            "diagram": None, "suspended": False, "tenantId": None, "versionTag": None,
            "historyTimeToLive": None, "startableInTasklist": True}


def _deployment(row: Deployment, name: str | None = None, source: str | None = None) -> dict[str, Any]:
    return {"id": str(row.id), "name": name or row.filename, "source": source,
            "deploymentTime": camunda_time(row.deployed_at), "tenantId": None, "links": []}


def deployments(session: Session, login: str, max_results: int | None) -> list[dict[str, Any]]:
    """``GET /deployment``: the newest versions of the procedures the official may see, newest
    first; ``maxResults=0`` (the Modeler's connection check) asks for none."""
    limit = MAX_LISTED if max_results is None else max(0, min(max_results, MAX_LISTED))
    if limit == 0:
        return []
    regions = procedure_regions_for(session, login)
    rows = session.scalars(select(Deployment).where(Deployment.region.in_(regions))
                           .order_by(Deployment.id.desc()).limit(limit))
    return [_deployment(row) for row in rows]


def create(session: Session, login: str, sources: Sequence[Source], name: str | None,
           source: str | None) -> dict[str, Any]:
    """``POST /deployment/create``: deployed as from the browser, answered as Camunda answers.

    Raises DeploymentError (every problem) or Forbidden, as browser.deploy_upload does. Identical
    content makes no new version (Otklik's versioning is by content, so duplicate filtering is
    always on); its definition is still listed, so the Modeler can start it."""
    deployed = browser.deploy_upload(session, login, list(sources))
    rows = [_row(session, item) for item in deployed]
    first = rows[0]
    answer = _deployment(first, name, source)
    answer.update({"deployedProcessDefinitions": {definition_id(row): definition(row, first.id) for row in rows},
                   "deployedCaseDefinitions": None, "deployedDecisionDefinitions": None,
                   "deployedDecisionRequirementsDefinitions": None})
    return answer


def _row(session: Session, item: Deployed) -> Deployment:
    row = session.scalar(select(Deployment).where(Deployment.process_id == item.process_id,
                                                  Deployment.version == item.version))
    assert row is not None  # deploy_upload just stored it or found it
    return row


def refused(problems: Sequence[Problem]) -> Refusal:
    """A refused deployment: 400 ParseException. The message lists every problem as
    ``file: element: what to change``; the details give them per file with the element id, as
    Camunda 7.19's parse report does. Rendered when answered, in the reader's language."""
    return Refusal(400, "ParseException", t("engine_rest.refused", count=len(problems)), tuple(problems))


def _where(problem: Problem) -> str:
    return f"{problem.file}: {problem.element}" if problem.element else problem.file


def _details(problems: Sequence[Problem], lang: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for problem in problems:
        report = details.setdefault(problem.file, {"errors": [], "warnings": []})
        report["errors"].append({"message": render(problem.message, lang), "line": 0, "column": 0,
                                 "mainElementId": problem.element,
                                 "elementIds": [problem.element] if problem.element else []})
    return details


def forbidden(message: Text | str) -> Refusal:
    return Refusal(403, "AuthorizationException", message)


def not_found(message: Text | str) -> Refusal:
    return Refusal(404, "InvalidRequestException", message)


def unsupported(method: str, path: str) -> Refusal:
    """Anything under /engine-rest this subset does not answer: 404 for a path it does not know,
    naming what it does support (docs/integration.md lists the same)."""
    return Refusal(404, "InvalidRequestException", t("engine_rest.unsupported", method=method, path=path[:200]))
