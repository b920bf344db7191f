"""Webhooks when an answer is published (issue 17 §2), on every backend, against a REAL HTTP server
on loopback: the event is queued in the publishing transaction (outbox), POSTed signed, retried
with backoff on the virtual clock after a 500, given up after the last try and listed; addresses
into the internal network are refused unless the administrator allowed them."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import Task, WebhookDelivery
from engine.notifications import webhook_sender, webhooks
from engine.runtime import cases as runtime
from engine.runtime import intake
from engine.texts import render
from tests.persistence.test_intake import incoming
from tests.scenario.test_orenburg import DRAFT, PUBLISH, ROUTE

SECRET = "s3cret-s3cret-s3cret"


class Receiver:
    """A monitoring system's endpoint: answers each POST with the next of ``statuses`` (then 200)."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/otklik?k=1"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


def verify(headers: dict[str, str], body: bytes, secret: str = SECRET, tolerance: int = 300) -> bool:
    """What docs/integration.md tells a receiver to do: recent timestamp, HMAC of "<timestamp>.<body>"."""
    timestamp = headers["x-otklik-timestamp"]
    if abs(int(clock.now().timestamp()) - int(timestamp)) > tolerance:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-otklik-signature"])


def publish(database, source_id: str = "post-1") -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        taken = intake.take(session, incoming(source_id), "curator")
    steps = [("route_message", "curator", ROUTE), ("accept_message", "exec_orb_roads", {"competent": True}),
             ("draft_answer", "exec_orb_roads", DRAFT), ("approve_answer", "curator", {"decision": "approve"}),
             ("publish_answer", "exec_orb_roads", PUBLISH)]
    for element, login, data in steps:
        with database.session() as session:
            task = session.scalars(select(Task).where(Task.message_id == taken.message_id, Task.element_id == element,
                                                      Task.status == "open")).one()
            runtime.complete_task(session, task.id, login, data)
            queued = session.scalars(select(WebhookDelivery)).all()
            # Nothing before the publication; the event in the publishing transaction itself.
            assert (len(queued) > 0) == (element == "publish_answer") or source_id != "post-1"
    return taken.message_id


def deliveries(database) -> list[WebhookDelivery]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        rows = list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        session.expunge_all()
        return rows


def hook(database, url: str, allow_private: bool = True) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        webhooks.set_webhook(session, "orenburg", url, SECRET, allow_private=allow_private, active=True, actor="admin")


def test_a_published_answer_is_posted_signed_once(orenburg, receiver) -> None:  # type: ignore[no-untyped-def]
    hook(orenburg.db, receiver.url)
    message_id = publish(orenburg.db)
    assert webhook_sender.deliver_webhooks(orenburg.db) == 1
    [(headers, body)] = receiver.received
    assert verify(headers, body) and not verify(headers, body, secret="another-secret-entirely")
    assert headers["x-otklik-event"] == "answer.published" and headers["content-type"].startswith("application/json")
    assert headers["x-otklik-delivery"] == str(deliveries(orenburg.db)[0].id)
    sent = json.loads(body)
    assert sent == {"event": "answer.published", "message_id": message_id, "source": "monitor", "source_id": "post-1",
                    "status": sent["status"], "answer_url": "https://vk.com/wall-1_1?reply=2",
                    "published_at": clock.now().isoformat()}
    assert [d.status for d in deliveries(orenburg.db)] == ["sent"]
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0 and len(receiver.received) == 1


def test_a_500_is_retried_with_backoff_on_the_virtual_clock(orenburg, receiver, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    hook(orenburg.db, receiver.url)
    publish(orenburg.db)
    receiver.statuses = [500, 500]
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0
    [row] = deliveries(orenburg.db)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "получатель ответил HTTP 500")
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0 and len(receiver.received) == 1  # not due yet
    virtual_clock.advance(minutes=1)
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0 and len(receiver.received) == 2
    virtual_clock.advance(minutes=1)
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0  # the second wait is two minutes
    virtual_clock.advance(minutes=1)
    assert webhook_sender.deliver_webhooks(orenburg.db) == 1 and len(receiver.received) == 3
    assert {h["x-otklik-delivery"] for h, _ in receiver.received} == {str(row.id)}  # the same delivery each time
    assert all(verify(h, b) for h, b in receiver.received)
    assert [(d.status, d.attempts) for d in deliveries(orenburg.db)] == [("sent", 3)]


