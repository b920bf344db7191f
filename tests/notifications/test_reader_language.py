"""A notification reads in its reader's language (issue 16 item 7): it keeps its text codes and
parameters, rendered when read — the notification centre, the administrators' list and the card's
history in English for a reader in English — while the e-mail and the stored columns stay Russian and
a row written before codes were kept reads as stored."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engine import clock
from engine.models import AuditEvent, Notification
from engine.notifications import inbox, routing
from engine.notifications.admin_view import undelivered
from engine.notifications.delivery import mail_subject, mail_text
from engine.notifications.wording import STORED_CHARS, read, stored, zone_text
from engine.texts import language, t
from engine.views.timeline import timeline
from tests.pagetext import visible_text
from tests.web.conftest import app, client_for, csrf_token  # noqa: F401 - fixtures used by name

__all__ = ["app", "client_for"]
DUE = datetime(2026, 12, 4, 6, 30, tzinfo=UTC)  # 11:30 in Orenburg (UTC+5)
RU_SUBJECT = "Нарушен срок п. 8: 9 рабочих часов (срок 04.12.2026 11:30)"
EN_SUBJECT = "Deadline missed, cl. 8: 9 рабочих часов (due 04.12.2026 11:30)"
EN_BODY = "Case no. 7: the deadline '9 рабочих часов' passed at 04.12.2026 11:30. Responsible organisation: not determined."
RU_BODY = "Дело № 7: срок «9 рабочих часов» истёк 04.12.2026 11:30. Ответственная организация: не определена."


def _violation(app, recipient: str = "supervisor") -> int:  # type: ignore[no-untyped-def]
    """The violation notice as the worker writes it (engine.runtime.services.record_violation: its codes,
    the due time an instant, no organisation), written while Russian is the current language."""
    with language("ru"), app.extensions["otklik_db"].session() as session:
        [note] = routing.notify(
            session, region="orenburg", recipients=recipient, at=clock.now(), message_id=None,
            subject=t("notifications.violation_subject", clause="8", deadline="9 рабочих часов", due=DUE),
            body=t("notifications.violation_body", case=7, deadline="9 рабочих часов", due=DUE,
                   organisation=t("notifications.no_organisation")))
        return note.id


def test_a_notice_written_in_russian_reads_in_english_and_keeps_its_russian_columns(app) -> None:  # type: ignore[no-untyped-def]
    note_id = _violation(app)
    with app.extensions["otklik_db"].session() as session:
        note = session.get_one(Notification, note_id)
        assert (note.subject, note.body) == (RU_SUBJECT, RU_BODY)  # e-mails, search and older readers
        assert note.subject_text is not None and note.subject_text[0]["code"] == "notifications.violation_subject"
        assert note.subject_text[0]["params"]["due"] == {"instant": DUE.isoformat()}  # an instant, not a local time
        with language("en"):
            [item], _ = inbox.page(session, "supervisor")
        assert (item.subject, item.body) == (EN_SUBJECT, EN_BODY)
        with language("ru"):
            [item], _ = inbox.page(session, "supervisor")
        assert (item.subject, item.body) == (RU_SUBJECT, RU_BODY)


def test_the_english_notification_centre_shows_it_in_english(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _violation(app)
    client = client_for("supervisor")
    assert RU_SUBJECT in visible_text(client.get("/notifications").get_data(as_text=True))
    token = csrf_token(client, "/notifications")
    assert client.post("/locale/en", data={"next": "/notifications", "csrf_token": token}).status_code == 302
    page = visible_text(client.get("/notifications").get_data(as_text=True))
    assert EN_SUBJECT in page and EN_BODY in page
    assert "Нарушен срок" not in page and "2026-12-04T" not in page


def test_the_email_is_russian_whatever_the_language_at_sending(app) -> None:  # type: ignore[no-untyped-def]
    note_id = _violation(app)
    with app.extensions["otklik_db"].session() as session, language("en"):
        note = session.get_one(Notification, note_id)
        mail = mail_text(note)
        assert mail_subject(note) == RU_SUBJECT
    assert mail.startswith(f"{RU_SUBJECT}\n\n{RU_BODY}\n\n") and "Deadline" not in mail


def test_administrators_and_the_cards_history_read_it_in_english(app) -> None:  # type: ignore[no-untyped-def]
    _violation(app, recipient="governor")  # nobody holds the Governor's role in the test directory
    with app.extensions["otklik_db"].session() as session, language("en"):
        [row] = undelivered(session)
        assert row.subject == EN_SUBJECT
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.kind == "notified")))
        [entry] = timeline(session, "orenburg", events, {}, {}, {}, {})
        assert entry.title == EN_SUBJECT


def test_an_old_row_without_codes_reads_as_stored(app) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        [note] = routing.notify(session, region="orenburg", recipients="supervisor", subject="x", at=clock.now())
        note.subject, note.body = "Нарушен срок п. 8: answer (срок 2026-12-04T11:30:00+05:00)", "Старый текст"
        note.subject_text = note.body_text = None  # as migration 0017 leaves rows written before it
        session.flush()
        with language("en"):
            [item], _ = inbox.page(session, "supervisor")
    assert (item.subject, item.body) == ("Нарушен срок п. 8: answer (срок 04.12.2026 11:30)", "Старый текст")


def test_nested_texts_instants_and_zone_words_render_per_language() -> None:
    parts = [t("schedule.body", period="2025-11", region="Оренбургская область", clause=t("schedule.clause_cited",
               clause="21"), zone=zone_text("orenburg", DUE), frozen_at=DUE), "• строка как есть"]
    kept = stored(parts)
    assert kept is not None
    english = read(kept, "", "orenburg", "en")
    assert "frozen at 04.12.2026 11:30 (Orenburg Oblast time, UTC+5)" in english and "(clause 21)" in english
    assert english.endswith("\n• строка как есть")
    russian = read(kept, "", "orenburg", "ru")
    assert "зафиксирован 04.12.2026 11:30 (время: Оренбургская область, UTC+5)" in russian
    assert "Asia/" not in english + russian


def test_a_text_too_big_to_keep_reads_its_russian_columns(app) -> None:  # type: ignore[no-untyped-def]
    big = "я" * (STORED_CHARS + 1)
    assert stored([big]) is None
    with app.extensions["otklik_db"].session() as session:
        [note] = routing.notify(session, region="orenburg", recipients="supervisor", subject="Тема", body=big,
                                at=clock.now())
        assert note.body_text is None and note.body == big[:routing.BODY_CHARS]
        with language("en"):
            [item], _ = inbox.page(session, "supervisor")
    assert item.body == big[:routing.BODY_CHARS]
