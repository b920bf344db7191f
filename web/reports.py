"""Summary reports in the browser: the table for a region and period, and its XLSX download.

The figures and who may see them are engine.reports'; this module reads the query string and
renders, so the page and ``otklik report`` always agree.
"""
from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine import texts
from engine.calendar.regions import REGIONS
from engine.errors import Conflict, Forbidden
from engine.reports import dynamics, frozen
from engine.reports import summary as reports
from engine.reports import violations as breaches
from engine.reports.summary_xlsx import write_xlsx

from .auth import capability_required
from .database import unit_of_work
from .presentation import network_label, period_problem, zoned_time
from .report_chart import chart

bp = Blueprint("reports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen(regions: list[str]) -> tuple[str, str]:
    region = request.args.get("region") or (regions[0] if regions else "")
    period = (request.args.get("period") or "").strip() or (reports.current_month(region) if region in REGIONS else "")
    return region, period


def _minutes(value: float) -> timedelta:
    return timedelta(minutes=round(value))


@bp.route("/reports")
@capability_required("may_view_reports")
def summary() -> Any:
    with unit_of_work(readonly=True) as session:
        regions = reports.report_regions(session, current_user.login)
        region, period = _chosen(regions)
        result, error = None, None
        if region not in regions:
            abort(403)
        try:
            months = dynamics.parse_months(request.args.get("months"))
        except ValueError:
            error = _("Динамика строится за 1–%(n)d месяцев: укажите months в этих пределах.", n=dynamics.MAX_MONTHS)
        view = None
        if error is None:
            try:
                view = frozen.report_view(session, current_user.login, region, period, months)
                result = view.summary
            except ValueError as problem:
                error = period_problem(problem)
        status = 422 if error else 200
        return render_template("reports/summary.html", regions=[(r, REGIONS[r].display_name) for r in regions],
                               region=region, period=period, summary=result, error=error, view=view,
                               changes=view.changes if view else {},
                               chart=chart(result.months) if result else None, minutes=_minutes,
                               deadline_label=breaches.deadline_label, network_label=network_label,
                               no_topic=reports.NO_TOPIC), status


@bp.route("/reports/freeze", methods=["POST"])
@capability_required("may_view_reports")
def freeze() -> Any:
    """«Зафиксировать отчёт»: the supervisor's or regulator's explicit action (audited)."""
    region, period = request.form.get("region", ""), (request.form.get("period") or "").strip()
    try:
        with unit_of_work() as session:
            frozen.freeze_for(session, current_user.login, region, period)
    except Forbidden:
        abort(403)
    except Conflict as refused:
        flash(texts.render(refused.args[0]) if refused.args else str(refused), "error")
    except ValueError:
        abort(400)
    else:
        flash(_("Отчёт за %(period)s зафиксирован: эти цифры больше не изменятся.", period=period), "info")
    return redirect(url_for("reports.summary", region=region, period=period))


@bp.route("/reports/export")
@capability_required("may_view_reports")
def export() -> Any:
    with unit_of_work(readonly=True) as session:
        regions = reports.report_regions(session, current_user.login)
        region, period = _chosen(regions)
        try:
            view = frozen.report_view(session, current_user.login, region, period,
                                      dynamics.parse_months(request.args.get("months")))
        except Forbidden:
            abort(403)
        except ValueError:
            abort(400)
        stamp = None
        if view.frozen is not None:  # the report as it was sent, saying when and by whom
            stamp = (zoned_time(view.frozen.frozen_at, region), view.frozen_by_name)
    buffer = io.BytesIO()
    write_xlsx(view.summary, buffer, frozen=stamp, lang=texts.current_language())
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=f"otklik-{region}-{period}.xlsx")
