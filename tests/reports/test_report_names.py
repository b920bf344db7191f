"""A report for the Governor names things as people do (issue 16): the agency by its name, the
network as «ВКонтакте», the topic as the routing form labels it — on the page and in the XLSX —
and never ``orb_roads``, ``vk`` or ``roads_transport``. The scheduler's freeze reads in words too."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from engine.models import Organisation, User
from engine.reports import frozen
from engine.reports.summary import build_summary
from engine.reports.summary_xlsx import write_xlsx
from engine.runtime.timers import fire_due_timers
from engine.texts import language
from tests.pagetext import assert_no_internal_names, visible_text
from tests.reports.support import ROADS_NAME, late_draft, name_the_roads_agency
from tests.web import tasks_support
from tests.web.tasks_support import EXEC, client_as, complete, local, routed

password_hash = tasks_support.password_hash  # the tasks pages' fixtures: an app with Orenburg officials
tasks_app = tasks_support.tasks_app

KEYS = ("orb_roads", "vk", "roads_transport")


def _cells(book, sheet: str) -> list[object]:  # type: ignore[no-untyped-def]
    return [value for row in book[sheet].iter_rows(values_only=True) for value in row if value is not None]


def test_the_page_names_agencies_networks_and_topics(tasks_app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with tasks_app.extensions["otklik_db"].session() as session:
        session.scalars(select(Organisation).where(Organisation.key == "orb_roads")).one().name = ROADS_NAME
    routed(tasks_app)
    complete(tasks_app, "accept_message", EXEC, {"competent": True})
    virtual_clock.set(local("2025-11-10T16:10"))  # the draft 10 minutes after п. 9's deadline
    fire_due_timers(tasks_app.extensions["otklik_db"])
    complete(tasks_app, "draft_answer", EXEC, {"answer_kind": "answer", "answer_text": "Яму заделают"})
    html = client_as(tasks_app, "supervisor").get("/reports?region=orenburg&period=2025-11").get_data(as_text=True)
    main = visible_text(html.split("<main", 1)[1])
    assert f"{ROADS_NAME} 1 1 (п. 9: 1)" in main  # the agency's line: cases, breaches by clause
    assert "Источник Сообщений ВКонтакте 1" in main
    assert "Тема Сообщений Дороги и транспорт 1" in main
    for key in KEYS:
        assert key not in main.split(), key
    assert_no_internal_names(main)


def test_the_xlsx_names_agencies_networks_and_topics(orenburg) -> None:  # type: ignore[no-untyped-def]
    name_the_roads_agency(orenburg)
    late_draft(orenburg, 10)
    with orenburg.db.session() as session, language("ru"):  # the topic's label is the reader's language
        summary = build_summary(session, "orenburg", "2025-11")
    buffer = io.BytesIO()
    write_xlsx(summary, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book["Органы"]["A2"].value == ROADS_NAME
    structure = [row for row in book["Структура"].iter_rows(values_only=True) if any(row)]
    assert structure == [("Источник", "Сообщений"), ("ВКонтакте", 1), ("Тема", "Сообщений"), ("Дороги и транспорт", 1)]
    every = [str(v) for name in book.sheetnames for v in _cells(book, name)]
    for key in KEYS:
        assert key not in every, key
    with_english = io.BytesIO()
    write_xlsx(summary, with_english, lang="en")
    english = load_workbook(io.BytesIO(with_english.getvalue()))
    assert [row[0] for row in english["Structure"].iter_rows(values_only=True) if row[0]][1] == "VKontakte"


def test_a_report_without_a_topic_says_so_in_words(orenburg) -> None:  # type: ignore[no-untyped-def]
    late_draft(orenburg, 10)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    summary.by_topic.clear()
    summary.by_topic["—"] = 1
    buffer = io.BytesIO()
    write_xlsx(summary, buffer)
    rows = [row for row in load_workbook(io.BytesIO(buffer.getvalue()))["Структура"].iter_rows(values_only=True) if any(row)]
    assert rows[-1] == ("тема не указана", 1)


def test_who_froze_a_report_reads_as_a_name_or_the_schedule(orenburg) -> None:  # type: ignore[no-untyped-def]
    late_draft(orenburg, 10)
    name_the_roads_agency(orenburg)  # after the freeze's figures: the frozen report reads today's name
    orenburg.at("2025-12-01T09:00")
    with orenburg.db.session() as session:
        session.scalars(select(User).where(User.login == "supervisor")).one().full_name = "Сергей Контролёв"
        frozen.freeze(session, "orenburg", "2025-10")  # by the scheduler
        frozen.freeze(session, "orenburg", "2025-11", "supervisor")
    with orenburg.db.session() as session:
        october = frozen.report_view(session, "supervisor", "orenburg", "2025-10")
        with language("ru"):
            november = frozen.report_view(session, "supervisor", "orenburg", "2025-11")
        assert november.summary.agencies[0].organisation_name == ROADS_NAME
        assert november.summary.topic_label("roads_transport") == "Дороги и транспорт"
        with language("en"):
            english = frozen.report_view(session, "supervisor", "orenburg", "2025-11").summary
        assert english.topic_label("roads_transport") in ("Roads and transport", "Дороги и транспорт")
    assert october.frozen_by_name in ("автоматически, по расписанию отправки", "automatically, on the sending schedule")
    assert november.frozen_by_name == "Сергей Контролёв"