def test_given_up_after_the_last_try_and_listed_for_the_administrator(orenburg, receiver, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    hook(orenburg.db, receiver.url)
    message_id = publish(orenburg.db)
    receiver.statuses = [503] * webhook_sender.MAX_ATTEMPTS
    for _ in range(webhook_sender.MAX_ATTEMPTS):
        webhook_sender.deliver_webhooks(orenburg.db)
        virtual_clock.advance(hours=1)
    assert [(d.status, d.attempts) for d in deliveries(orenburg.db)] == [("failed", webhook_sender.MAX_ATTEMPTS)]
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0 and len(receiver.received) == webhook_sender.MAX_ATTEMPTS
    with orenburg.db.session() as session:
        [listed] = webhooks.undelivered(session)
        assert (listed.message_id, listed.status, listed.territory) == (message_id, "failed", "orenburg")
        webhooks.retry(session, listed.id, "admin")
    assert webhook_sender.deliver_webhooks(orenburg.db) == 1
    assert [d.status for d in deliveries(orenburg.db)] == ["sent"]


def test_a_redirect_is_not_followed(orenburg, receiver) -> None:  # type: ignore[no-untyped-def]
    hook(orenburg.db, receiver.url)
    publish(orenburg.db)
    receiver.statuses = [302]
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0
    assert len(receiver.received) == 1 and "перенаправлением (302)" in (deliveries(orenburg.db)[0].last_error or "")


def test_internal_addresses_need_the_administrators_allowance(orenburg, receiver) -> None:  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session:
        for url in (receiver.url, "https://127.0.0.1/x", "https://10.0.0.5/x", "https://[::1]/x", "https://localhost/x",
                    "https://169.254.169.254/latest", "https://[::ffff:127.0.0.1]/x"):
            with pytest.raises(ValueError):
                webhooks.set_webhook(session, "orenburg", url, SECRET, allow_private=False, active=True, actor="admin")
        with pytest.raises(ValueError) as refused:
            webhooks.set_webhook(session, "orenburg", "https://u:p@example.org/x", SECRET, allow_private=False,
                                 active=True, actor="admin")
        assert "логин и пароль" in render(refused.value.args[0], "ru")
        with pytest.raises(ValueError):
            webhooks.set_webhook(session, "orenburg", "https://example.org/x", "short", allow_private=False,
                                 active=True, actor="admin")
        webhooks.set_webhook(session, "orenburg", "https://example.org/hook", SECRET, allow_private=False, active=True,
                             actor="admin")
    # A name resolving to loopback is refused at sending too (the allowance withdrawn after the fact).
    item = webhook_sender.Outgoing(1, "answer.published", receiver.url.replace("127.0.0.1", "localhost"), SECRET,
                                   False, b"{}")
    assert webhook_sender.post(item, 0) is not None and receiver.received == []
    by_name = webhook_sender.Outgoing(1, "answer.published", "https://localtest.invalid/x", SECRET, False, b"{}")
    assert webhook_sender.post(by_name, 0) is not None  # does not resolve: an error, never an exception


def test_a_rolled_back_publication_queues_nothing_and_no_webhook_no_row(orenburg, receiver) -> None:  # type: ignore[no-untyped-def]
    publish(orenburg.db, "no-hook")
    assert deliveries(orenburg.db) == []  # no webhook: nothing queued
    hook(orenburg.db, receiver.url)
    with orenburg.db.session() as session:
        taken = intake.take(session, incoming("rolled"), "curator")
    steps = [("route_message", "curator", ROUTE), ("accept_message", "exec_orb_roads", {"competent": True}),
             ("draft_answer", "exec_orb_roads", DRAFT), ("approve_answer", "curator", {"decision": "approve"})]
    for element, login, data in steps:
        with orenburg.db.session() as session:
            task = session.scalars(select(Task).where(Task.message_id == taken.message_id, Task.element_id == element,
                                                      Task.status == "open")).one()
            runtime.complete_task(session, task.id, login, data)
    with pytest.raises(RuntimeError), orenburg.db.session() as session:
        task = session.scalars(select(Task).where(Task.message_id == taken.message_id,
                                                  Task.element_id == "publish_answer", Task.status == "open")).one()
        runtime.complete_task(session, task.id, "exec_orb_roads", PUBLISH)
        assert len(session.scalars(select(WebhookDelivery)).all()) == 1
        raise RuntimeError("the request failed after the publication")
    assert deliveries(orenburg.db) == []
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0 and receiver.received == []


def test_a_receiver_that_never_answers_is_given_up_on_and_the_pass_is_bounded(orenburg, receiver, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    hook(orenburg.db, receiver.url)
    publish(orenburg.db)
    monkeypatch.setattr(webhook_sender, "PASS_BUDGET", -1.0)  # no time left in this pass: nothing tried
    assert webhook_sender.deliver_webhooks(orenburg.db) == 0 and receiver.received == []
    assert [(d.status, d.attempts, d.next_attempt_at) for d in deliveries(orenburg.db)] == [("pending", 0, clock.now())]
    monkeypatch.undo()
    release = threading.Event()
    original = receiver.server.RequestHandlerClass.do_POST

    def stalls(handler) -> None:  # type: ignore[no-untyped-def]
        release.wait(10)  # the server's side holds the answer until the test is done with it
        original(handler)

    monkeypatch.setattr(receiver.server.RequestHandlerClass, "do_POST", stalls)
    monkeypatch.setattr(webhook_sender, "TOTAL_TIMEOUT", 0.3)
    try:
        assert webhook_sender.deliver_webhooks(orenburg.db) == 0
    finally:
        release.set()
    [row] = deliveries(orenburg.db)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "получатель не ответил за 0.3 с")


def test_a_certificate_nobody_vouches_for_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate to serve")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        item = webhook_sender.Outgoing(1, "answer.published", f"https://127.0.0.1:{server.server_address[1]}/x",
                                       SECRET, True, b"{}")
        assert "CERTIFICATE_VERIFY_FAILED" in (webhook_sender.post(item, 0) or "")
    finally:
        server.shutdown()
        server.server_close()
