"""Messages: registration with photos, the registry and its filters, the card, attachments,
who may see what, refused uploads and escaping of what citizens and officials typed."""
from __future__ import annotations

import io
import re
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine import texts
from engine.errors import NotFound
from engine.models import Attachment, Instance, Membership, Message, Task, User
from engine.runtime import attachments
from engine.runtime import cases as runtime
from engine.runtime.timers import fire_due_timers
from tests.factories import deploy_files, orenburg_people, organisation

PASSWORD = "correct horse battery"
TZ = ZoneInfo("Asia/Yekaterinburg")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
XSS = "<script>alert(1)</script>"
ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def messages_app(tmp_path, virtual_clock):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "up"), "SECRET_KEY": "test", "LOGIN_RATE_LIMIT": "1000 per minute"})
    database = app.extensions["otklik_db"]
    with database.session() as session:
        orenburg_people(session)
        for user in session.scalars(select(User)):
            user.password_hash = generate_password_hash(PASSWORD)
        deploy_files(session, "bpmn/orenburg.bpmn")
    virtual_clock.set(local("2025-11-10T10:05"))  # Monday, working hours in Orenburg
    yield app
    database.engine.dispose()


@pytest.fixture
def web_db(messages_app):  # type: ignore[no-untyped-def]
    return messages_app.extensions["otklik_db"]


@pytest.fixture
def signed_in(messages_app):  # type: ignore[no-untyped-def]
    def make(login: str):  # type: ignore[no-untyped-def]
        client = messages_app.test_client()
        response = client.post("/login", data={"login": login, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


def form(**changes):  # type: ignore[no-untyped-def]
    data = {"network": "vk", "url": "https://vk.com/wall-1_1", "author": "Иван Петров",
            "text": "Яма на дороге у школы №5", "posted_at": "2025-11-10T09:40", "detected_at": "2025-11-10T10:00",
            "repeat_of": ""}
    data.update(changes)
    return data


def register(client, files=(), **changes):  # type: ignore[no-untyped-def]
    data = form(**changes)
    data["files"] = [(io.BytesIO(content), name, mimetype) for name, content, mimetype in files]
    return client.post("/messages/new", data=data, content_type="multipart/form-data")


def start(web_db, text="Яма на дороге у школы №5", author="Иван Петров") -> int:  # type: ignore[no-untyped-def]
    with web_db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_2", author=author, text=text,
            posted_at=local("2025-11-10T09:40"), detected_at=local("2025-11-10T10:00")), "curator")
        return instance.message_id


def complete(web_db, message_id: int, element_id: str, login: str, data: dict) -> None:  # type: ignore[no-untyped-def]
    with web_db.session() as session:
        task = session.scalar(select(Task).where(Task.message_id == message_id, Task.element_id == element_id,
                                                 Task.status == "open"))
        runtime.complete_task(session, task.id, login, data)


# ------------------------------------------------------------------------------- registration

