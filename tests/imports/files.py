"""Export files for the bulk-import tests: CSV and XLSX built in memory."""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import openpyxl

HEADER = ("Соцсеть", "Ссылка", "Автор", "Текст", "Дата публикации", "source_id")


def row(number: int, **changes: object) -> list[object]:
    values: dict[str, object] = {"network": "ВКонтакте", "url": f"https://vk.com/wall-1_{number}",
                                 "author": f"Автор {number}", "text": f"Яма на дороге №{number}",
                                 "posted_at": "31.10.2025 12:30", "source_id": f"post-{number}"}
    values.update(changes)
    return list(values.values())


def csv_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER, delimiter: str = ";",
              encoding: str = "utf-8-sig") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for values in rows:
        sheet.append([v if isinstance(v, datetime | int | float) or v is None else str(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
