"""Procedure pages in Chromium: bpmn-js draws each diagram (SVG, no console errors), the card and
the diagram highlight each other, a case shows its tokens, the heatmap its badges."""
from __future__ import annotations

from datetime import UTC, datetime

from engine.runtime import cases as runtime
from engine.runtime.timers import fire_due_timers
from tests.browser.conftest import shot

RENDERED = ".bpmn-viewer[data-rendered='true']"


def _drawn(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(RENDERED, timeout=15000)
    assert page.locator(f"{RENDERED} svg").count() >= 1
    assert page.get_attribute(".bpmn-viewer", "data-error") is None


def test_procedure_version_page_draws_the_diagram_and_links_the_card(page_for, live_app) -> None:  # type: ignore[no-untyped-def]
    page = page_for("curator")
    page.goto(f"{live_app}/procedures")
    page.click("a[href='/procedures/orenburg/1']")
    _drawn(page)
    page.click("#procedure-card tr[data-element='approve_answer']")
    assert "marker-selected" in page.get_attribute(".djs-element[data-element-id='approve_answer']", "class")
    page.get_by_role("button", name="Вписать в окно").click()  # the card scrolled the diagram to approve_answer
    page.click(".djs-element[data-element-id='route_message']", force=True)
    assert "is-selected" in page.get_attribute("#procedure-card tr[data-element='route_message']", "class")
    shot(page, "10-procedure-card")
    page.goto(f"{live_app}/procedures/compare")
    assert page.locator("td[data-step='routing'][data-region='orenburg']").inner_text().startswith("30 рабочих минут")
    shot(page, "11-comparison")
    assert page.console_errors == []


def test_a_case_on_its_diagram_and_the_heatmap(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    detected = datetime(2025, 10, 31, 5, 0, tzinfo=UTC)  # 10:00 in Orenburg, a Friday
    virtual_clock.set(detected)
    with live_db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге", posted_at=detected, detected_at=detected), "curator")
        message_id = instance.message_id
    page = page_for("supervisor")
    page.goto(f"{live_app}/messages/{message_id}/diagram")
    _drawn(page)
    assert "marker-current" in page.get_attribute(".djs-element[data-element-id='route_message']", "class")
    assert "marker-taken" in page.get_attribute(".djs-element[data-element-id='message_detected']", "class")
    assert "marker-armed" in page.get_attribute(".djs-element[data-element-id='routing_deadline']", "class")
    assert "routing_deadline" in page.locator("#timers tr").first.get_attribute("data-element")
    shot(page, "12-case-on-diagram")
    virtual_clock.set(datetime(2025, 10, 31, 6, 0, tzinfo=UTC))  # past the 30-minute routing deadline
    fire_due_timers(live_db)
    page.goto(f"{live_app}/procedures/heatmap?region=orenburg&period=2025-10")
    _drawn(page)
    badge = page.locator(".djs-overlay .diagram-badge-violations").first
    assert badge.inner_text() == "⚠ 1"
    shot(page, "13-heatmap")
    assert page.console_errors == []
