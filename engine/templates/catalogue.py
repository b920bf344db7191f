"""The deployed templates, their parameters and who adopted them; a value checked against its declaration.

A template is a diagram declaring ``template`` = ``true`` (engine.bpmn.template_parameters): the
deployer stores it as a Deployment of kind ``template`` — versioned, never run. A procedure adopted
from one is a Deployment of kind ``procedure`` naming ``template_process_id`` and ``template_version``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn.template_parameters import Parameter, ParameterValueError, normalise
from engine.errors import FieldError, Forbidden, NotFound
from engine.models import Deployment
from engine.texts import t

__all__ = ["Adopter", "Parameter", "TemplateError", "TemplateForbidden", "TemplateInfo", "TemplateNotFound", "adopted_from", "check_values",
           "parameters_of", "template_row", "templates"]


class TemplateError(FieldError):
    """A refused template operation; ``field`` names the input (a parameter's name, ``territory``,
    ``process_id``, ``template``) for the form to mark, the message is a Text."""


class TemplateNotFound(TemplateError, NotFound):
    """No such template, template version, or adopted procedure (a page answers 404)."""


class TemplateForbidden(TemplateError, Forbidden):
    """The user may not adopt or upgrade for that territory (a page answers 403, a form may say why)."""


@dataclass(frozen=True)
class Adopter:
    """A territory's procedure adopted from a template: the template version its newest version comes from."""

    territory: str
    process_id: str
    template_version: int


@dataclass(frozen=True)
class TemplateInfo:
    process_id: str
    name: str
    versions: tuple[int, ...]  # newest first
    parameters: tuple[Parameter, ...]  # the newest version's, with its defaults
    adopters: tuple[Adopter, ...]

    @property
    def newest(self) -> int:
        return self.versions[0]


def template_row(session: Session, template_pid: str, version: int | None = None) -> Deployment:
    """A template's deployment (its newest version by default); TemplateError when there is none."""
    query = select(Deployment).where(Deployment.process_id == template_pid, Deployment.kind == "template")
    if version is not None:
        query = query.where(Deployment.version == version)
    row = session.scalar(query.order_by(Deployment.version.desc()).limit(1))
    if row is None:
        raise TemplateNotFound("template", t("templates.no_version", template=template_pid, version=version)
                            if version is not None and _exists(session, template_pid)
                            else t("templates.not_template", template=template_pid))
    return row


def _exists(session: Session, template_pid: str) -> bool:
    return session.scalar(select(func.count()).select_from(Deployment).where(
        Deployment.process_id == template_pid, Deployment.kind == "template")) != 0


def _parameters(row: Deployment) -> tuple[Parameter, ...]:
    return tuple(Parameter.from_json(p) for p in row.parameters or ())


def parameters_of(session: Session, template_pid: str, version: int | None = None) -> list[Parameter]:
    """The parameters a template version declares (the newest by default), in declaration order."""
    return list(_parameters(template_row(session, template_pid, version)))


def adopted_from(session: Session, process_id: str) -> Deployment | None:
    """The newest version of ``process_id`` when it was adopted from a template, else None."""
    row = session.scalar(select(Deployment).where(Deployment.process_id == process_id, Deployment.kind == "procedure")
                         .order_by(Deployment.version.desc()).limit(1))
    return row if row is not None and row.template_process_id else None


def _adopters(session: Session, template_pid: str) -> tuple[Adopter, ...]:
    newest = (select(Deployment.process_id, func.max(Deployment.version).label("version"))
              .where(Deployment.kind == "procedure").group_by(Deployment.process_id).subquery())
    rows = session.execute(
        select(Deployment.region, Deployment.process_id, Deployment.template_version)
        .join(newest, (newest.c.process_id == Deployment.process_id) & (newest.c.version == Deployment.version))
        .where(Deployment.template_process_id == template_pid)
        .order_by(Deployment.region, Deployment.process_id)).all()
    return tuple(Adopter(region, pid, version or 0) for region, pid, version in rows)


def templates(session: Session) -> list[TemplateInfo]:
    """Every deployed template, by process id: its versions, the newest's parameters, its adopters."""
    rows = session.execute(select(Deployment.process_id, Deployment.version).where(Deployment.kind == "template")
                           .order_by(Deployment.process_id, Deployment.version.desc())).all()
    versions: dict[str, list[int]] = {}
    for pid, version in rows:
        versions.setdefault(pid, []).append(version)
    found = []
    for pid, numbers in versions.items():
        newest = template_row(session, pid, numbers[0])
        found.append(TemplateInfo(pid, newest.name, tuple(numbers), _parameters(newest), _adopters(session, pid)))
    return found


def check_values(parameters: Sequence[Parameter], raw: Mapping[str, str], template: str = "") -> dict[str, str]:
    """Every parameter's value: the one given (normalised: ``true``, ``8``, ``official``), else its
    default. Raises TemplateError naming the first parameter whose value is outside its declaration,
    or a name that is no parameter."""
    by_name = {p.name: p for p in parameters}
    for name in raw:
        if name not in by_name:
            raise TemplateError(name, t("templates.value_unknown", template=template, name=name,
                                        names=", ".join(by_name) or "—"))
    values: dict[str, str] = {}
    for parameter in parameters:
        given = raw.get(parameter.name)
        try:
            values[parameter.name] = normalise(parameter, parameter.default if given is None else given)
        except ParameterValueError as error:
            raise TemplateError(parameter.name, error.text) from None
    return values
