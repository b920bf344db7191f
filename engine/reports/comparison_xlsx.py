"""The regions' comparison (engine.views.comparison) as an XLSX workbook for the regulator.

Rows are the common steps, columns the regions. A cell whose deadline or performer is a diagram
parameter (not set by the act) is italic on a yellow fill, ends with "(параметр)" and carries a note
naming the parameters, so the difference survives printing in black and white. The workbook's own
words are in the reader's language (engine/texts/views.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from engine.calendar.regions import REGIONS
from engine.reports.xlsx_text import new_workbook, text_only
from engine.texts import t
from engine.views.comparison import DASH, Cell, Comparison

__all__ = ["cell_text", "parameter_mark", "write_comparison_xlsx"]

BOLD = Font(bold=True)
ITALIC = Font(italic=True)
PARAMETER_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")


def parameter_mark() -> str:
    """"(параметр)": what ends a parameter's cell, in the reader's language."""
    return str(t("compare.xlsx.parameter"))


def cell_text(cell: Cell) -> str:
    """What a workbook cell shows: the text, the clause, and the parameter mark."""
    if cell.text == DASH:
        return DASH
    text = cell.text
    if cell.is_parameter:
        text = f"{text} {parameter_mark()}"
    if cell.clause:
        text = f"{text}\n{t('compare.xlsx.clause', clause=cell.clause)}"
    return text


def _header(comparison: Comparison, region: str) -> str:
    name = REGIONS[region].name if region in REGIONS else region
    version = comparison.versions.get(region)
    return f"{name}\n{t('compare.xlsx.version', version=version)}" if version is not None else name


def write_comparison_xlsx(comparison: Comparison, target: str | Path | BinaryIO) -> None:
    """One sheet «Сравнение»: a header row of regions, a row per common step, a legend below."""
    book, sheet = new_workbook(str(t("compare.xlsx.sheet")))
    sheet.append([str(t("compare.xlsx.step")), *(_header(comparison, r) for r in comparison.regions)])
    for cell in sheet[1]:
        cell.font, cell.alignment = BOLD, WRAP
    for _key, label, cells in comparison.rows():
        sheet.append([str(label), *(cell_text(c) for c in cells)])
        row = sheet.max_row
        sheet.cell(row, 1).font = BOLD
        sheet.cell(row, 1).alignment = WRAP
        for column, source in enumerate(cells, start=2):
            target_cell = sheet.cell(row, column)
            target_cell.alignment = WRAP
            if source.is_parameter:
                target_cell.font, target_cell.fill = ITALIC, PARAMETER_FILL
                names = ", ".join(f"var.{n}" for n in source.parameters)
                target_cell.comment = Comment(str(t("compare.xlsx.note", names=names)), "Otklik")
    sheet.append([])
    sheet.append([str(t("compare.xlsx.legend"))])
    sheet.cell(sheet.max_row, 1).font = ITALIC
    if comparison.missing:
        names = ", ".join(REGIONS[r].name if r in REGIONS else r for r in comparison.missing)
        sheet.append([str(t("compare.xlsx.missing", names=names))])
    sheet.column_dimensions["A"].width = 34
    for index in range(len(comparison.regions)):
        sheet.column_dimensions[get_column_letter(index + 2)].width = 42
    sheet.freeze_panes = "B2"
    text_only(book)  # cells quote the diagrams (lane names, the summary property): never formulas
    book.save(target)
