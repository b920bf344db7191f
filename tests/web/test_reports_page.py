"""/reports: the summary for curators, supervisors and regulators of the region; XLSX download."""
from __future__ import annotations

import io

from openpyxl import load_workbook


def test_supervisor_sees_the_summary_and_downloads_it(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("supervisor")
    page = client.get("/reports?region=orenburg&period=2025-11")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Оренбургская область, 2025-11" in text and "Скачать XLSX" in text
    download = client.get("/reports/export?region=orenburg&period=2025-Q4")
    assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
    assert "otklik-orenburg-2025-Q4.xlsx" in download.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(download.data))
    assert book["Итоги"]["B2"].value == "2025-Q4"


def test_default_period_is_the_current_month_of_the_region(client_for) -> None:  # type: ignore[no-untyped-def]
    text = client_for("curator").get("/reports").get_data(as_text=True)
    assert "Оренбургская область, 2025-10" in text  # the virtual clock: 2025-10-31 09:00 UTC


def test_a_bad_period_says_what_to_type(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("supervisor").get("/reports?region=orenburg&period=ноябрь")
    assert response.status_code == 422 and "ГГГГ-ММ" in response.get_data(as_text=True)
    assert client_for("supervisor").get("/reports/export?region=orenburg&period=x").status_code == 400


def test_executors_and_other_regions_are_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("exec_orb_roads").get("/reports").status_code == 403
    supervisor = client_for("supervisor")
    assert supervisor.get("/reports?region=smolensk&period=2025-11").status_code == 403
    assert supervisor.get("/reports/export?region=smolensk&period=2025-11").status_code == 403
