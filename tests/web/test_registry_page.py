"""The registry page (/messages): filters, pages of fifty, capped counts, an agency's search.

Fixtures and helpers are those of test_messages.py (Orenburg, virtual clock, SQLite).
"""
from __future__ import annotations

from engine.runtime.timers import fire_due_timers
from tests.web import test_messages as base
from tests.web.test_messages import ROUTE, complete, local, start

messages_app, web_db, signed_in = base.messages_app, base.web_db, base.signed_in  # the same fixtures


def test_registry_filters_by_status_overdue_and_text(signed_in, web_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    threat = start(web_db, text="Угроза поджога", author="Аноним")
    complete(web_db, threat, "route_message", "curator", {**ROUTE, "category": "threat"})  # closes the case (п. 17)
    routed = start(web_db, text="ЯМА на Советской", author="Пётр Сидоров")
    complete(web_db, routed, "route_message", "curator", ROUTE)
    waiting = start(web_db, text="Не горят фонари", author="Мария")
    virtual_clock.set(local("2025-11-10T10:34"))  # the routing deadline (10:30, п. 6) has passed
    fire_due_timers(web_db)
    curator = signed_in("curator")

    def numbers(query: str) -> list[int]:
        html = curator.get("/messages" + query).get_data(as_text=True)
        return [n for n in (threat, routed, waiting) if f'href="/messages/{n}">{n}</a>' in html]

    assert numbers("") == [threat, routed, waiting]
    assert numbers("?status=closed") == [threat]
    assert numbers("?status=in_progress") == [routed, waiting]
    assert numbers("?overdue=1") == [waiting]
    assert numbers("?q=яма") == [routed]  # case-insensitive, Cyrillic included
    assert numbers("?q=сидоров") == [routed]  # author
    assert numbers("?q=wall-1_2") == [threat, routed, waiting]  # url
    assert numbers("?q=%25") == []  # LIKE wildcards are literal
    assert numbers("?topic=roads_transport&agency=orb_roads") == [routed]
    html = curator.get("/messages?overdue=1").get_data(as_text=True)
    assert "Определить тему, локацию, важность и направить" in html and "нарушений: 1" in html
    assert "Дороги и транспорт" in curator.get("/messages").get_data(as_text=True)  # topic labels from the form


def test_registry_pages_by_fifty(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    for n in range(51):
        start(web_db, text=f"Сообщение {n}")
    curator = signed_in("curator")
    first = curator.get("/messages?q=сообщение&evil=1").get_data(as_text=True)
    assert "Найдено: 51" in first and "Страница 1 из 2" in first and 'href="/messages/1">1</a>' not in first
    assert 'href="/messages?page=2&amp;q=%D1%81%D0%BE%D0%BE%D0%B1%D1%89%D0%B5%D0%BD%D0%B8%D0%B5" rel="next"' in first
    second = curator.get("/messages?page=2").get_data(as_text=True)
    assert 'href="/messages/1">1</a>' in second and 'href="/messages/2">2</a>' not in second


def test_registry_counts_up_to_a_limit_and_says_more(signed_in, web_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from engine.views import registry

    monkeypatch.setattr(registry, "COUNT_LIMIT", 40)  # 10,000 in production: a count of a million costs seconds
    for n in range(51):
        start(web_db, text=f"Сообщение {n}")
    curator = signed_in("curator")
    first = curator.get("/messages").get_data(as_text=True)
    assert "Найдено больше 40 — уточните фильтр" in first and "Найдено: " not in first
    assert 'href="/messages/51">51</a>' in first  # the page is the newest fifty, as without the limit
    assert "Найдено: 1" in curator.get("/messages?q=Сообщение 50").get_data(as_text=True)


def test_an_agency_registry_is_counted_exactly(signed_in, web_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from engine.views import registry

    monkeypatch.setattr(registry, "COUNT_LIMIT", 2)
    for n in range(3):
        complete(web_db, start(web_db, text=f"Обращение {n}"), "route_message", "curator", ROUTE)  # to orb_roads
    assert "Найдено: 3" in signed_in("exec_orb_roads").get("/messages").get_data(as_text=True)
    assert "Найдено больше 2" in signed_in("curator").get("/messages").get_data(as_text=True)


def test_an_executor_searches_the_agency_messages_newest_first(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    # An agency's search is planned from its own messages (engine/views/registry.py): same order, same rows.
    for n in range(3):
        message_id = start(web_db, text=f"Фонари не горят, обращение {n}")
        complete(web_db, message_id, "route_message", "curator", ROUTE)  # to orb_roads
    start(web_db, text="Фонари не горят, не направлено")  # not the agency's (yet)
    page = signed_in("exec_orb_roads").get("/messages?q=фонари").get_data(as_text=True)
    assert "Найдено: 3" in page and "не направлено" not in page
    assert page.index("обращение 2") < page.index("обращение 1") < page.index("обращение 0")
