"""Deployed versions as a reviewer finds them: a version's facts, and one version looked up for
someone who may review its region. Deployment lookups live with the deployments (the browser's
deploy page compares versions, the catalogue lists them) rather than in a read model, so that
engine.deployment does not import engine.views."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory.policy import procedure_regions_for, visible_deployments
from engine.errors import NotFound
from engine.models import Deployment


@dataclass(frozen=True)
class Version:
    deployment_id: int
    version: int
    deployed_at: datetime
    deployed_by: str
    filename: str
    content_hash: str


def deployment_for(session: Session, login: str, process_id: str, version: int) -> Deployment:
    """One version, if it exists in a region the user may review (NotFound otherwise, so ids
    reveal nothing)."""
    deployment = session.scalar(select(Deployment).where(
        Deployment.process_id == process_id, Deployment.version == version,
        visible_deployments(procedure_regions_for(session, login))))  # every template too
    if deployment is None:
        raise NotFound(f"procedure {process_id} version {version} does not exist")
    return deployment
