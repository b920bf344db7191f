"""Deploying templates and what is adopted from them: who may deploy a diagram of either kind, and
that an adopted procedure names a template version that exists.

A template declaring no territory (engine.bpmn.template_parameters) serves every municipality: its
authors are the analysts of a region that has municipalities (engine.directory.policy.template_authoring).
A template declaring one, and every procedure, is the territory's: its analysts, and its region's
(policy.deploy_regions). The versions deployed under the process id before count too, so nobody
changes someone else's diagram by reusing its id. Checked for a browser upload and for an adoption;
the console deploys as the operator, like ``otklik deploy``.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.deployment.validation import DiagramInfo
from engine.directory import policy
from engine.directory.access import Grant
from engine.errors import Problem
from engine.models import Deployment
from engine.texts import t

__all__ = ["may_deploy", "source_problems"]


def may_deploy(session: Session, granted: Iterable[Grant], process_id: str, region: str) -> bool:
    """Whether the grants let their holder deploy ``process_id`` declaring ``region`` ("" for a
    template serving every municipality), given the territories it was deployed for before."""
    granted = list(granted)
    territories = set(policy.deploy_regions(granted))
    authoring = policy.template_authoring(granted)

    def theirs(territory: str) -> bool:
        return territory in territories if territory else authoring

    before = set(session.scalars(select(Deployment.region).where(Deployment.process_id == process_id)))
    return theirs(region) and all(theirs(territory) for territory in before)


def source_problems(session: Session, diagrams: Iterable[tuple[str, DiagramInfo]]) -> list[Problem]:
    """An adopted procedure's ``template.source`` names a deployed template and ``template.version``
    one of its versions; each refusal names the process and the property to change. ``diagrams``:
    (file name, what validation read) for each diagram of a deployment."""
    problems: list[Problem] = []
    for name, info in diagrams:
        if info.template is None:
            continue
        source, version = info.template
        pid = info.process_id
        versions = set(session.scalars(select(Deployment.version).where(Deployment.process_id == source,
                                                                        Deployment.kind == policy.TEMPLATE_KIND)))
        if not versions:
            problems.append(Problem(name, pid, t("templates.source_unknown", source=source)))
        elif version not in versions:
            problems.append(Problem(name, pid, t("templates.source_version_unknown", source=source, version=version,
                                                 versions=", ".join(str(v) for v in sorted(versions)))))
    return problems