def test_curator_registers_a_message_with_a_photo(signed_in, web_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    curator = signed_in("curator")
    page = curator.get("/messages/new").get_data(as_text=True)
    for label in ("ВКонтакте", "Одноклассники", "Telegram", "блог", "сайт", "мессенджер"):
        assert label in page
    assert 'type="datetime-local"' in page and 'value="2025-11-10T10:05"' in page  # detected defaults to now, local

    response = register(curator, files=[("яма.png", PNG, "image/png")])
    assert response.status_code == 302
    # The curator lands on the routing task (issue 16: the next step after each action), not on the card.
    with web_db.session() as session:
        routing = session.scalar(select(Task).where(Task.message_id == 1, Task.status == "open"))
        assert routing.name == "Определить тему, локацию, важность и направить"
    assert response.headers["Location"].endswith(f"/tasks/{routing.id}")

    with web_db.session() as session:
        message = session.get(Message, 1)
        assert (message.status, message.registered_by) == ("in_progress", "curator")
        assert message.detected_at == local("2025-11-10T10:00")  # typed in the region's time zone
        assert session.scalar(select(Instance).where(Instance.message_id == 1)).status == "running"
        stored = session.scalar(select(Attachment))
        assert (stored.filename, stored.content_type, stored.size, stored.organisation_key) == (
            "яма.png", "image/png", len(PNG), "orb_minpolicy")
        assert len(stored.stored_name) == 32 and (tmp_path / "up" / stored.stored_name).read_bytes() == PNG

    card = curator.get("/messages/1")
    html = card.get_data(as_text=True)
    assert card.status_code == 200
    assert 'data-element="route_message"' in html
    assert "Определить тему, локацию, важность и направить" in html
    assert "30 рабочих минут с момента выявления, п. 6" in html and "п. 6" in html
    assert "10.11.2025 10:30" in html  # the routing deadline, local time
    assert "25 мин" in html  # working time left at 10:05
    assert "Процедура запущена" in html and "Добавлен файл" in html  # the timeline
    assert "яма.png" in html

    download = curator.get(f"/attachments/{stored.id}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_same_registration_form_sent_twice_registers_one_message(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    curator = signed_in("curator")
    page = curator.get("/messages/new").get_data(as_text=True)
    submission_id = re.search(r'name="submission_id" value="([0-9a-f]{32})"', page).group(1)
    first = register(curator, files=[("яма.png", PNG, "image/png")], submission_id=submission_id)
    again = register(curator, files=[("яма.png", PNG, "image/png")], submission_id=submission_id)  # a double click
    assert first.status_code == again.status_code == 302
    # Both land on the one routing task (issue 16: straight on to the next step).
    assert again.headers["Location"] == first.headers["Location"] and "/tasks/" in first.headers["Location"]
    assert "Эта форма уже зарегистрировала сообщение № 1." in curator.get("/messages/1").get_data(as_text=True)
    with web_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
        assert session.scalar(select(func.count()).select_from(Attachment)) == 1
    # A new form is a new message; a form without the id (an older page) registers as before.
    assert register(curator, submission_id=uuid.uuid4().hex).headers["Location"] != first.headers["Location"]
    assert register(curator).status_code == 302
    with web_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 3
    # A form re-shown for a mistake keeps its id.
    shown = register(curator, url="не ссылка", submission_id=submission_id).get_data(as_text=True)
    assert f'name="submission_id" value="{submission_id}"' in shown


def test_validation_errors_are_shown_beside_fields_and_keep_what_was_typed(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    curator = signed_in("curator")
    typed = 'Текст с "кавычками" и переносом\nстроки'
    response = register(curator, author="", url="vk.com/wall", text=typed, posted_at="2025-11-10T10:30",
                        detected_at="2025-11-10T10:00", repeat_of="999", network="myspace")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="author-error">Заполните поле.' in html
    assert "http:// или https://" in html and 'value="vk.com/wall"' in html
    assert "не может быть выявлено раньше, чем размещено" in html
    assert "Сообщения с таким номером нет." in html and 'value="999"' in html
    assert "Выберите сеть из списка." in html
    assert "Текст с &#34;кавычками&#34; и переносом\nстроки</textarea>" in html
    assert 'value="2025-11-10T10:30"' in html
    future = register(curator, detected_at="2025-11-10T12:00").get_data(as_text=True)
    assert "ещё не наступило" in future
    with web_db.session() as session:
        assert session.scalar(select(Message)) is None


def test_dates_outside_the_last_year_and_overlong_text_are_refused_beside_the_fields(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    """A message posted in the year 2 was registered, and every inbox page showing its case then
    walked 730,000 days of working time (17-21 s). The clock stands at 10.11.2025 10:05."""
    curator = signed_in("curator")
    both = register(curator, posted_at="0002-01-01T10:00", detected_at="0002-01-01T10:20")
    assert both.status_code == 422 and both.get_data(as_text=True).count("больше года назад") == 2
    for field, typed, shown in (("posted_at", "0002-01-01T10:00", "больше года назад"),
                                ("posted_at", "2024-11-09T10:00", "больше года назад"),  # 366 days and 5 min
                                ("detected_at", "9999-12-31T23:59", "ещё не наступило"),
                                ("text", "я" * 20_001, "Слишком длинное значение"),
                                ("author", "я" * 301, "Слишком длинное значение")):
        response = register(curator, **{field: typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (field, typed[:20])
        assert f'id="{field}-error">' in html and shown in html, (field, typed[:20])
    with web_db.session() as session:
        assert session.scalar(select(Message)) is None
    started = time.perf_counter()
    assert curator.get("/inbox").status_code == 200
    assert time.perf_counter() - started < 1.0
    # The bounds themselves are accepted.
    assert register(curator, posted_at="2024-11-09T10:10", text="я" * 20_000, author="я" * 300).status_code == 302


def test_a_curator_of_several_regions_chooses_one(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    with web_db.session() as session:
        smolensk = organisation(session, "sml_policy", "curator", "smolensk")
        curator = session.scalar(select(User).where(User.login == "curator"))
        session.add(Membership(user_id=curator.id, organisation_id=smolensk.id, role="curator"))
    client = signed_in("curator")
    page = client.get("/messages/new").get_data(as_text=True)
    assert '<select id="region" name="region"' in page and "Смоленская область" in page
    missing = register(client, region="")
    assert missing.status_code == 422 and "Выберите регион" in missing.get_data(as_text=True)
    undeployed = register(client, region="smolensk", detected_at="2025-11-10T08:00", posted_at="2025-11-10T07:40")
    assert undeployed.status_code == 422 and "не развёрнута процедура" in undeployed.get_data(as_text=True)
    assert register(client, region="kaluga").status_code == 422  # not a curator there
    assert register(client, region="orenburg").status_code == 302


def test_only_curators_register(signed_in) -> None:  # type: ignore[no-untyped-def]
    assert signed_in("exec_orb_roads").get("/messages/new").status_code == 403
    assert register(signed_in("supervisor")).status_code == 403


def test_repeat_of_links_the_earlier_message(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    earlier = start(web_db)
    curator = signed_in("curator")
    response = register(curator, repeat_of=str(earlier))
    assert response.status_code == 302
    html = curator.get(f"/messages/{earlier + 1}").get_data(as_text=True)
    assert f'href="/messages/{earlier}">№ {earlier}' in html


# ------------------------------------------------------------------------------- uploads

def test_a_disguised_exe_is_refused_with_a_clear_message(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    curator = signed_in("curator")
    response = register(curator, files=[("фото.png", EXE, "image/png")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Файл «фото.png» не является фото или видео" in html
    assert 'value="Иван Петров"' in html  # the rest of the form is kept
    with web_db.session() as session:
        assert session.scalar(select(Message)) is None and session.scalar(select(Attachment)) is None


def test_an_oversize_file_is_refused(messages_app, signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    messages_app.config["MAX_UPLOAD_BYTES"] = 1024
    response = register(signed_in("curator"), files=[("big.png", PNG + b"\x00" * 2048, "image/png")])
    assert response.status_code == 422
    assert "Файл «big.png» больше 1024 байт" in response.get_data(as_text=True)


def test_save_attachment_checks_content_not_the_declared_type(web_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    message_id = start(web_db)
    upload_dir = str(tmp_path / "files")
    # The refusals are texts by code; the suite pins English, these are the Russian ones people read by default.
    with web_db.session() as session, texts.language("ru"):
        def save(data: bytes, name: str = "f.bin", content_type: str = "application/octet-stream"):  # type: ignore[no-untyped-def]
            return attachments.save_attachment(session, data=data, filename=name, content_type=content_type,
                                               message_id=message_id, uploaded_by="curator", organisation_key=None,
                                               upload_dir=upload_dir, max_bytes=10_000)

        for data, expected in [(b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"), (PNG, "image/png"),
                               (b"GIF89a" + b"\x00" * 20, "image/gif"), (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
                               (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 16, "video/mp4"),
                               (b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 16, "video/quicktime"),
                               (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 8, "video/webm")]:
            assert save(data).content_type == expected
        with pytest.raises(ValueError, match="не является фото или видео"):
            save(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16, "photo.heic")  # an ISO file, but no video
        with pytest.raises(ValueError, match="пуст"):
            save(b"")
        with pytest.raises(ValueError, match="не является фото или видео"):
            save(EXE, "photo.jpg", "image/jpeg")
        with pytest.raises(ValueError, match="больше"):
            save(PNG + b"\x00" * 10_000)
        with pytest.raises(ValueError, match="объявлен как application/x-msdownload"):
            save(PNG, "a.png", "application/x-msdownload")
        # The name is for display only: no path, no direction tricks, the extension matches the content.
        assert save(PNG, "../../etc/evil\u202egnp.exe", "image/png").filename == "_.._etc_evil_gnp.exe.png"
        with pytest.raises(NotFound):
            attachments.save_attachment(session, data=PNG, filename="a.png", content_type="image/png",
                                        message_id=999, uploaded_by="curator", organisation_key=None,
                                        upload_dir=upload_dir, max_bytes=10_000)
    assert all(len(p.name) == 32 for p in Path(upload_dir).iterdir())


def test_a_rolled_back_upload_leaves_no_file(web_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    message_id = start(web_db)
    upload_dir = tmp_path / "files"
    with pytest.raises(RuntimeError):
        with web_db.session() as session:
            attachments.save_attachment(session, data=PNG, filename="a.png", content_type="image/png",
                                        message_id=message_id, uploaded_by="curator", organisation_key=None,
                                        upload_dir=str(upload_dir), max_bytes=10_000)
            raise RuntimeError("the rest of the request failed")
    assert list(upload_dir.iterdir()) == []


# ------------------------------------------------------------------------------- who sees what

def test_an_executor_of_another_agency_sees_nothing_of_the_message(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    curator = signed_in("curator")
    register(curator, files=[("яма.png", PNG, "image/png")])
    complete(web_db, 1, "route_message", "curator", ROUTE)  # to orb_roads
    with web_db.session() as session:
        attachment_id = session.scalar(select(Attachment.id))

    roads = signed_in("exec_orb_roads")
    assert 'href="/messages/1">1</a>' in roads.get("/messages").get_data(as_text=True)
    assert roads.get("/messages/1").status_code == 200
    assert roads.get(f"/attachments/{attachment_id}").status_code == 200

    health = signed_in("exec_orb_health")
    assert 'href="/messages/1"' not in health.get("/messages").get_data(as_text=True)
    assert health.get("/messages/1").status_code == 404
    assert health.get(f"/attachments/{attachment_id}").status_code == 404
    # Guessing an id that does not exist looks exactly the same (but for the path in the page).
    hidden, missing = (health.get(f"/attachments/{n}") for n in (attachment_id, attachment_id + 1))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data(as_text=True).replace(f"/attachments/{attachment_id}", "") == \
        missing.get_data(as_text=True).replace(f"/attachments/{attachment_id + 1}", "")
    assert health.get("/messages/999").status_code == 404


def test_the_card_shows_the_answer_deadlines_and_violations(signed_in, web_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    message_id = start(web_db)
    virtual_clock.set(local("2025-11-10T10:40"))
    fire_due_timers(web_db)  # routing deadline missed (п. 6)
    complete(web_db, message_id, "route_message", "curator", ROUTE)
    complete(web_db, message_id, "accept_message", "exec_orb_roads", {"competent": True})
    complete(web_db, message_id, "draft_answer", "exec_orb_roads",
             {"answer_kind": "answer", "answer_text": "Ремонт ямы запланирован на 12 ноября."})
    html = signed_in("supervisor").get(f"/messages/{message_id}").get_data(as_text=True)
    assert "Ремонт ямы запланирован на 12 ноября." in html and "Ответ по существу" in html
    assert "Согласовать проект ответа" in html  # the current step
    assert "9 рабочих часов с момента выявления (или сокращённый срок), п. 8" in html
    assert "11.11.2025 11:00" in html  # answer due: 9 working hours from 10:00
    assert "Нарушения сроков" in html and "10.11.2025 10:30" in html
    assert html.count("30 рабочих минут с момента выявления, п. 6") >= 2  # the violation and the timeline
    assert "Нарушен срок" in html and "Выполнен шаг" in html


# ------------------------------------------------------------------------------- escaping

def test_script_in_text_author_and_file_name_is_escaped(signed_in, web_db) -> None:  # type: ignore[no-untyped-def]
    curator = signed_in("curator")
    response = register(curator, author=XSS, text=f"Текст {XSS}", files=[(f"{XSS}.png", PNG, "image/png")])
    assert response.status_code == 302
    for path in ("/messages", "/messages/1"):
        html = curator.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    card = curator.get("/messages/1").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;_script&gt;.png" in card  # the name's "/" is no path either
