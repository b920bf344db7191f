"""Template procedures in the browser (issue 14): the list of templates with their adopters, adopting
one for a municipality (a form generated from the template's declared parameters, a preview of the
procedure card, then the deployment) and upgrading an adopted procedure to the newest template version.

Every rule — which values a parameter accepts, who may adopt for which territory, what the generated
procedure is, what an upgrade keeps — lives in engine.templates; here the request is read, one engine
function is called and the page is drawn. A refused value is shown beside its field
(TemplateError.field) with everything typed kept.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as session_store
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session

from engine import templates as engine_templates
from engine.bpmn.template_parameters import PARAM_PREFIX
from engine.deployment import browser as browserdeploy
from engine.errors import DeploymentError
from engine.templates import Adoption, Parameter, TemplateError
from engine.views import adoption_preview, procedures
from engine.views.adoption_preview import AdoptionPreview

from .auth import capability_required
from .database import unit_of_work
from .presentation import region_name, viewer_page

bp = Blueprint("templates", __name__)

CHANGE_KINDS = {"added": _l("добавлен"), "removed": _l("удалён"), "changed": _l("изменён")}
TYPE_LABELS = {"hours": _l("рабочих часов"), "days": _l("рабочих дней"), "boolean": _l("да или нет"),
               "choice": _l("выбор"), "text": _l("текст")}
PROCESS_FIELD, TERRITORY_FIELD = "process_id", "territory"
REFUSED_UPGRADE = "refused_upgrade"  # the signed session cookie carries a refused upgrade's form back


def _labels() -> dict[str, Any]:
    return {"type_labels": TYPE_LABELS}


bp.context_processor(_labels)


def _field(name: str) -> str:
    """The form field of a parameter: prefixed, so a parameter never collides with the form's own."""
    return f"p-{name}"


def _take_field(name: str) -> str:
    """The box of a parameter whose template default moved: ticked takes the new default."""
    return f"take-{name}"


def _typed_values(parameters: list[Parameter]) -> dict[str, str]:
    """The parameters' values as the form sent them; an unticked checkbox sends nothing, so a
    boolean reads its hidden companion (always sent) and the box."""
    values: dict[str, str] = {}
    for parameter in parameters:
        field = _field(parameter.name)
        if parameter.type == "boolean":
            values[parameter.name] = "true" if request.form.get(field) else "false"
        else:
            values[parameter.name] = request.form.get(field, "").strip()
    return values


def _defaults(parameters: list[Parameter]) -> dict[str, str]:
    return {p.name: p.default for p in parameters}


@bp.route("/templates")
@capability_required("may_deploy")
def index() -> Any:
    with unit_of_work(readonly=True) as session:
        found = engine_templates.templates(session)
        # Adopters the analyst may open (engine.views.procedures applies the one visibility rule).
        visible = {p.process_id: p for p in procedures.procedures(session, current_user.login)}
    return render_template("templates/index.html", templates=found, visible=visible)


def _adopt_page(session: Session, template_pid: str, values: dict[str, str], form: dict[str, str],
                errors: dict[str, str], preview: AdoptionPreview | None = None,
                problems: list[Any] | None = None, status: int = 200, stale: bool = False) -> Any:
    info = next((t for t in engine_templates.templates(session) if t.process_id == template_pid), None)
    parameters = engine_templates.parameters_of(session, template_pid)
    territories = [(key, region_name(key)) for key in browserdeploy.deploy_regions(session, current_user.login)]
    html = render_template("templates/adopt.html", template=info, template_pid=template_pid,
                           parameters=parameters, values=values, form=form, errors=errors,
                           territories=territories, preview=preview, problems=problems or [], field=_field,
                           previewed=fingerprint(preview.adoption) if preview else "", stale=stale)
    return viewer_page(html, status)


def _parameters(session: Session, template_pid: str) -> list[Parameter]:
    """The template's declared parameters; 404 for a process id that is no deployed template."""
    try:
        return engine_templates.parameters_of(session, template_pid)
    except TemplateError:
        abort(404)


def fingerprint(adoption: Adoption) -> str:
    """What a preview showed: the template version, territory, process id and values. «Развернуть»
    deploys only what was previewed; anything changed since (a value, a newer template version)
    is previewed again instead."""
    shown = [adoption.template_process_id, adoption.template_version, adoption.territory, adoption.process_id,
             sorted(adoption.values.items())]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()


@bp.route("/templates/<template_pid>/adopt")
@capability_required("may_deploy")
def adopt_form(template_pid: str) -> Any:
    with unit_of_work(readonly=True) as session:
        parameters = _parameters(session, template_pid)
        return _adopt_page(session, template_pid, _defaults(parameters), {TERRITORY_FIELD: "", PROCESS_FIELD: ""}, {})


