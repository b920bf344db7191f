"""Upgrading an adopted procedure to its template's newest version, keeping the values it chose.

The plan says everything before anything is deployed: the template versions, each parameter kept
(with the procedure's value), added by the new version (at its default) or removed (with the value
it had: never dropped silently), and what changed in the template itself as engine.bpmn.diagramdiff
sees it (steps, deadlines, forms, parameters' defaults; no layout). Upgrading deploys a new version
of the procedure: running cases stay on the version they started on.

A value that merely equalled the old template's default, where the new version's default differs
(8 → 6), was never the municipality's choice: it was the template's. The plan lists it apart
(``default_moved``) and the upgrade takes the new default unless told to keep the old one
(``keep_defaults``; the page's box «взять 6», ``--keep-default`` in the console) — either way the
plan and the procedure's history say so.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.bpmn.diagramdiff import DiagramDiff, diff_versions
from engine.bpmn.template_parameters import Parameter, ParameterValueError, normalise
from engine.models import Deployment
from engine.templates import history
from engine.templates.adoption import authorize, deploy_generated, preview_adoption
from engine.templates.catalogue import TemplateError, TemplateNotFound, adopted_from, template_row
from engine.texts import Text, t

__all__ = ["ParameterValue", "UpgradePlan", "upgrade", "upgrade_plan"]


@dataclass(frozen=True)
class ParameterValue:
    parameter: Parameter  # the new version's declaration (the old one's for a removed parameter)
    value: str
    problem: Text | None = None  # a kept value the new declaration refuses: give another one to upgrade
    old_default: str | None = None  # default_moved: the old template default the procedure had kept


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
    # The procedure had the old default and the default moved: ``value`` is the new default (taken
    # unless kept), ``old_default`` the value it had.
    default_moved: tuple[ParameterValue, ...] = ()

    @property
    def behind(self) -> bool:
        """A newer template version is there to upgrade to."""
        return self.newest > self.current

    @property
    def values(self) -> dict[str, str]:
        """What upgrading deploys with unless told otherwise: kept values, moved defaults' new
        values, new parameters' defaults."""
        return {item.parameter.name: item.value for item in self.kept + self.default_moved + self.added}


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
    kept, moved, added, removed = [], [], [], []
    for parameter in (Parameter.from_json(p) for p in new.parameters or ()):
        if parameter.name not in chosen:
            added.append(ParameterValue(parameter, parameter.default))
            continue
        before = old_declared.get(parameter.name)
        if before is not None and chosen[parameter.name] == before.default != parameter.default:
            moved.append(ParameterValue(parameter, parameter.default, old_default=before.default))
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
                       tuple(kept), tuple(added), tuple(removed), diff, tuple(moved))


def _changes(plan: UpgradePlan, before: Mapping[str, str], after: Mapping[str, str]) -> list[history.Change]:
    """What the upgrade did to the parameters, for the audit log: values changed, added, removed,
    and each moved default taken or kept."""
    moved = {item.parameter.name: item for item in plan.default_moved}
    changes = []
    for name, value in after.items():
        if name in moved:
            note = "default_taken" if value == moved[name].value else "default_kept"
            changes.append(history.Change(name, before.get(name), value, note))
        elif before.get(name) != value:
            changes.append(history.Change(name, before.get(name), value))
    changes += [history.Change(item.parameter.name, item.value, None) for item in plan.removed]
    return changes


def upgrade(session: Session, process_id: str, actor: str, values: Mapping[str, str] | None = None, *,
            keep_defaults: Collection[str] = (), check_actor: bool = True) -> Deployment:
    """Regenerate ``process_id`` from its template's newest version with its own values (``values``
    override some; a new parameter takes its default; a moved default its new value unless named in
    ``keep_defaults``) and deploy it as the procedure's next version (the same version when nothing
    changed). A new version is recorded as ``template_upgraded`` (engine.templates.history).
    ``check_actor`` as for engine.templates.adopt."""
    plan = upgrade_plan(session, process_id)
    procedure = _adopted(session, process_id)
    if check_actor:
        authorize(session, actor, plan.territory, process_id)
    moved = {item.parameter.name: item for item in plan.default_moved}
    for name in keep_defaults:
        if name not in moved:
            raise TemplateError("keep_default", t("templates.default_not_moved", name=name,
                                        names=", ".join(moved) or "—"))
    kept = {name: moved[name].old_default or "" for name in keep_defaults}
    adoption = preview_adoption(session, plan.template_process_id, plan.territory,
                                {**plan.values, **kept, **(values or {})}, process_id, name=procedure.name)
    row, created = deploy_generated(session, adoption, actor)
    if created:
        before = {p["name"]: str(p.get("default") or "") for p in procedure.parameters or ()}
        history.record_upgraded(session, row, actor, plan.current, _changes(plan, before, adoption.values))
    return row
