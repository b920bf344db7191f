"""Deployed procedures as regulators and analysts browse them: every version of every procedure
in their regions (a regulator's are all regions). One version: engine.deployment.versions."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.deployment.versions import Version, deployer_names
from engine.directory.policy import procedure_regions_for, visible_deployments
from engine.models import Deployment


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


def _region_name(key: str) -> str:
    """A territory's name; empty for a template that declares none (it serves every municipality)."""
    return REGIONS[key].display_name if key in REGIONS else ""


def procedures(session: Session, login: str) -> list[Procedure]:
    """Every procedure deployed in the user's regions, region procedures first, then templates."""
    regions = procedure_regions_for(session, login)
    rows = session.scalars(select(Deployment).where(visible_deployments(regions))  # and every template
                           .order_by(Deployment.process_id, Deployment.version.desc()))
    grouped: dict[str, list[Deployment]] = {}
    for row in rows:
        grouped.setdefault(row.process_id, []).append(row)
    who = deployer_names(session, {d.deployed_by for items in grouped.values() for d in items})
    result = [Procedure(
        process_id=pid, name=items[0].name, region=items[0].region, region_name=_region_name(items[0].region),
        versions=tuple(Version(d.id, d.version, d.deployed_at, d.deployed_by, d.filename, d.content_hash,
                               who[d.deployed_by]) for d in items),
    ) for pid, items in grouped.items()]
    return sorted(result, key=lambda p: (p.process_id not in REGIONS, p.region, p.process_id))
