"""Deployed versions as a reviewer finds them: a version's facts, and one version looked up for
someone who may review its region. Deployment lookups live with the deployments (the browser's
deploy page compares versions, the catalogue lists them) rather than in a read model, so that
engine.deployment does not import engine.views."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.names import official_names
from engine.directory.policy import procedure_regions_for, visible_deployments
from engine.errors import NotFound
from engine.models import Deployment
from engine.texts import t


@dataclass(frozen=True)
class Version:
    deployment_id: int
    version: int
    deployed_at: datetime
    deployed_by: str
    filename: str
    content_hash: str
    deployed_by_name: str = ""  # who deployed it, as people read it (deployer_names): never a login


@dataclass(frozen=True)
class Deployed:
    """One version for its page: the row, who deployed it and the template it follows, in words."""
    deployment: Deployment
    deployed_by_name: str
    template_name: str | None  # the template's name, for a procedure adopted from one


def deployer_names(session: Session, logins: Iterable[str]) -> dict[str, str]:
    """login → what people read for whoever deployed: the official's full name; a deploy from the
    server's console (``otklik deploy`` run by a system account) says so in words (issue 16)."""
    wanted = set(logins)
    names = official_names(session, wanted)
    return {login: names.get(login) or str(t("version.deployed_from_console")) for login in wanted}


def deployed(session: Session, login: str, process_id: str, version: int) -> Deployed:
    """:func:`deployment_for` with who deployed it and the template it follows, named."""
    deployment = deployment_for(session, login, process_id, version)
    template_name = None
    if deployment.template_process_id and deployment.template_version is not None:
        template_name = session.scalar(select(Deployment.name).where(
            Deployment.process_id == deployment.template_process_id,
            Deployment.version == deployment.template_version))
    return Deployed(deployment, deployer_names(session, [deployment.deployed_by])[deployment.deployed_by],
                    template_name or None)


def deployment_for(session: Session, login: str, process_id: str, version: int) -> Deployment:
    """One version, if it exists in a region the user may review (NotFound otherwise, so ids
    reveal nothing)."""
    deployment = session.scalar(select(Deployment).where(
        Deployment.process_id == process_id, Deployment.version == version,
        visible_deployments(procedure_regions_for(session, login))))  # every template too
    if deployment is None:
        raise NotFound(f"procedure {process_id} version {version} does not exist")
    return deployment
