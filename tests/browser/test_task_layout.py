"""Task pages in Chromium at 1366×768 (issue 16 items 3–5): what the approver must read — the draft
being approved, the remarks of the last round, the parts of a joint answer — sits beside the decision,
and both are inside the viewport without scrolling; the step's and the answer's deadline are shown
above the form. Screenshots (OTKLIK_SCREENSHOTS=1): task-approval-second-round, task-joint-answer."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from engine.runtime import cases as runtime
from tests.browser.conftest import shot
from tests.pagetext import assert_no_internal_names
from tests.web.named_directory import TEST_WORDS, give_names

AT = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)  # Monday 10:00 in Orenburg
EXEC = "exec_orb_roads"
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}
DRAFT = ("Здравствуйте! Яму у школы №5 заделают до 14 ноября: подрядчик приступил к работам, участок огорожен. "
         "Приносим извинения за неудобства.")
REMARK = "Укажите, кто подрядчик и как связаться с ним, если работы затянутся."


def _case(live_db, route: dict[str, Any], steps: list[tuple[str, str, dict[str, Any], str | None]]) -> None:  # type: ignore[no-untyped-def]
    with live_db.session() as session:
        give_names(session)
        runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге у школы №5 уже месяц, дети ходят по проезжей части. Когда отремонтируют?",
            posted_at=AT, detected_at=AT), "curator")
    for element, login, data, organisation in [("route_message", "curator", route, None), *steps]:
        with live_db.session() as session:
            [task] = [t for t in runtime.inbox(session, login) if t.element_id == element
                      and (organisation is None or t.organisation_key == organisation)]
            runtime.complete_task(session, task.id, login, data)


def _open(page, base: str, element_name: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/inbox")
    page.locator("a[href*='/tasks/']", has_text=element_name).first.click()
    page.wait_for_url("**/tasks/**")


def _no_internal_names(text: str) -> None:
    assert_no_internal_names(text)
    assert not [word for word in TEST_WORDS if word in text]


def _in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= viewport["width"], (selector, box)
    assert box["y"] + box["height"] <= viewport["height"], (selector, box)


def test_second_approval_shows_draft_and_last_remarks_beside_the_decision(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    _case(live_db, ROUTE, [
        ("accept_message", EXEC, {"competent": True}, None),
        ("draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Черновик"}, None),
        ("approve_answer", "curator", {"decision": "rework", "comment": REMARK}, None),
        ("rework_answer", EXEC, {"answer_kind": "answer", "answer_text": DRAFT}, None)])
    page = page_for("curator")
    _open(page, live_app, "Согласовать проект ответа")
    shot(page, "task-approval-second-round")
    assert DRAFT in page.inner_text("#material-case") and REMARK in page.inner_text("#material-earlier")
    for selector in ("#material-case", "#material-earlier", "#deadlines", "[data-key=decision]",
                     "#task-form button[type=submit]"):
        _in_view(page, selector)
    deadlines = page.inner_text("#deadlines")
    assert "30 рабочих минут на согласование проекта, п. 10" in deadlines
    assert "9 рабочих часов с момента выявления (или сокращённый срок), п. 8" in deadlines
    _no_internal_names(page.inner_text("body"))
    assert not page.console_errors  # type: ignore[attr-defined]


def test_publish_task_keeps_the_old_remarks_out_of_the_current_case(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    _case(live_db, ROUTE, [
        ("accept_message", EXEC, {"competent": True}, None),
        ("draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Черновик"}, None),
        ("approve_answer", "curator", {"decision": "rework", "comment": REMARK}, None),
        ("rework_answer", EXEC, {"answer_kind": "answer", "answer_text": DRAFT}, None),
        ("approve_answer", "curator", {"decision": "approve"}, None)])
    page = page_for(EXEC)
    _open(page, live_app, "Разместить ответ")
    shot(page, "task-publish-after-approval")
    current = page.inner_text("#material-case")
    assert "Согласовать" in current and DRAFT in current and REMARK not in current
    assert page.inner_text("#material-earlier").startswith("Из предыдущего круга (уже не действует)")
    for selector in ("#material-case", "#material-earlier", "#deadlines"):
        _in_view(page, selector)


def test_joint_answer_parts_are_in_view_beside_the_composing_form(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    part = "Поликлиника №3 примет жителей района до 20:00, запись по телефону 122."
    _case(live_db, {**ROUTE, "co_agencies": ["orb_health"]}, [
        ("prepare_part", "exec_orb_health", {"part_text": part}, "orb_health")])
    page = page_for(EXEC)
    _open(page, live_app, "проект общего ответа")
    shot(page, "task-joint-answer")
    assert part in page.inner_text("#material-parts")
    for selector in ("#material-parts", "#deadlines", "#task-form textarea"):
        _in_view(page, selector)
    _no_internal_names(page.inner_text("body"))


def test_the_co_executor_list_follows_the_main_agency_chosen(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(AT)
    _case(live_db, ROUTE, [("accept_message", EXEC, {"competent": False, "return_reason": "Не наш вопрос",
                                                     "suggested_agency": "orb_health"}, None)])
    page = page_for("curator")
    _open(page, live_app, "Перенаправить")
    co = "[data-key=co_agencies]"
    assert page.input_value("select[name=agency]") == "orb_health"  # the agency the executor suggested
    assert not page.locator(f"{co} input[value=orb_health]").is_visible()
    page.check(f"{co} input[value=orb_roads]")
    page.select_option("select[name=agency]", "orb_roads")
    assert not page.locator(f"{co} input[value=orb_roads]").is_visible()
    assert not page.locator(f"{co} input[value=orb_roads]").is_checked()  # unticked as it was hidden
    assert page.locator(f"{co} input[value=orb_health]").is_visible()
    assert not page.console_errors  # type: ignore[attr-defined]
