"""Upgrading an adopted procedure to its template's newest version, keeping the values it chose.

The plan says everything before anything is deployed: the template versions, each parameter kept
(with the procedure's value), added by the new version (at its default) or removed (with the value
it had: never dropped silently), and what changed in the template itself as engine.bpmn.diagramdiff
sees it (steps, deadlines, forms, parameters' defaults; no layout). Upgrading deploys a new version
of the procedure: running cases stay on the version they started on.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.bpmn.diagramdiff import DiagramDiff, diff_versions
from engine.bpmn.template_parameters import Parameter, ParameterValueError, normalise
from engine.models import Deployment
from engine.templates.adoption import authorize, deploy_generated, preview_adoption
from engine.templates.catalogue import TemplateNotFound, adopted_from, template_row
from engine.texts import Text, t

__all__ = ["ParameterValue", "UpgradePlan", "upgrade", "upgrade_plan"]


@dataclass(frozen=True)
class ParameterValue:
    parameter: Parameter  # the new version's declaration (the old one's for a removed parameter)
    value: str
    problem: Text | None = None  # a kept value the new declaration refuses: give another one to upgrade


@dataclass(frozen=True)
class UpgradePlan:
    process_id: str
    territory: str
    version: int  # the procedure's newest version
    template_process_id: str
    current: int  # the template version the procedure was generated from
    newest: int
    kept: tuple[ParameterValue, ...]
    added: tuple[ParameterValue, ...]  # at the new version's default
    removed: tuple[ParameterValue, ...]  # with the value the procedure had
    diff: DiagramDiff  # template version ``current`` → ``newest``

    @property
    def behind(self) -> bool:
        """A newer template version is there to upgrade to."""
        return self.newest > self.current

    @property
    def values(self) -> dict[str, str]:
        """What upgrading deploys with unless told otherwise: kept values, new parameters' defaults."""
        return {item.parameter.name: item.value for item in self.kept + self.added}


def _adopted(session: Session, process_id: str) -> Deployment:
    row = adopted_from(session, process_id)
    if row is None:
        raise TemplateNotFound("process_id", t("templates.not_adopted", process=process_id))
    return row


def upgrade_plan(session: Session, process_id: str) -> UpgradePlan:
    """What upgrading ``process_id`` to its template's newest version would do. TemplateError for a
    procedure not adopted from a template."""
    procedure = _adopted(session, process_id)
    template_pid, current = procedure.template_process_id or "", procedure.template_version or 0
    old = template_row(session, template_pid, current)
    new = template_row(session, template_pid)
    chosen = {p["name"]: str(p.get("default") or "") for p in procedure.parameters or ()}
    old_declared = {p["name"]: Parameter.from_json(p) for p in old.parameters or ()}
    kept, added, removed = [], [], []
    for parameter in (Parameter.from_json(p) for p in new.parameters or ()):
        if parameter.name not in chosen:
            added.append(ParameterValue(parameter, parameter.default))
            continue
        problem = None
        try:
            value = normalise(parameter, chosen[parameter.name])
        except ParameterValueError as error:
            value, problem = chosen[parameter.name], error.text
        kept.append(ParameterValue(parameter, value, problem))
    new_names = {p["name"] for p in new.parameters or ()}
    for name, value in chosen.items():
        if name not in new_names:
            declared = old_declared.get(name) or Parameter(name, "text", name, "", (), value, "")
            removed.append(ParameterValue(declared, value))
    diff = diff_versions(old.bpmn_xml, old.forms, new.bpmn_xml, new.forms)
    return UpgradePlan(process_id, procedure.region, procedure.version, template_pid, current, new.version,
                       tuple(kept), tuple(added), tuple(removed), diff)


def upgrade(session: Session, process_id: str, actor: str, values: Mapping[str, str] | None = None, *,
            check_actor: bool = True) -> Deployment:
    """Regenerate ``process_id`` from its template's newest version with its own values (``values``
    override some; a new parameter takes its default) and deploy it as the procedure's next version
    (the same version when nothing changed). ``check_actor`` as for engine.templates.adopt."""
    plan = upgrade_plan(session, process_id)
    procedure = _adopted(session, process_id)
    if check_actor:
        authorize(session, actor, plan.territory, process_id)
    adoption = preview_adoption(session, plan.template_process_id, plan.territory, {**plan.values, **(values or {})},
                                process_id, name=procedure.name)
    return deploy_generated(session, adoption, actor)
