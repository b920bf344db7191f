"""A summary report as an XLSX workbook (openpyxl): what the curator sends to the recipient.

Labels are the reader's language (engine/texts/reports.py, Russian by default). A breach of a
procedure parameter has its own rows, never under the act's clause; the dynamics sheet carries a
chart drawn by the spreadsheet itself (openpyxl BarChart/LineChart over the sheet's own cells).
"""
from __future__ import annotations

from typing import BinaryIO

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from engine.calendar.regions import REGIONS
from engine.reports.summary import NO_TOPIC, Summary
from engine.reports.violations import deadline_label
from engine.reports.xlsx_text import new_workbook, text_only
from engine.texts import language, t
from engine.views.networks import network_label

BOLD = Font(bold=True)


def _s(code: str, **params: object) -> str:
    return str(t(f"report.xlsx.{code}", **params))


def write_xlsx(summary: Summary, target: str | BinaryIO, frozen: tuple[str, str] | None = None,
               lang: str = "ru") -> None:
    """Sheets: totals and quality, per agency, structure (networks, topics), dynamics with a chart.
    ``frozen``: (when with the zone in words, who by name) for a frozen report, written under the period. ``lang``: the report
    is a document for its addressees, Russian unless the reader's page asks for English."""
    with language(lang):
        book = build_workbook(summary, frozen)
    text_only(book)  # agency names, networks and topics are typed by people: never formulas
    book.save(target)


def build_workbook(summary: Summary, frozen: tuple[str, str] | None = None) -> Workbook:
    book, totals = new_workbook(_s("totals"))
    quality = summary.quality
    median = round(quality.median_answer_minutes / 60, 2) if quality.median_answer_minutes is not None else "—"
    territory = REGIONS.get(summary.region)  # in the report's language where the territory has an English name
    region = territory.display_name if territory is not None else summary.region_name
    rows: list[tuple[str, object]] = [(_s("region"), region), (_s("period"), summary.period.label)]
    if frozen:
        rows.append((_s("frozen"), _s("frozen_by", at=frozen[0], who=frozen[1])))
    rows += [
        (_s("messages"), summary.messages),
        (_s("previous"), summary.previous_messages),
        (_s("repeats"), summary.repeats),
        (_s("answered_cases"), summary.answered),
        (_s("in_time"), summary.answered_in_time),
        (_s("timeliness"), round(summary.timeliness, 4) if summary.timeliness is not None else "—"),
        (_s("no_answer"), summary.no_answer),
        (_s("open"), summary.open_cases),
        (_s("sent_back"), quality.sent_back),
        (_s("with_media"), quality.with_media),
        (_s("median"), median),
        (_s("violations"), summary.violations),
    ]
    rows += [(_s("by_clause", clause=clause), count) for clause, count in sorted(summary.by_clause.items())]
    rows.append((_s("parameter_violations"), summary.parameter_violations))
    rows += [(_s("by_parameter", deadline=deadline_label(key)), count) for key, count in sorted(summary.by_parameter.items())]
    for label, value in rows:
        totals.append([label, value])
    for cell in totals["A"]:
        cell.font = BOLD
    totals.column_dimensions["A"].width = 48

    agencies = book.create_sheet(_s("agencies"))
    agencies.append([_s("agency"), _s("cases"), _s("violations"), _s("reworks"), _s("clauses"),
                     _s("parameter_violations")])
    for cell in agencies[1]:
        cell.font = BOLD
    for line in summary.agencies:
        clauses = ", ".join(_s("clause_count", clause=c, count=n) for c, n in sorted(line.by_clause.items()))
        agencies.append([line.organisation_name or line.organisation_key, line.cases, line.violations,
                         line.reworks, clauses, line.parameter_violations])
    agencies.column_dimensions["A"].width = 40

    structure = book.create_sheet(_s("structure"))
    structure.append([_s("source"), _s("count")])
    structure["A1"].font = structure["B1"].font = BOLD
    for network, count in summary.by_network.most_common():
        structure.append([network_label(network), count])
    structure.append([])
    structure.append([_s("topic"), _s("count")])
    for topic, count in summary.by_topic.most_common():
        structure.append([_s("no_topic") if topic == NO_TOPIC else summary.topic_label(topic), count])
    _dynamics(book, summary)
    return book


def _dynamics(book: Workbook, summary: Summary) -> None:
    sheet = book.create_sheet(_s("dynamics"))
    sheet.append([_s("month"), _s("messages"), _s("violations"), _s("parameter_violations")])
    for cell in sheet[1]:
        cell.font = BOLD
    for month in summary.months:
        sheet.append([month.label, month.messages, month.violations, month.parameter_violations])
    last = len(summary.months) + 1
    if last < 2:
        return
    months = Reference(sheet, min_col=1, min_row=2, max_row=last)
    bars = BarChart()
    bars.title, bars.y_axis.title = _s("chart"), _s("count")
    bars.add_data(Reference(sheet, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    bars.set_categories(months)
    line = LineChart()
    line.add_data(Reference(sheet, min_col=3, max_col=4, min_row=1, max_row=last), titles_from_data=True)
    line.set_categories(months)
    bars += line
    bars.width, bars.height = 20, 9
    sheet.add_chart(bars, "F2")
