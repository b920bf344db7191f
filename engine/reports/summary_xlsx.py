"""A summary report as an XLSX workbook (openpyxl): what the curator sends to the recipient."""
from __future__ import annotations

from typing import BinaryIO

from openpyxl.styles import Font

from engine.reports.summary import Summary
from engine.reports.xlsx_text import new_workbook, text_only

BOLD = Font(bold=True)


def write_xlsx(summary: Summary, target: str | BinaryIO) -> None:
    """Sheets: «Итоги» (totals and dynamics), «Органы» (per agency), «Структура» (networks, topics)."""
    book, totals = new_workbook("Итоги")
    rows: list[tuple[str, object]] = [
        ("Регион", summary.region_name),
        ("Период", summary.period.label),
        ("Сообщений выявлено", summary.messages),
        ("в предыдущем периоде", summary.previous_messages),
        ("Повторных сообщений", summary.repeats),
        ("Ответ дан (дело завершено)", summary.answered),
        ("из них без нарушения сроков", summary.answered_in_time),
        ("Доля своевременных ответов", round(summary.timeliness, 4) if summary.timeliness is not None else "—"),
        ("В работе", summary.open_cases),
        ("Нарушений сроков", summary.violations),
    ]
    rows += [(f"нарушений п. {clause}", count) for clause, count in sorted(summary.by_clause.items())]
    for label, value in rows:
        totals.append([label, value])
    for cell in totals["A"]:
        cell.font = BOLD
    totals.column_dimensions["A"].width = 34

    agencies = book.create_sheet("Органы")
    agencies.append(["Орган власти", "Дел с участием органа", "Нарушений сроков", "Возвратов на доработку", "Нарушения по пунктам"])
    for cell in agencies[1]:
        cell.font = BOLD
    for line in summary.agencies:
        clauses = ", ".join(f"п. {c}: {n}" for c, n in sorted(line.by_clause.items()))
        agencies.append([line.organisation_key, line.cases, line.violations, line.reworks, clauses])
    agencies.column_dimensions["A"].width = 24

    structure = book.create_sheet("Структура")
    structure.append(["Источник", "Сообщений"])
    structure["A1"].font = structure["B1"].font = BOLD
    for network, count in summary.by_network.most_common():
        structure.append([network, count])
    structure.append([])
    structure.append(["Тема", "Сообщений"])
    for topic, count in summary.by_topic.most_common():
        structure.append([topic, count])
    text_only(book)  # agency keys, networks and topics are typed by people: never formulas
    book.save(target)
