"""Deployed procedures as regulators and analysts browse them: every version of every procedure
in their regions (a regulator's are all regions), and one version's diagram."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.directory import policy
from engine.directory.access import current_grants
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


@dataclass(frozen=True)
class Procedure:
    process_id: str
    name: str          # of the newest version
    region: str
    region_name: str
    versions: tuple[Version, ...]  # newest first

    @property
    def latest(self) -> Version:
        return self.versions[0]


def procedure_regions(session: Session, login: str) -> list[str]:
    """Regions whose procedures ``login`` may see — the one rule of the catalogue, a version's
    page, the diff and the comparison table: a regulator oversees every region; curators,
    supervisors and analysts see the regions where they hold the role."""
    return policy.procedure_regions(current_grants(session, login))


def procedures(session: Session, login: str) -> list[Procedure]:
    """Every procedure deployed in the user's regions, region procedures first, then templates."""
    regions = procedure_regions(session, login)
    rows = session.scalars(select(Deployment).where(Deployment.region.in_(regions))
                           .order_by(Deployment.process_id, Deployment.version.desc()))
    grouped: dict[str, list[Deployment]] = {}
    for row in rows:
        grouped.setdefault(row.process_id, []).append(row)
    result = [Procedure(
        process_id=pid, name=items[0].name, region=items[0].region, region_name=REGIONS[items[0].region].name,
        versions=tuple(Version(d.id, d.version, d.deployed_at, d.deployed_by, d.filename, d.content_hash) for d in items),
    ) for pid, items in grouped.items()]
    return sorted(result, key=lambda p: (p.process_id not in REGIONS, p.region, p.process_id))


def deployment_for(session: Session, login: str, process_id: str, version: int) -> Deployment:
    """One version, if it exists in a region the user may review (NotFound otherwise, so ids
    reveal nothing)."""
    deployment = session.scalar(select(Deployment).where(Deployment.process_id == process_id,
                                                         Deployment.version == version))
    if deployment is None or deployment.region not in procedure_regions(session, login):
        raise NotFound(f"procedure {process_id} version {version} does not exist")
    return deployment
