"""``otklik deploy``'s line per diagram, saying which version is in force after it.

A deployment stores a file whose content is already a version as nothing new, and new cases start
from the newest version. So after an analyst deployed a version 2 from the browser, ``make run``
(which deploys bpmn/*.bpmn) finds the file is version 1 and changes nothing: version 2 stays in
force, and the line says so — never "unchanged, still version 1". A file that is new content
becomes the newest version, so it replaces whatever was newest: the line names that version too,
with who deployed it and when (in its territory's time), since it may be an analyst's from the
browser.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.regions import get_region
from engine.deployment.deployer import Deployed, latest
from engine.models import Deployment
from engine.texts import Text, t


def _when(deployment: Deployment) -> str:
    """dd.mm.yyyy HH:MM (zone) in the deployment's territory, as the procedure page shows it."""
    zone = get_region(deployment.region).timezone if deployment.region else "UTC"  # a template may serve none
    return f"{deployment.deployed_at.astimezone(ZoneInfo(zone)):%d.%m.%Y %H:%M} ({zone})"


def summary(session: Session, result: Deployed) -> Text:
    """The line for one deployed file."""
    names = {"file": result.filename, "process": result.process_id, "version": result.version}
    if result.created:
        previous = session.scalar(select(Deployment).where(Deployment.process_id == result.process_id,
                                                           Deployment.version == result.version - 1))
        if previous is None:
            return t("deployment.cli_deployed", **names)
        return t("deployment.cli_replaces", **names, previous=previous.version, who=previous.deployed_by,
                 when=_when(previous))
    newest = latest(session, result.process_id)
    if newest is None or newest.version == result.version:
        return t("deployment.cli_unchanged", **names)
    return t("deployment.cli_older", **names, active=newest.version, who=newest.deployed_by, when=_when(newest))
