"""E-mail delivery by the worker against a real SMTP server on loopback (aiosmtpd): the message arrives
with the right To, Subject and body; a failing server is retried with backoff and, after the bound,
the delivery fails and administrators see it; no host means in-app only; a dead server never stops
the worker's pass."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import Delivery, Notification
from engine.notifications import admin_view, delivery, inbox, routing
from engine.notifications.mail import MailSettings
from engine.runtime import timers
from tests.factories import orenburg_people
from tests.notifications.conftest import orenburg_recipients
from tests.notifications.smtp import free_port


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    with db.session() as session:
        orenburg_people(session)
        orenburg_recipients(session)
    return db


def _notify(db, recipients: str = "agency_head", subject: str = "Нарушен срок п. 9", body: str = "Дело № 7") -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        routing.notify(session, region="orenburg", recipients=recipients, subject=subject, body=body,
                       at=clock.now(), organisation_key="orb_roads")


def _emails(db) -> list[Delivery]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return list(session.scalars(select(Delivery).where(Delivery.channel == "email").order_by(Delivery.id)))


def test_the_message_arrives_with_its_address_subject_and_body(people, smtp) -> None:  # type: ignore[no-untyped-def]
    _notify(people)
    assert delivery.deliver_pending(people) == 1
    [mail] = smtp.handler.wait_for(1)
    assert mail.to == ["head.roads@orb.example"]
    assert mail.subject == "Нарушен срок п. 9"
    assert mail.message["From"] == "otklik@orenburg.example"
    assert "Дело № 7" in mail.body and "Оренбургская" in mail.body
    [row] = _emails(people)
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 1, clock.now(), None)
    # In-app too, in the head's own centre; and only once by e-mail.
    with people.session() as session:
        assert inbox.unread_count(session, "head_roads") == 1 and inbox.unread_count(session, "head_health") == 0
    assert delivery.deliver_pending(people) == 0 and len(smtp.handler.received) == 1


def test_the_case_link_names_the_message_when_a_base_url_is_set(people, smtp, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import deploy_files
    from tests.scenario.driver import Case

    case = Case(people, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    with people.session() as session:
        deploy_files(session, "bpmn/orenburg.bpmn")
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with people.session() as session:
        routing.notify(session, region="orenburg", recipients="deputy_minister", subject="Сводка", at=clock.now(),
                       message_id=case.instance().message_id)
    delivery.deliver_pending(people)
    [mail] = smtp.handler.wait_for(1)
    assert f"https://otklik.example/messages/{case.instance().message_id}" in mail.body


def test_a_failing_server_is_retried_with_backoff_until_it_takes_the_message(people, smtp, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    smtp.handler.refuse = 2
    _notify(people)
    assert delivery.deliver_pending(people) == 0
    [row] = _emails(people)
    assert (row.status, row.attempts) == ("pending", 1) and "451" in (row.last_error or "")
    assert row.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert delivery.deliver_pending(people) == 0 and _emails(people)[0].attempts == 1  # not due yet: not tried
    virtual_clock.advance(minutes=1)
    assert delivery.deliver_pending(people) == 0
    assert _emails(people)[0].next_attempt_at == clock.now() + timedelta(minutes=2)  # doubled
    virtual_clock.advance(minutes=2)
    assert delivery.deliver_pending(people) == 1
    assert [m.to for m in smtp.handler.wait_for(1)] == [["head.roads@orb.example"]]
    assert (_emails(people)[0].status, _emails(people)[0].attempts) == ("sent", 3)


def test_after_the_bound_the_delivery_fails_and_administrators_see_it(people, monkeypatch, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OTKLIK_SMTP_PORT", str(free_port()))  # nothing listens: refused at once
    _notify(people)
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        assert delivery.deliver_pending(people) == 0
        assert _emails(people)[0].attempts == attempt
        virtual_clock.advance(seconds=delivery.retry_after(attempt).total_seconds())
    [row] = _emails(people)
    assert row.status == "failed" and row.next_attempt_at is None and "Connection" in (row.last_error or "")
    assert delivery.deliver_pending(people) == 0 and _emails(people)[0].attempts == delivery.MAX_ATTEMPTS
    with people.session() as session:
        [shown] = admin_view.undelivered(session)
    assert (shown.problem, shown.address, shown.addressee, shown.recipient) == (
        "failed", "head.roads@orb.example", "head_roads", "agency_head")


def test_without_a_host_notifications_are_in_app_only_and_the_worker_says_so(people, mail_off, caplog) -> None:  # type: ignore[no-untyped-def]
    _notify(people, recipients="agency_head governor")
    assert _emails(people) == []
    with people.session() as session:
        assert [inbox.unread_count(session, who) for who in ("head_roads", "governor", "governor_office")] == [1, 1, 1]
    assert MailSettings.current() is None and delivery.deliver_pending(people) == 0
    with caplog.at_level(logging.INFO, logger="engine.runtime.timers"):
        timers.run_worker(people, should_stop=lambda: True)
    assert "e-mail is off (OTKLIK_SMTP_HOST not set) — in-app only" in caplog.text


def test_a_state_body_without_the_channel_is_a_failed_delivery_not_silence(people, mail_off) -> None:  # type: ignore[no-untyped-def]
    _notify(people, recipients="authorities")
    rows = _emails(people)
    assert {r.address for r in rows} == {"umvd@orb.example", "prokuratura@orb.example"}
    assert {r.status for r in rows} == {"failed"} and all("OTKLIK_SMTP_HOST" in (r.last_error or "") for r in rows)
    with people.session() as session:
        assert {u.addressee for u in admin_view.undelivered(session)} == {"orb_umvd", "orb_prosecutor"}


def test_a_dead_mail_server_never_stops_the_workers_pass(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OTKLIK_SMTP_PORT", str(free_port()))
    _notify(people)
    wait = timers._pass(people, 5.0, timers.BATCH, {})  # fires timers, then tries the mail: no exception
    assert wait <= 5.0
    assert _emails(people)[0].attempts == 1


def test_subjects_are_one_bounded_line_and_bodies_bounded(people, smtp) -> None:  # type: ignore[no-untyped-def]
    _notify(people, subject="Тема\r\nBcc: all@example.org " + "я" * 500, body="т" * 10_000)
    with people.session() as session:
        [note] = session.scalars(select(Notification))
    assert "\n" not in note.subject and len(note.subject) <= routing.SUBJECT_CHARS
    assert len(note.body) == routing.BODY_CHARS
    delivery.deliver_pending(people)
    [mail] = smtp.handler.wait_for(1)
    assert mail.to == ["head.roads@orb.example"] and mail.message["Bcc"] is None
    assert "\n" not in mail.subject and len(mail.subject) <= 200


def test_a_server_that_accepts_and_never_answers_costs_a_bounded_wait(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import socket
    import time

    with socket.socket() as silent:  # connects (the backlog accepts) but never sends a greeting
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        monkeypatch.setenv("OTKLIK_SMTP_HOST", "127.0.0.1")
        _notify(people)
        config = MailSettings(host="127.0.0.1", port=silent.getsockname()[1], sender="otklik@orb.example",
                              timeout=0.3)
        started = time.monotonic()
        assert delivery.deliver_pending(people, config) == 0
        assert time.monotonic() - started < 5  # the 10 s default is the same bound, shortened here
    [row] = _emails(people)
    assert row.status == "pending" and row.attempts == 1 and "timed out" in (row.last_error or "")
