"""Reading an export (engine.runtime.import_file, engine.runtime.import_rows): CSV variants, XLSX,
headers in Russian or English, bad headers, rows over the limits, a zip bomb refused before it is
inflated, dates and networks as exports write them."""
from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from engine.runtime import import_file, import_rows
from engine.runtime.import_file import ImportFileError, read_sheet
from tests.imports.files import HEADER, csv_bytes, row, xlsx_bytes


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_in_every_usual_encoding_and_delimiter(encoding: str, delimiter: str) -> None:
    sheet = read_sheet(csv_bytes([row(1), row(2)], delimiter=delimiter, encoding=encoding), "csv")
    assert sheet.headers == {"network": "Соцсеть", "url": "Ссылка", "author": "Автор", "text": "Текст",
                             "posted_at": "Дата публикации", "source_id": "source_id"}
    assert [r.number for r in sheet.rows] == [2, 3]
    assert sheet.rows[1].cells["text"] == "Яма на дороге №2"


RECEIVED = datetime(2025, 11, 3, 6, 0, tzinfo=UTC)  # when the file was uploaded

def test_english_headers_quoted_fields_and_blank_rows() -> None:
    content = (b'url,author,text,posted_at,Colour\r\n"https://vk.com/wall-1_1","Ann","one, two\r\nthree",'
               b'2025-10-31T12:30:00+05:00,red\r\n,,,,\r\nhttps://ok.ru/x,Bob,four,2025-10-31 12:30,\r\n')
    sheet = read_sheet(content, "csv")
    assert [r.cells["text"] for r in sheet.rows] == ["one, two\r\nthree", "four"]
    assert [r.number for r in sheet.rows] == [2, 4] and sheet.ignored == ("Colour",)


def test_xlsx_with_date_cells_and_numeric_ids() -> None:
    content = xlsx_bytes([row(1, posted_at=datetime(2025, 10, 31, 12, 30), source_id=12345)])
    sheet = read_sheet(content, "xlsx")
    cells = sheet.rows[0].cells
    assert cells["posted_at"] == datetime(2025, 10, 31, 12, 30) and cells["source_id"] == "12345"
    message = import_rows.incoming(sheet.rows[0], "orenburg", sheet.headers, RECEIVED).message
    assert message.posted_at == datetime(2025, 10, 31, 7, 30, tzinfo=UTC)  # Orenburg's clock: +05:00
    assert (message.network, message.source, message.source_id) == ("vk", "import", "12345")
    # No detection time in the file: the upload's, never the post's — a deadline counted from
    # detection must not run (and be recorded as broken) before anyone had the message.
    assert message.detected_at == RECEIVED


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (csv_bytes([row(1)], header=("Ссылка", "Автор", "Текст")), "missing_columns"),
    (csv_bytes([row(1)], header=("Ссылка", "URL", "Автор", "Текст", "Дата публикации", "x")), "duplicate_column"),
    (b"\xff\xfe\x00garbage", "missing_columns"),
])
def test_files_refused_as_a_whole(content: bytes, code: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        read_sheet(content, "csv")
    assert refused.value.code == code


def test_missing_columns_name_what_the_file_has() -> None:
    with pytest.raises(ImportFileError) as refused:
        read_sheet(csv_bytes([row(1)], header=("Ссылка", "Автор", "Текст", "Когда", "x", "y")), "csv")
    assert refused.value.args_["columns"] == "posted_at" and "Когда" in refused.value.args_["found"]


def test_not_a_workbook_and_a_zip_bomb_are_refused_before_openpyxl(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFileError) as refused:
        read_sheet(b"PK\x03\x04 not really", "xlsx")
    assert refused.value.code == "not_xlsx"
    monkeypatch.setattr(import_file, "MAX_UNPACKED_BYTES", 1_000_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 2_000_000)
    assert len(bomb.getvalue()) < 10_000
    with pytest.raises(ImportFileError) as refused:
        read_sheet(bomb.getvalue(), "xlsx")
    assert refused.value.code == "unpacked_too_large"


def test_rows_and_cells_over_the_limits(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(import_file, "MAX_ROWS", 3)
    with pytest.raises(ImportFileError) as refused:
        read_sheet(csv_bytes([row(n) for n in range(4)]), "csv")
    assert refused.value.code == "too_many_rows"
    assert len(read_sheet(xlsx_bytes([row(n) for n in range(3)]), "xlsx").rows) == 3
    with pytest.raises(ImportFileError) as refused:
        read_sheet(xlsx_bytes([row(n) for n in range(4)]), "xlsx")
    assert refused.value.code == "too_many_rows"
    monkeypatch.setattr(import_file, "MAX_CELL", 20)
    with pytest.raises(ImportFileError) as refused:
        read_sheet(csv_bytes([row(1)]), "csv")
    assert (refused.value.code, refused.value.args_["row"]) == ("cell_too_long", 2)


def test_a_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ImportFileError) as refused:
        read_sheet(b"x" * (import_file.MAX_FILE_BYTES + 1), "csv")
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(("cell", "expected"), [
    ("2025-10-31T12:30:00+03:00", datetime(2025, 10, 31, 9, 30, tzinfo=UTC)),
    ("2025-10-31 12:30", datetime(2025, 10, 31, 7, 30, tzinfo=UTC)),
    ("31.10.2025 12:30", datetime(2025, 10, 31, 7, 30, tzinfo=UTC)),
    ("31.10.2025 12:30:15", datetime(2025, 10, 31, 7, 30, 15, tzinfo=UTC)),
    ("31 октября", None),
])
def test_dates_as_exports_write_them(cell: str, expected: datetime | None) -> None:
    found = import_rows.parse_instant(cell, "Asia/Yekaterinburg")
    assert (found.astimezone(UTC) if found else None) == expected


def test_network_by_name_or_by_address_and_identity_without_a_source_id() -> None:
    assert import_rows.network_of("Одноклассники", "") == "ok"
    assert import_rows.network_of("", "https://t.me/channel/5") == "telegram"
    sheet = read_sheet(csv_bytes([row(1, network="", source_id="")], header=HEADER), "csv")
    first = import_rows.incoming(sheet.rows[0], "orenburg", sheet.headers, RECEIVED).message
    again = import_rows.incoming(sheet.rows[0], "orenburg", sheet.headers, RECEIVED).message
    assert first.network == "vk" and first.source == "import" and first.source_id == again.source_id
    assert first.source_id is not None and first.source_id.startswith("row-")


def test_a_row_with_an_unreadable_date_names_its_column() -> None:
    sheet = read_sheet(csv_bytes([row(1, posted_at="вчера")]), "csv")
    with pytest.raises(import_rows.RowProblems) as refused:
        import_rows.incoming(sheet.rows[0], "orenburg", sheet.headers, RECEIVED)
    assert refused.value.problems == {"Дата публикации": ("bad_date", {"value": "вчера"})}


def test_a_workbook_declaring_entities_is_refused() -> None:
    """defusedxml (pinned for this) refuses a DOCTYPE with entities: no billion laughs, no external files."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row(1)])))
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                        + data.replace(b"<t>", b"<t>&b;", 1))
            archive.writestr(entry, data)
    with pytest.raises(ImportFileError) as refused:
        read_sheet(hostile.getvalue(), "xlsx")
    assert refused.value.code in ("not_xlsx", "not_xlsx_detail")
