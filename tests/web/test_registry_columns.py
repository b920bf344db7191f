"""The registry's rows as a reader uses them (issue 16 item 8): when each message was registered (local
time), the region when the reader sees more than one territory, organisations by name, and the whole
row opening the card through one link named by number, date and author.

Fixtures and helpers are those of test_messages.py (Orenburg, virtual clock, SQLite)."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Membership, User
from tests.factories import organisation
from tests.pagetext import assert_no_internal_names, visible_text
from tests.web import test_messages as base
from tests.web.named_directory import ORGANISATIONS, TEST_WORDS, give_names
from tests.web.test_messages import ROUTE, complete, start

messages_app, web_db, signed_in = base.messages_app, base.web_db, base.signed_in  # the same fixtures
ROADS = ORGANISATIONS["orb_roads"]


def _rows(html: str) -> list[str]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [visible_text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_a_row_shows_its_registration_date_and_agency_by_name_and_opens_the_card(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    with web_db.session() as session:
        give_names(session)
    message_id = start(web_db)  # registered at 10:05 Orenburg time (the fixture's clock)
    complete(web_db, message_id, "route_message", "curator", ROUTE)
    html = signed_in("curator").get("/messages").get_data(as_text=True)
    headers = visible_text(html[html.index("<thead>"):html.index("</thead>")])
    assert headers == "№ Зарегистрировано Сеть Автор Сообщение Статус Текущий шаг Ближайший срок"  # one region: no column
    assert "время: Оренбургская область, UTC+5" in visible_text(html)  # whose clock the dates are on
    [row] = _rows(html)
    assert row.startswith(f"{message_id} 10.11.2025 10:05 ВКонтакте Иван Петров Яма на дороге у школы №5")
    assert f"({ROADS})" in row  # the step's agency by name
    assert_no_internal_names(visible_text(html))
    assert not [word for word in TEST_WORDS if word in visible_text(html)]
    # One link per row, stretched over it (app.css), named for a screen reader; the excerpt is no second stop.
    links = re.findall(r'<a class="row-link" aria-label="([^"]+)"\s+href="/messages/(\d+)">', html)
    assert links == [(f"Сообщение № {message_id} от 10.11.2025 10:05, автор: Иван Петров", str(message_id))]
    assert html.count(f'href="/messages/{message_id}"') == 1


def test_a_reader_of_several_territories_sees_the_region_column(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    with web_db.session() as session:
        smolensk = organisation(session, "smo_dip", "curator", "smolensk")
        supervisor = session.scalar(select(User).where(User.login == "supervisor"))
        session.add(Membership(user_id=supervisor.id, organisation_id=smolensk.id, role="supervisor"))  # type: ignore[union-attr]
        give_names(session)
    message_id = start(web_db)
    html = signed_in("supervisor").get("/messages").get_data(as_text=True)
    headers = visible_text(html[html.index("<thead>"):html.index("</thead>")])
    assert headers == "№ Зарегистрировано Регион Сеть Автор Сообщение Статус Текущий шаг Ближайший срок"
    assert "Время — местное для региона каждого сообщения." in visible_text(html)
    [row] = _rows(html)
    assert row.startswith(f"{message_id} 10.11.2025 10:05 Оренбургская область ВКонтакте")
    assert "orenburg" not in row
    assert_no_internal_names(visible_text(html))


def test_a_photo_on_the_card_says_what_it_is_and_who_added_it_by_name(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    with web_db.session() as session:
        give_names(session)
    curator = signed_in("curator")
    assert base.register(curator, files=[("яма.png", base.PNG, "image/png")]).status_code == 302
    text = visible_text(curator.get("/messages/1").get_data(as_text=True))
    assert f"яма.png фото, 1 КБ · Куратор Анна Сергеевна ({ORGANISATIONS['orb_minpolicy']}), 10.11.2025 10:05" in text
    assert "image/png" not in text
    assert "Добавлен файл: яма.png — Куратор Анна Сергеевна" in text  # the history, by name
    assert_no_internal_names(text)


def test_a_refused_violation_filter_names_the_field_in_words(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("curator").get("/messages?clause=8&period=ноябрь")
    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "Срок наступил в периоде: период: месяц ГГГГ-ММ (2025-11)" in text
    assert "period" not in text
