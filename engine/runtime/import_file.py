"""Reading a monitoring system's export (CSV or XLSX) for a bulk import (issue 17 §2): its columns
found by their header names, Russian or English, and its rows as raw cells — bounded and hardened
against a hostile file.

What a row means (dates, networks, territories, the message's identity) is
engine.runtime.import_rows'; this module only gets the cells out safely:

- CSV: UTF-8 (with or without a BOM), else Windows-1251; the delimiter (``;``, ``,`` or a tab) is
  the one the header line uses most.
- XLSX: the first sheet, read with openpyxl in read-only mode, values (not formulas). Before
  openpyxl sees the file, the ZIP's declared uncompressed sizes are summed and refused over
  :data:`MAX_UNPACKED_BYTES` (a zip bomb); zipfile never inflates an entry past its declared size.
  openpyxl parses the XML with defusedxml (pinned: no entity expansion).
- Every bound (file, rows, columns, a cell) is here and in docs/security.md; over one, the file
  is refused as a whole with a code (:class:`ImportFileError`), never half read.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

MAX_FILE_BYTES = 10 * 1024 * 1024  # the upload
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an XLSX's parts, uncompressed, together
MAX_ZIP_ENTRIES = 1_000
MAX_ROWS = 20_000  # data rows (five days of the largest region)
MAX_EMPTY_ROWS = 20_000  # blank rows skipped on the way (a sheet "used" to row 1,048,576)
MAX_COLUMNS = 50  # columns read; further ones are ignored
MAX_CELL = 20_000  # characters in a cell (a message's text is at most as long, engine.runtime.message_limits)
KINDS = ("csv", "xlsx")

# Header (casefolded, spaces and _ - . collapsed to one space) → the field it fills. The accepted
# names are listed in docs/integration.md («Bulk import»).
HEADERS: dict[str, tuple[str, ...]] = {
    "network": ("network", "соцсеть", "социальная сеть", "сеть", "площадка"),
    "url": ("url", "ссылка", "link", "адрес", "ссылка на сообщение"),
    "author": ("author", "автор"),
    "text": ("text", "текст", "текст сообщения"),
    "posted_at": ("posted at", "дата публикации", "дата размещения", "опубликовано", "published at"),
    "detected_at": ("detected at", "дата обнаружения", "дата выявления", "обнаружено"),
    "region": ("region", "municipality", "регион", "муниципалитет", "территория", "муниципальное образование"),
    "source": ("source", "система", "система мониторинга"),
    "source_id": ("source id", "id", "идентификатор", "id сообщения"),
    "attachments": ("attachments", "вложения"),
}
REQUIRED = ("url", "author", "text", "posted_at")
_BY_NAME = {name: key for key, names in HEADERS.items() for name in names}
_SEPARATORS = re.compile(r"[\s_\-.]+")

Cell = str | datetime | None


class ImportFileError(Exception):
    """The file as a whole cannot be imported: ``code`` (engine/texts/imports.py ``imports.file.*``)
    and the arguments its words need."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, Cell]  # field → its cell (absent columns absent)


@dataclass(frozen=True)
class Sheet:
    headers: dict[str, str]  # field → the header as the file writes it
    rows: list[Row] = field(default_factory=list)
    ignored: tuple[str, ...] = ()  # headers that name no field


def header_key(name: str) -> str | None:
    """The field a column header names, or None."""
    normal = _SEPARATORS.sub(" ", name.replace("\ufeff", "").casefold()).strip()
    return _BY_NAME.get(normal)


def kind_of(file_name: str) -> str | None:
    """``csv`` or ``xlsx`` by the file's extension, else None."""
    suffix = file_name.rsplit(".", 1)[-1].casefold() if "." in file_name else ""
    return suffix if suffix in KINDS else None


def read_sheet(content: bytes, kind: str) -> Sheet:
    """The file's columns and non-blank rows, or raise :class:`ImportFileError`."""
    if not content:
        raise ImportFileError("empty")
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError("too_large", limit=MAX_FILE_BYTES)
    records = _csv_records(content) if kind == "csv" else _xlsx_records(content)
    return _sheet(records)


def _sheet(records: Iterator[tuple[int, list[Cell]]]) -> Sheet:
    first = next(records, None)
    if first is None:
        raise ImportFileError("no_header")
    header_row = [_text(cell) for cell in first[1][:MAX_COLUMNS]]
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header_row):
        key = header_key(name)
        if key is None:
            if name.strip():
                ignored.append(name.strip()[:100])
            continue
        if key in headers:
            raise ImportFileError("duplicate_column", first=headers[key], second=name.strip()[:100])
        columns[index] = key
        headers[key] = name.strip()[:64]
    missing = [key for key in REQUIRED if key not in headers]
    if missing:
        raise ImportFileError("missing_columns", columns=", ".join(missing),
                              found=", ".join(n.strip() for n in header_row if n.strip())[:300] or "—")
    rows: list[Row] = []
    blank = 0
    for number, record in records:
        cells = {key: record[index] for index, key in columns.items() if index < len(record)}
        if all(_text(value).strip() == "" for value in cells.values()):
            blank += 1
            if blank > MAX_EMPTY_ROWS:
                raise ImportFileError("too_many_rows", limit=MAX_ROWS)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError("too_many_rows", limit=MAX_ROWS)
        rows.append(Row(number, cells))
    return Sheet(headers=headers, rows=rows, ignored=tuple(ignored[:20]))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell if isinstance(cell, str) else cell.isoformat()


# --------------------------------------------------------------------------- CSV

def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


def _csv_records(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise ImportFileError("bad_encoding") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for record in reader:
            number += 1
            if any(len(value) > MAX_CELL for value in record[:MAX_COLUMNS]):
                raise ImportFileError("cell_too_long", row=number, limit=MAX_CELL)
            yield number, list(record[:MAX_COLUMNS])
    except csv.Error as error:
        raise ImportFileError("bad_csv", row=number + 1, error=str(error)[:200]) from None


# --------------------------------------------------------------------------- XLSX

def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError("not_xlsx") from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise ImportFileError("unpacked_too_large", limit=MAX_UNPACKED_BYTES)


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    import openpyxl  # loaded when a workbook is read, not with the worker

    _check_zip(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any way a hostile workbook breaks openpyxl is «not a workbook»
        raise ImportFileError("not_xlsx") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("no_header")
        yield from _xlsx_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except ImportFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a cell openpyxl cannot read: the file, not the worker
        raise ImportFileError("not_xlsx_detail", error=str(error)[:200]) from None
    finally:
        workbook.close()


def _xlsx_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, list[Cell]]]:
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS + MAX_EMPTY_ROWS + 1:
            raise ImportFileError("too_many_rows", limit=MAX_ROWS)
        cells = [_xlsx_cell(value) for value in values]
        if any(isinstance(cell, str) and len(cell) > MAX_CELL for cell in cells):
            raise ImportFileError("cell_too_long", row=number, limit=MAX_CELL)
        yield number, cells


def _xlsx_cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number: 12345, not 12345.0
    return str(value)
