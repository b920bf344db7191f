"""The comparison of what is deployed: the newest procedure serving each territory, side by side
(engine.views.comparison builds the table from the diagrams; this reads them from the database)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.views.comparison import Comparison, compare
from engine.views.comparison_adopted import template_of


def comparison_for_deployments(session: Session, regions: Iterable[str] | None = None) -> Comparison:
    """The table for the newest procedure deployed for each region, whatever its process id (the
    diagram declares the territory it serves), for ``regions`` only when given (the viewer's:
    engine.directory.policy.procedure_regions_for). An adopted procedure's column names its template
    and version and marks where its parameters depart from the template's defaults."""
    from engine.deployment.deployer import latest, serving

    diagrams: dict[str, str] = {}
    forms: dict[str, Mapping[str, str]] = {}
    versions: dict[str, int] = {}
    templates: dict[str, tuple[str, str, int]] = {}
    missing: list[str] = []
    shown = set(REGIONS if regions is None else regions)
    for region in (r for r in REGIONS if r in shown):
        pid = serving(session, region)
        deployment = latest(session, pid, region=region) if pid is not None else None
        if deployment is None:
            missing.append(region)
            continue
        diagrams[region], forms[region], versions[region] = deployment.bpmn_xml, deployment.forms or {}, deployment.version
        source = template_of(session, deployment)
        if source is not None:
            templates[region] = source
    table = compare(diagrams, forms, templates)
    return Comparison(table.regions, table.titles, table.cells, table.process_ids, versions, missing, table.adopted)

