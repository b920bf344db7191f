"""Adopting a template: a territory's own procedure generated from it, previewed, then deployed.

The generated diagram goes through engine.deployment.deployer.deploy like any upload, so every
check applies (a value that makes a deadline impossible is refused there, naming the element); its
forms are the template version's own. Registration then starts it for the territory like any
procedure deployed there (engine.runtime.cases); the template itself never runs.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn.template_parameters import Parameter
from engine.calendar.regions import REGIONS
from engine.deployment.deployer import Source, deploy
from engine.deployment.template_rules import may_deploy
from engine.deployment.validation import MAX_PROCESS_ID
from engine.directory.access import current_grants
from engine.models import Deployment
from engine.templates import history
from engine.templates.catalogue import TemplateError, TemplateForbidden, check_values, template_row
from engine.templates.generate import generate
from engine.texts import t

__all__ = ["Adoption", "adopt", "authorize", "default_name", "deploy_generated", "preview_adoption"]

_PROCESS_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")  # an XML NCName without dots or dashes: a safe key
# How a template's name says it is one (bpmn/templates/*.bpmn); an adopted procedure is no template.
_TEMPLATE_MARK = re.compile(r"\s*[(（]\s*(шаблон|template)\s*[)）]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Adoption:
    """What adopting would deploy: the generated diagram and the forms it goes with (a procedure
    card is ``engine.views.procedure_card.procedure_card(bpmn_xml, forms)``)."""

    template_process_id: str
    template_version: int
    process_id: str
    territory: str
    name: str
    values: dict[str, str]  # every parameter's value as people write it (``true``, ``8``, ``official``)
    parameters: tuple[Parameter, ...]  # the template version's declarations (defaults: the template's)
    bpmn_xml: str
    forms: dict[str, str] = field(default_factory=dict)  # form id → .form JSON, the template version's

    @property
    def changed(self) -> dict[str, str]:
        """The values that differ from the template's defaults."""
        return {p.name: self.values[p.name] for p in self.parameters if self.values[p.name] != p.default}


def authorize(session: Session, login: str, territory: str, process_id: str) -> None:
    """An analyst of ``territory`` (or of its region) may deploy its procedure, as a browser upload
    may (engine.deployment.template_rules): the territory is theirs and so is every one the process
    id was deployed for before. Raises TemplateForbidden otherwise."""
    if not may_deploy(session, current_grants(session, login), process_id, territory):
        raise TemplateForbidden("territory", t("templates.territory_not_yours", territory=territory, process=process_id))


def _process_id(session: Session, template_pid: str, territory: str, process_id: str | None) -> str:
    pid = (process_id or "").strip() or f"{template_pid}_{territory}"
    if not _PROCESS_ID.match(pid) or len(pid) > MAX_PROCESS_ID:
        raise TemplateError("process_id", t("templates.process_id_invalid", process=pid[:80], limit=MAX_PROCESS_ID))
    if session.scalar(select(Deployment.id).where(Deployment.process_id == pid, Deployment.kind == "template")
                      .limit(1)) is not None:
        raise TemplateError("process_id", t("templates.process_is_template", process=pid))
    return pid


def default_name(template_name: str, territory: str) -> str:
    """An adopted procedure's name unless one is given: the template's, without its «(шаблон)» mark,
    and the adopting territory's name — «Типовой порядок — Берёзовский сельсовет»."""
    base = _TEMPLATE_MARK.sub("", template_name).strip() or template_name
    return f"{base} — {REGIONS[territory].name}"


def preview_adoption(session: Session, template_pid: str, territory: str, values: Mapping[str, str],
                     process_id: str | None = None, *, name: str | None = None,
                     version: int | None = None) -> Adoption:
    """The procedure adopting the template (its newest version, or ``version``) would deploy for
    ``territory``; nothing is stored. ``process_id`` defaults to ``<template>_<territory>``,
    ``name`` to :func:`default_name`. TemplateError names the field that is wrong."""
    row = template_row(session, template_pid, version)
    if territory not in REGIONS:
        raise TemplateError("territory", t("templates.territory_unknown", territory=territory,
                                           known=", ".join(sorted(REGIONS))))
    pid = _process_id(session, template_pid, territory, process_id)
    parameters = tuple(Parameter.from_json(p) for p in row.parameters or ())
    chosen = check_values(parameters, values, template_pid)
    title = (name or "").strip() or default_name(row.name, territory)
    xml = generate(row.bpmn_xml, template_pid, row.version, pid, territory, parameters, chosen, title)
    return Adoption(template_pid, row.version, pid, territory, title, chosen, parameters, xml, dict(row.forms))


def deploy_generated(session: Session, adoption: Adoption, actor: str) -> tuple[Deployment, bool]:
    """Deploy a generated procedure through the deployer (every check applies): its row, and
    whether it is a new version (False: the same content was deployed before)."""
    sources = [Source(f"{adoption.process_id}.bpmn", adoption.bpmn_xml.encode("utf-8"))]
    sources += [Source(f"{form_id}.form", text.encode("utf-8")) for form_id, text in sorted(adoption.forms.items())]
    [deployed] = deploy(session, sources, actor)
    row = session.scalar(select(Deployment).where(Deployment.process_id == deployed.process_id,
                                                  Deployment.version == deployed.version))
    assert row is not None  # deploy() has just stored or found it
    return row, deployed.created


def adopt(session: Session, template_pid: str, territory: str, values: Mapping[str, str], actor: str,
          process_id: str | None = None, *, name: str | None = None, check_actor: bool = True) -> Deployment:
    """Adopt the template's newest version for ``territory``: deploy the generated procedure (a new
    version of ``process_id`` when it exists, the same one when nothing changed). ``actor`` is a
    login that must be an analyst of the territory; the console (``otklik templates adopt``, like
    ``otklik deploy``) passes ``check_actor=False``. A new version is recorded as ``template_adopted``
    (engine.templates.history). Raises TemplateError, DeploymentError."""
    adoption = preview_adoption(session, template_pid, territory, values, process_id, name=name)
    if check_actor:
        authorize(session, actor, territory, adoption.process_id)
    row, created = deploy_generated(session, adoption, actor)
    if created:
        defaults = {p.name: p.default for p in adoption.parameters}
        history.record_adopted(session, row, actor, {n: (defaults[n], v) for n, v in adoption.changed.items()})
    return row
