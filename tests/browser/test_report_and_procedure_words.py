"""The regulator's and supervisor's pages at 1366×768 in Chromium (issue 16 items 1, 2, 6): the
summary, the heatmap, the comparison and a procedure's card name agencies, networks, topics, steps,
parameters and people in words — no login, organisation key, BPMN id, variable name or IANA zone."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.models import Organisation, User
from engine.runtime.timers import fire_due_timers
from tests.browser.conftest import PASSWORD, shot
from tests.factories import deploy_files, official
from tests.pagetext import assert_no_internal_names
from tests.reports.support import ROADS_NAME
from tests.scenario.driver import Case
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE

VARIABLES = ("routing_hours", "draft_hours", "answer_hours", "review_hours", "publisher", "co_agencies")
ELEMENT_IDS = ("route_message", "accept_message", "draft_answer", "approve_answer", "publish_answer")


def _november(live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with live_db.session() as session:
        deploy_files(session, "bpmn/kaluga.bpmn")
        # The factories name organisations by their keys; real names prove the pages show names.
        session.scalars(select(Organisation).where(Organisation.key == "orb_roads")).one().name = ROADS_NAME
        ministry = session.scalars(select(Organisation).where(Organisation.key == "orb_minpolicy")).one()
        regulator = official(session, "regulator", ministry, "regulator")  # a regulator oversees every region
        regulator.full_name = "Олег Проверяющий"
        session.scalars(select(User).where(User.login == "supervisor")).one().full_name = "Сергей Контролёв"
        regulator.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    case = Case(live_db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-10T16:05")  # 5 minutes after п. 9's deadline
    fire_due_timers(live_db)
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)


def _main_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("main").inner_text()


def _clean(text: str) -> None:
    assert_no_internal_names(text)
    for word in (*VARIABLES, *ELEMENT_IDS, "orb_roads", "roads_transport"):
        assert word not in text, word


def test_the_supervisor_reads_the_report_and_heatmap_in_words(live_db, live_app, page_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _november(live_db, virtual_clock)
    page = page_for("supervisor")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_app}/reports?region=orenburg&period=2025-11")
    text = _main_text(page)
    assert "ВКонтакте\t1" in text and "Дороги и транспорт\t1" in text and ROADS_NAME in text
    _clean(text)
    shot(page, "16-report-structure")
    page.goto(f"{live_app}/procedures/heatmap?region=orenburg&period=2025-11")
    table = page.locator("#heat-table").inner_text()
    assert "Подготовить проект ответа\t1\tп. 9: 1\t1\t" in table
    _clean(table)
    assert page.console_errors == []  # type: ignore[attr-defined]
    shot(page, "16-heatmap-names")


def test_the_regulator_reads_the_comparison_and_the_card_in_words(live_db, live_app, page_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _november(live_db, virtual_clock)
    page = page_for("regulator")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_app}/procedures/compare")
    kaluga = page.locator('td[data-step="draft"][data-region="kaluga"]').inner_text()
    assert kaluga.startswith("8 рабочих часов с начала шага (параметр процедуры, по умолчанию)")
    assert kaluga.count("параметр") == 1
    _clean(_main_text(page))
    page.goto(f"{live_app}/procedures/orenburg/1")
    heading = page.locator("h1").inner_text()
    assert heading.endswith("версия 1") and "orenburg" not in heading
    steps = page.locator("#procedure-card").inner_text()
    assert "30 рабочих минут на возврат" not in steps  # a timer is a deadline, not a step
    assert page.locator("#procedure-deadlines").is_visible()
    _clean(_main_text(page))
    assert page.console_errors == []  # type: ignore[attr-defined]
    shot(page, "16-procedure-card")
