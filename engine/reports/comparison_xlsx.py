"""The regions' comparison (engine.views.comparison) as an XLSX workbook for the regulator.

Rows are the common steps, columns the regions. A cell whose deadline or performer is a diagram
parameter (not set by the act) is italic on a yellow fill, ends with "(параметр)" and carries a note
naming the parameters, so the difference survives printing in black and white.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from engine.calendar.regions import REGIONS
from engine.reports.xlsx_text import new_workbook, text_only
from engine.views.comparison import DASH, Cell, Comparison

__all__ = ["PARAMETER_MARK", "cell_text", "write_comparison_xlsx"]

PARAMETER_MARK = "(параметр)"
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
PARAMETER_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
LEGEND = ("Курсив, жёлтая заливка и «(параметр)»: срок или исполнитель задан параметром диаграммы "
          "(свойство процесса var.<имя> со значением по умолчанию), а не текстом акта.")


def cell_text(cell: Cell) -> str:
    """What a workbook cell shows: the text, the clause, and the parameter mark."""
    if cell.text == DASH:
        return DASH
    text = cell.text
    if cell.is_parameter:
        text = f"{text} {PARAMETER_MARK}"
    if cell.clause:
        text = f"{text}\nп. {cell.clause}"
    return text


def _header(comparison: Comparison, region: str) -> str:
    name = REGIONS[region].name if region in REGIONS else region
    version = comparison.versions.get(region)
    return f"{name}\n(версия {version})" if version is not None else name


def write_comparison_xlsx(comparison: Comparison, target: str | Path | BinaryIO) -> None:
    """One sheet «Сравнение»: a header row of regions, a row per common step, a legend below."""
    book, sheet = new_workbook("Сравнение")
    sheet.append(["Шаг", *(_header(comparison, r) for r in comparison.regions)])
    for cell in sheet[1]:
        cell.font, cell.alignment = BOLD, WRAP
    for _key, label, cells in comparison.rows():
        sheet.append([label, *(cell_text(c) for c in cells)])
        row = sheet.max_row
        sheet.cell(row, 1).font = BOLD
        sheet.cell(row, 1).alignment = WRAP
        for column, source in enumerate(cells, start=2):
            target_cell = sheet.cell(row, column)
            target_cell.alignment = WRAP
            if source.is_parameter:
                target_cell.font, target_cell.fill = ITALIC, PARAMETER_FILL
                names = ", ".join(f"var.{n}" for n in source.parameters)
                target_cell.comment = Comment(f"Параметр диаграммы: {names}. В опубликованном акте не установлен.", "Otklik")
    sheet.append([])
    sheet.append([LEGEND])
    sheet.cell(sheet.max_row, 1).font = ITALIC
    if comparison.missing:
        names = ", ".join(REGIONS[r].name if r in REGIONS else r for r in comparison.missing)
        sheet.append([f"Процедура не развёрнута: {names}"])
    sheet.column_dimensions["A"].width = 34
    for index in range(len(comparison.regions)):
        sheet.column_dimensions[get_column_letter(index + 2)].width = 42
    sheet.freeze_panes = "B2"
    text_only(book)  # cells quote the diagrams (lane names, the summary property): never formulas
    book.save(target)
