"""Procedures as pictures: every deployed version drawn with bpmn-js, a case on its diagram, and
a heatmap of violations and times. Read-only; what is shown comes from engine.views.procedures,
engine.views.instance and engine.views.heatmap, who may see it too.
"""
from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from engine.calendar.regions import REGIONS
from engine.deployment import versions
from engine.directory import policy
from engine.errors import NotFound
from engine.reports import summary as reports
from engine.reports import violations as breaches
from engine.reports.comparison_xlsx import said_parameter, write_comparison_xlsx
from engine.views import heatmap as heat
from engine.views import instance as instanceview
from engine.views import procedures
from engine.views.comparison import COMMON_STEPS
from engine.views.comparison_deployed import comparison_for_deployments
from engine.views.procedure_card import procedure_card

from .auth import capability_required
from .database import unit_of_work
from .presentation import period_problem, viewer_page
from .templates_adoption import pending_upgrade

bp = Blueprint("procedures", __name__)

@bp.route("/procedures")
@capability_required("may_review_procedures")
def index() -> Any:
    with unit_of_work(readonly=True) as session:
        found = procedures.procedures(session, current_user.login)
    return render_template("procedures/index.html", procedures=found)


@bp.route("/procedures/<process_id>/<int:version>")
@capability_required("may_review_procedures")
def version(process_id: str, version: int) -> Any:
    with unit_of_work(readonly=True) as session:
        found = versions.deployed(session, current_user.login, process_id, version)
        deployment = found.deployment
        card = procedure_card(deployment.bpmn_xml, deployment.forms)
        history = next((p for p in procedures.procedures(session, current_user.login) if p.process_id == process_id), None)
        html = render_template("procedures/version.html", deployment=deployment, card=card, history=history,
                               deployed_by=found.deployed_by_name, template_name=found.template_name,
                               said_parameter=said_parameter,
                               region_name=REGIONS[deployment.region].display_name if deployment.region in REGIONS
                               else _("шаблон для всех муниципалитетов"),
                               upgrade=pending_upgrade(session, deployment))  # adopted from a template
    return viewer_page(html)


@bp.route("/procedures/compare")
@capability_required("may_review_procedures")
def compare() -> Any:
    with unit_of_work(readonly=True) as session:
        table = comparison_for_deployments(session, policy.procedure_regions_for(session, current_user.login))
        # Each clause the table names links to its breaches in the registry (issue 15).
        counts = breaches.clause_counts(session, current_user.login, list(table.regions))
    return render_template("procedures/compare.html", table=table, steps=COMMON_STEPS, counts=counts,
                           said_parameter=said_parameter)


@bp.route("/procedures/compare.xlsx")
@capability_required("may_review_procedures")
def compare_xlsx() -> Any:
    with unit_of_work(readonly=True) as session:
        table = comparison_for_deployments(session, policy.procedure_regions_for(session, current_user.login))
    buffer = io.BytesIO()
    write_comparison_xlsx(table, buffer)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name="otklik-comparison.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/procedures/<process_id>/<int:version>/diagram.bpmn")
@capability_required("may_review_procedures")
def diagram(process_id: str, version: int) -> Any:
    with unit_of_work(readonly=True) as session:
        deployment = versions.deployment_for(session, current_user.login, process_id, version)
        xml = deployment.bpmn_xml
    return Response(xml, mimetype="application/xml", headers={"X-Content-Type-Options": "nosniff"})


@bp.route("/messages/<int:message_id>/diagram")
@capability_required("may_read_messages")
def instance(message_id: int) -> Any:
    with unit_of_work(readonly=True) as session:
        # The case's own version: anyone who may see the case may see the diagram it runs on.
        view = instanceview.instance_view(session, message_id, current_user.login)
    return viewer_page(render_template("procedures/instance.html", view=view, region=view.region))


@bp.route("/procedures/heatmap")
@capability_required("may_view_heatmap")
def heatmap() -> Any:
    with unit_of_work(readonly=True) as session:
        regions, region = policy.heatmap_region(session, current_user.login, request.args.get("region"))
        period = (request.args.get("period") or "").strip() or reports.current_month(region)
        result, error = None, None
        try:
            result = heat.heatmap(session, region, period)
        except ValueError as problem:
            error = period_problem(problem)
        except NotFound:
            error = _("В этом регионе процедура не развёрнута.")
        html = render_template("procedures/heatmap.html", regions=[(r, REGIONS[r].display_name) for r in regions],
                               region=region, period=period, heatmap=result, error=error,
                               deadline_label=breaches.deadline_label)
    return viewer_page(html, 422 if error else 200)
