"""Issue 17 §2 in Chromium: the curator uploads a monitoring system's export from «Новое сообщение»,
the job's page moves its progress bar as the worker takes rows (the page's script polls the status),
reloads itself when done to show the refused rows in words, and the error report downloads."""
from __future__ import annotations

from playwright.sync_api import expect

from engine.runtime import import_jobs
from tests.browser.conftest import shot
from tests.imports.files import row, xlsx_bytes


def test_upload_progress_and_error_report(page_for, live_app, live_db) -> None:  # type: ignore[no-untyped-def]
    page = page_for("curator")
    page.get_by_role("link", name="Новое сообщение").click()
    page.get_by_role("link", name="Загрузить выгрузку системы мониторинга (CSV, XLSX)").click()
    page.wait_for_url("**/messages/import")
    content = xlsx_bytes([row(1), row(2, url="vk.com/x"), row(3), row(4, posted_at="вчера"), row(5)])
    page.set_input_files("#f-file", files=[{"name": "day.xlsx", "mimeType": "application/octet-stream",
                                            "buffer": content}])
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url("**/messages/import/*")
    assert page.inner_text("#job-status") == "в очереди"
    assert page.get_attribute("#job-progress", "value") == "0"

    import_jobs.run_imports(live_db, chunk=2, rows=2)  # the worker's first chunk
    expect(page.locator('[data-count="done"]')).to_have_text("2", timeout=15_000)  # moved by the poll, no reload
    expect(page.locator("#job-progress")).to_have_attribute("value", "40")
    assert page.inner_text("#job-status") == "идёт"
    assert page.inner_text('[data-count="done"]') == "2" and page.inner_text('[data-count="total"]') == "5"
    shot(page, "17-import-progress")

    import_jobs.run_imports(live_db, chunk=2)  # the rest: the page reloads itself with the errors
    page.wait_for_selector("#import-errors", timeout=15_000)
    assert page.inner_text("#job-status") == "завершена"
    assert page.inner_text('[data-count="taken"]') == "3" and page.inner_text('[data-count="failed"]') == "2"
    rows = page.locator("#import-errors tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[:4] == ["3", "Ссылка", "vk.com/x", "это не адрес страницы"]
    assert "дата не читается" in rows.nth(1).inner_text()
    shot(page, "17-import-errors")

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать отчёт об ошибках (CSV)").click()
    report = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert report[0] == "Строка;Столбец;Значение;Что не так;Что сделать" and len(report) == 3
    assert page.console_errors == []