@bp.route("/templates/<template_pid>/adopt", methods=["POST"])
@capability_required("may_deploy")
def adopt(template_pid: str) -> Any:
    form = {TERRITORY_FIELD: request.form.get(TERRITORY_FIELD, "").strip(),
            PROCESS_FIELD: request.form.get(PROCESS_FIELD, "").strip()}
    deploying = request.form.get("action") == "deploy"
    with unit_of_work() as session:
        values = _typed_values(_parameters(session, template_pid))
        errors: dict[str, str] = {}
        if not form[TERRITORY_FIELD]:
            errors[TERRITORY_FIELD] = _("Выберите муниципалитет.")
            return _adopt_page(session, template_pid, values, form, errors, status=422)
        process_id = form[PROCESS_FIELD] or None
        try:
            preview = adoption_preview.preview(session, template_pid, form[TERRITORY_FIELD], values,
                                               process_id=process_id)
            if not deploying or request.form.get("previewed") != fingerprint(preview.adoption):
                return _adopt_page(session, template_pid, values, form, errors, preview=preview, stale=deploying)
            deployment = engine_templates.adopt(session, template_pid, form[TERRITORY_FIELD], values,
                                                current_user.login, process_id=process_id)
            target = (deployment.process_id, deployment.version)
        except TemplateError as error:
            errors[_error_field(error.field)] = str(error)
            return _adopt_page(session, template_pid, values, form, errors, status=422)
        except DeploymentError as error:
            return _adopt_page(session, template_pid, values, form, errors, problems=list(error.problems), status=422)
    flash(_("Шаблон принят: развёрнута процедура %(process)s, версия %(version)d",
            process=target[0], version=target[1]), "info")
    return redirect(url_for("procedures.version", process_id=target[0], version=target[1]))


def _error_field(field: str | None) -> str:
    """The form field a refusal names: the territory, the process id, or a parameter."""
    if field in (TERRITORY_FIELD, PROCESS_FIELD):
        return field
    return _field(field) if field else "_form"


def pending_upgrade(session: Session, deployment: Any) -> dict[str, Any] | None:
    """The «new template version» panel of an adopted procedure's page, or None (not adopted from a
    template, or adopted from its newest version); ``deployment`` is the version shown
    (engine.deployment.versions.deployment_for). Called by web.procedures.version, whose guard
    has checked that the user may see the procedure; the form is there only for its analysts."""
    if deployment.kind != "procedure" or not deployment.template_process_id:
        return None
    plan = engine_templates.upgrade_plan(session, deployment.process_id)
    if not plan.behind:
        return None
    rows = ([(item, "kept") for item in plan.kept] + [(item, "moved") for item in plan.default_moved]
            + [(item, "added") for item in plan.added])
    # A refused upgrade comes back here (post/redirect/get) with what was typed and why.
    refused = session_store.pop(REFUSED_UPGRADE, None)
    if not isinstance(refused, dict) or refused.get("process_id") != deployment.process_id:
        refused = {"values": {}, "errors": {}}
    # The param.* declarations (labels, help, types) are process properties to the diff; they are
    # listed apart, folded, so the changes in how cases run come first and nothing is hidden.
    declaration = f"свойство процедуры {PARAM_PREFIX}"
    declarations = [r for r in plan.diff.process if r.startswith(declaration)]
    process = [r for r in plan.diff.process if not r.startswith(declaration)]
    return {"plan": plan, "rows": rows, "change_kinds": CHANGE_KINDS, "field": _field, "take": _take_field,
            "kept_defaults": refused.get("kept_defaults", []),
            "process": process, "declarations": declarations, "typed": refused["values"], "errors": refused["errors"],
            "may_upgrade": plan.territory in browserdeploy.deploy_regions(session, current_user.login)}


@bp.route("/procedures/<process_id>/upgrade", methods=["POST"])
@capability_required("may_deploy")
def upgrade(process_id: str) -> Any:
    with unit_of_work() as session:
        try:
            plan = engine_templates.upgrade_plan(session, process_id)
        except TemplateError:
            abort(404)  # not a procedure adopted from a template
        values = _typed_values([item.parameter for item in plan.kept + plan.added])
        # A moved default is a box «взять новое значение» (ticked on the page): unticked keeps the old one.
        keep = [item.parameter.name for item in plan.default_moved if not request.form.get(_take_field(item.parameter.name))]
        try:
            deployment = engine_templates.upgrade(session, process_id, current_user.login, values=values,
                                                  keep_defaults=keep)
            target = (deployment.process_id, deployment.version)
        except (TemplateError, DeploymentError) as error:
            errors = {_error_field(error.field): str(error)} if isinstance(error, TemplateError) else {}
            reason = str(error) if isinstance(error, TemplateError) else "; ".join(str(p) for p in error.problems)
            session_store[REFUSED_UPGRADE] = {"process_id": process_id, "values": values, "errors": errors,
                                              "kept_defaults": keep}
            flash(_("Обновление не выполнено: %(reason)s", reason=reason), "error")
            return redirect(url_for("procedures.version", process_id=process_id, version=plan.version))
    flash(_("Процедура %(process)s обновлена до версии шаблона %(template)d: её версия %(version)d. Начатые дела "
            "остаются на своей версии.", process=target[0], template=plan.newest, version=target[1]), "info")
    return redirect(url_for("procedures.version", process_id=target[0], version=target[1]))
