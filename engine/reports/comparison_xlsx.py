"""The regions' comparison (engine.views.comparison) as an XLSX workbook for the regulator.

Rows are the common steps, columns the regions. A cell whose deadline or performer is a diagram
parameter (not set by the act) is italic on a yellow fill, ends with "(параметр)" and carries a note
naming the parameters, so the difference survives printing in black and white. A procedure adopted
from a template names the template and version in its header; a cell where the municipality set a
parameter other than the template's default is bold and says so beside the template's own cell, and
a row lists those parameters. The workbook's own words are in the reader's language (engine/texts/views.py).
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

__all__ = ["adopted_text", "cell_text", "parameter_mark", "said_parameter", "write_comparison_xlsx"]

BOLD = Font(bold=True)
ITALIC = Font(italic=True)
PARAMETER_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")


def parameter_mark() -> str:
    """"(параметр)": what ends a parameter's cell, in the reader's language."""
    return str(t("compare.xlsx.parameter"))


def said_parameter(cell: Cell | str) -> bool:
    """Whether the cell's (or a card deadline's) words already say it is a parameter (then the mark
    is not written twice)."""
    text = cell if isinstance(cell, str) else cell.text
    # The deadline's words are Russian (engine.expressions.deadline_words); the publisher's are the reader's.
    return any(word in text.lower() for word in ("параметр", "parameter"))


def cell_text(cell: Cell) -> str:
    """What a workbook cell shows: the text, the clause, and the parameter mark."""
    if cell.text == DASH:
        return DASH
    text = cell.text
    if cell.is_parameter and not said_parameter(cell):
        text = f"{text} {parameter_mark()}"
    if cell.clause:
        text = f"{text}\n{t('compare.xlsx.clause', clause=cell.clause)}"
    if cell.template_text is not None:
        names = ", ".join(cell.differs_labels)
        text = f"{text}\n{t('compare.adopted.template_cell', names=names, text=cell.template_text)}"
    return text


def adopted_text(comparison: Comparison, region: str) -> str:
    """The row of parameters an adopted procedure sets differently from its template ("" when not adopted)."""
    adopted = comparison.adopted.get(region)
    if adopted is None:
        return ""
    if not adopted.differs:
        return str(t("compare.adopted.none"))
    return "\n".join(str(t("compare.adopted.differs", name=adopted.label(d.name), value=d.value, default=d.default))
                     for d in adopted.differs)


def _header(comparison: Comparison, region: str) -> str:
    name = REGIONS[region].display_name if region in REGIONS else region
    version = comparison.versions.get(region)
    header = f"{name}\n{t('compare.xlsx.version', version=version)}" if version is not None else name
    adopted = comparison.adopted.get(region)
    if adopted is not None:
        header = f"{header}\n{t('compare.adopted.template', template=adopted.name, version=adopted.version)}"
    return header


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
                names = ", ".join(f"«{label}»" for label in source.parameter_labels)
                note = t("compare.xlsx.note", names=names) if names else t("compare.xlsx.note_unnamed")
                target_cell.comment = Comment(str(note), "Otklik")
            if source.template_text is not None:
                target_cell.font = Font(bold=True, italic=source.is_parameter)
    if comparison.adopted:
        sheet.append([str(t("compare.adopted.row")), *(adopted_text(comparison, r) for r in comparison.regions)])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    sheet.append([str(t("compare.xlsx.legend"))])
    sheet.cell(sheet.max_row, 1).font = ITALIC
    if comparison.adopted:
        sheet.append([str(t("compare.xlsx.legend_adopted"))])
        sheet.cell(sheet.max_row, 1).font = BOLD
    if comparison.missing:
        names = ", ".join(REGIONS[r].display_name if r in REGIONS else r for r in comparison.missing)
        sheet.append([str(t("compare.xlsx.missing", names=names))])
    sheet.column_dimensions["A"].width = 34
    for index in range(len(comparison.regions)):
        sheet.column_dimensions[get_column_letter(index + 2)].width = 42
    sheet.freeze_panes = "B2"
    text_only(book)  # cells quote the diagrams (lane names, the summary property): never formulas
    book.save(target)
