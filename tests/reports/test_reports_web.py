"""The pages (issue 15): "п. 9, November" from the report to every violating case, for the
regulator; validated query strings; the card's parameter label; the chart; freezing.

The Orenburg case starts Monday 2025-11-10, detected 10:00 Asia/Yekaterinburg; the draft (п. 9) is
due at 16:00 and comes at 16:10; a photo is attached to it (Orenburg п. 16).
"""
from __future__ import annotations

import io
import re

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from engine.models import Organisation, User
from engine.reports.summary import build_summary
from engine.runtime.timers import fire_due_timers
from tests.factories import official
from tests.reports.support import ROADS_NAME, basis_of_clause
from tests.scenario.mutants import deploy_mutant
from tests.web import tasks_support
from tests.web.tasks_support import EXEC, client_as, complete, local, routed, task_of, text_of

password_hash = tasks_support.password_hash  # the tasks pages' fixtures: an app with Orenburg officials
tasks_app = tasks_support.tasks_app
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def _late_draft_with_photo(app: Flask, clock) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        ministry = session.scalars(select(Organisation).where(Organisation.key == "orb_minpolicy")).one()
        # The regulator oversees the region read-only (policy.MESSAGE_REGION_WIDE, REPORT_ROLES).
        regulator = official(session, "regulator", ministry, "regulator")
        regulator.password_hash = session.scalars(select(User).where(User.login == "curator")).one().password_hash
        session.scalars(select(Organisation).where(Organisation.key == "orb_roads")).one().name = ROADS_NAME
    routed(app)
    complete(app, "accept_message", EXEC, {"competent": True})
    clock.set(local("2025-11-10T16:10"))
    fire_due_timers(app.extensions["otklik_db"])
    draft = task_of(app, "draft_answer")
    response = client_as(app, EXEC).post(f"/tasks/{draft.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "Яму заделают", "attachments": [(io.BytesIO(PNG), "yama.png", "image/png")]})
    assert response.status_code == 303, text_of(response)
    complete(app, "approve_answer", "curator", {"decision": "approve"})
    complete(app, "publish_answer", EXEC, {"published": True, "answer_url": "https://vk.com/wall-1_1?reply=2"})


def test_the_regulator_opens_clause_9_november_from_the_report_and_sees_the_case(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _late_draft_with_photo(tasks_app, virtual_clock)
    regulator = client_as(tasks_app, "regulator")
    report = text_of(regulator.get("/reports?region=orenburg&period=2025-11"))
    links = re.findall(r'href="(/messages\?[^"]*clause=9[^"]*)"', report)
    assert links, report
    assert "period=2025-11" in links[0] and "region=orenburg" in links[0]
    assert 'id="quality"' in report and "<svg" in report and 'data-series="violations"' in report
    page = regulator.get(links[0].replace("&amp;", "&"))
    text = text_of(page)
    assert page.status_code == 200
    assert ROADS_NAME in text and "orb_roads" not in text  # the name, never the key
    assert "п. 9" in text and "10.11.2025 16:00 (время: Оренбургская область, UTC+5)" in text
    assert "10 мин рабочего времени" in text and "№ 1" in text
    form = regulator.get("/messages?q=&status=&topic=&agency=&region=orenburg&clause=9&period=2025-11&basis=")
    assert ROADS_NAME in text_of(form)  # the registry's own form reaches the same list
    with tasks_app.extensions["otklik_db"].session() as session:
        assert build_summary(session, "orenburg", "2025-11").quality.with_media == 1


def test_bad_filter_input_is_a_clear_400_in_russian_and_english(tasks_app) -> None:  # type: ignore[no-untyped-def]
    client = client_as(tasks_app, "supervisor")
    response = client.get("/messages?clause=8%3B%20drop&period=ноябрь&page=0")
    text = text_of(response)
    assert response.status_code == 400
    assert "пункт акта пишется цифрами через точку" in text and "ГГГГ-ММ" in text and "от 1 до 10000" in text
    client.post("/locale/en")
    english = text_of(client.get("/messages?clause=abc"))
    assert "a clause of the act is digits separated by dots" in english
    assert "No missed deadlines match." in text_of(client.get("/messages?clause=9&period=2025-11"))
    assert client.get("/reports?region=orenburg&period=2025-11&months=500").status_code == 422


def test_a_parameter_breach_on_the_card_and_in_the_registry_is_labelled_as_such(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    deploy_mutant(tasks_app.extensions["otklik_db"], "bpmn/orenburg.bpmn", basis_of_clause("9", "parameter"))
    _late_draft_with_photo(tasks_app, virtual_clock)
    supervisor = client_as(tasks_app, "supervisor")
    card = text_of(supervisor.get("/messages/1"))
    assert 'data-basis="parameter"' in card and "параметр процедуры, не срок постановления" in card
    assert "<td>п. 9</td>" not in card  # the clause column; the timer's own name (the diagram's) may say more
    report = text_of(supervisor.get("/reports?region=orenburg&period=2025-11"))
    assert 'data-clause="9"' not in report and 'data-deadline="draft"' in report
    assert 'clause=9' not in text_of(supervisor.get("/procedures/heatmap?region=orenburg&period=2025-11"))
    registry = text_of(supervisor.get("/messages?region=orenburg&basis=parameter&period=2025-11"))
    assert "параметр процедуры, не срок постановления" in registry and ROADS_NAME in registry


def test_heatmap_and_comparison_link_each_clause_to_the_registry(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _late_draft_with_photo(tasks_app, virtual_clock)
    regulator = client_as(tasks_app, "regulator")
    heat = text_of(regulator.get("/procedures/heatmap?region=orenburg&period=2025-11"))
    assert re.search(r'href="/messages\?[^"]*clause=9[^"]*period=2025-11', heat), heat
    compare = text_of(regulator.get("/procedures/compare"))
    assert re.search(r'href="/messages\?[^"]*clause=9', compare) and "нарушений 1" in compare


def test_the_supervisor_freezes_the_closed_month_and_the_page_says_when_and_by_whom(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _late_draft_with_photo(tasks_app, virtual_clock)
    with tasks_app.extensions["otklik_db"].session() as session:  # by name, never the login (issue 16)
        session.scalars(select(User).where(User.login == "supervisor")).one().full_name = "Сергей Контролёв"
    supervisor = client_as(tasks_app, "supervisor")
    open_month = text_of(supervisor.get("/reports?region=orenburg&period=2025-11"))
    assert "Зафиксировать отчёт" not in open_month  # November is not over yet
    virtual_clock.set(local("2025-12-01T09:00"))
    supervisor = client_as(tasks_app, "supervisor")  # a new day, a new sign-in (sessions expire)
    assert "Зафиксировать отчёт" in text_of(supervisor.get("/reports?region=orenburg&period=2025-11"))
    assert client_as(tasks_app, "curator").post("/reports/freeze", data={"region": "orenburg", "period": "2025-11"}).status_code == 403
    response = supervisor.post("/reports/freeze", data={"region": "orenburg", "period": "2025-11"})
    assert response.status_code == 302
    page = text_of(supervisor.get("/reports?region=orenburg&period=2025-11"))
    assert "Отчёт зафиксирован" in page and "01.12.2025 09:00 (время: Оренбургская область, UTC+5), Сергей Контролёв." in page
    again = supervisor.post("/reports/freeze", data={"region": "orenburg", "period": "2025-11"}, follow_redirects=True)
    assert "уже зафиксирован" in text_of(again)
    book = supervisor.get("/reports/export?region=orenburg&period=2025-11")
    totals = {row[0]: row[1] for row in load_workbook(io.BytesIO(book.data))["Итоги"].iter_rows(values_only=True)}
    assert totals["Зафиксирован"] == "01.12.2025 09:00 (время: Оренбургская область, UTC+5), кто: Сергей Контролёв"
