"""The worker's webhook sending (issue 17 §2): queued deliveries (engine.notifications.webhooks)
are POSTed, signed, with bounded waits, retried with backoff, and given up after
:data:`MAX_ATTEMPTS` — then listed for administrators beside undelivered e-mail.

Like e-mail (engine.notifications.delivery): **claim** due rows in a short transaction (count the
attempt, lease them), **send** outside any transaction, **record** each result.

A request: ``POST`` of the stored JSON body with ``X-Otklik-Event``, ``X-Otklik-Delivery`` (the row's
id: the same on every retry, so a receiver can drop a duplicate), ``X-Otklik-Timestamp`` (Unix
seconds, the sending's) and ``X-Otklik-Signature: sha256=<hex>``, the HMAC-SHA256 with the
webhook's secret of ``<timestamp>.<body>`` — the timestamp is signed, so a captured request replayed
later is refused by a receiver that checks it is recent (docs/integration.md shows the check).

Bounds: connecting and every read wait at most :data:`TIMEOUT` seconds, and a whole sending at most
:data:`TOTAL_TIMEOUT` (a receiver trickling its answer byte by byte is given up on); a pass sends for
at most :data:`PASS_BUDGET` seconds, the rest waits for the next pass, so a slow receiver never
keeps the worker from the deadlines for long. Redirects are not followed (a 3xx is a failure); at
most :data:`MAX_RESPONSE` bytes of the answer are read. The host is
resolved here and every address checked (engine.notifications.webhooks.public) before connecting
to exactly that address — unless the administrator allowed private addresses for this webhook.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.db.database import Database
from engine.models import Webhook, WebhookDelivery
from engine.models.webhook import FAILED, PENDING, SENT
from engine.notifications.webhooks import public, url_problem
from engine.texts import DEFAULT_LANGUAGE, t

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6  # then failed: 1 + 2 + 4 + 8 + 16 minutes of retries, about half an hour
FIRST_RETRY = timedelta(minutes=1)
LEASE = timedelta(minutes=5)  # longer than a batch can take: BATCH × (connect + read) timeouts
BATCH = 10
TIMEOUT = 5.0  # seconds: connecting, and each read of the answer
TOTAL_TIMEOUT = 15.0  # seconds: one sending, whatever the receiver does
PASS_BUDGET = 20.0  # seconds of sending per worker pass; what is left is released for the next pass
MAX_RESPONSE = 1024  # bytes of the answer read (only its status matters)
USER_AGENT = "Otklik-Webhook/1"


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    event: str
    url: str
    secret: str
    allow_private: bool
    body: bytes


def retry_after(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes."""
    return FIRST_RETRY * (1 << max(0, attempts - 1))


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Otklik-Signature`` value: ``sha256=`` and the HMAC-SHA256 of ``<timestamp>.<body>``."""
    mac = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _claim(session: Session, now: datetime, limit: int) -> list[Outgoing]:
    rows = session.execute(
        select(WebhookDelivery, Webhook).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
        .with_for_update(skip_locked=True, of=WebhookDelivery)).all()
    claimed = []
    for delivery, hook in rows:
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        claimed.append(Outgoing(delivery.id, delivery.event, hook.url, hook.secret, hook.allow_private,
                                delivery.body.encode("utf-8")))
    return claimed


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), TIMEOUT)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), TIMEOUT)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _address(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to: the host's first, when all of them may be reached. OSError otherwise."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise OSError(t("webhook.url_unresolved").render(DEFAULT_LANGUAGE))
    if not allow_private and not all(public(ipaddress.ip_address(a.split("%")[0])) for a in addresses):
        raise OSError(t("webhook.url_private").render(DEFAULT_LANGUAGE))
    return addresses[0]


def post(item: Outgoing, timestamp: int) -> str | None:
    """Send one delivery; its error (for the administrator, one line), or None when answered 2xx."""
    problem = url_problem(item.url, item.allow_private)
    if problem is not None:
        return t(problem).render(DEFAULT_LANGUAGE)
    parts = urlsplit(item.url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "X-Otklik-Event": item.event, "X-Otklik-Delivery": str(item.delivery_id),
               "X-Otklik-Timestamp": str(timestamp), "X-Otklik-Signature": signature(item.secret, timestamp, item.body)}
    try:
        address = _address(host, port, item.allow_private)
        connection: http.client.HTTPConnection = (_PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP)(
            host, port, address)
        try:
            connection.request("POST", path, body=item.body, headers=headers)
            response = connection.getresponse()
            response.read(MAX_RESPONSE)  # a bounded look; the rest is dropped with the connection
            status = response.status
        finally:
            connection.close()
    except (OSError, ValueError, http.client.HTTPException) as error:  # ValueError: e.g. a name IDNA refuses
        return (str(error) or type(error).__name__)[:500]
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return t("webhook.redirect", status=status).render(DEFAULT_LANGUAGE)
    return t("webhook.status", status=status).render(DEFAULT_LANGUAGE)


def bounded_post(item: Outgoing, timestamp: int) -> str | None:
    """:func:`post`, given up after :data:`TOTAL_TIMEOUT` seconds: the sending goes on in a daemon
    thread, bounded by its socket's timeouts, while the worker records the failure and moves on."""
    outcome: list[str | None] = []
    thread = threading.Thread(target=lambda: outcome.append(post(item, timestamp)), daemon=True,
                              name=f"webhook-{item.delivery_id}")
    thread.start()
    thread.join(TOTAL_TIMEOUT)
    if outcome:
        return outcome[0]
    return t("webhook.too_slow", seconds=f"{TOTAL_TIMEOUT:g}").render(DEFAULT_LANGUAGE)


def _release(session: Session, delivery_ids: list[int], now: datetime) -> None:
    """Claimed but not tried in this pass (its time ran out): due again at once, the try not counted."""
    for delivery_id in delivery_ids:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is not None and delivery.status == PENDING:
            delivery.attempts, delivery.next_attempt_at = max(0, delivery.attempts - 1), now


def _record(session: Session, results: dict[int, str | None], now: datetime) -> None:
    for delivery_id, error in results.items():
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status != PENDING:
            continue
        if error is None:
            delivery.status, delivery.sent_at, delivery.last_error, delivery.next_attempt_at = SENT, now, None, None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.last_error, delivery.next_attempt_at = FAILED, error[:500], None
            log.error("webhook delivery %s failed for good after %d attempts: %s", delivery_id, delivery.attempts, error)
        else:
            delivery.last_error, delivery.next_attempt_at = error[:500], now + retry_after(delivery.attempts)
            log.warning("webhook delivery %s failed (attempt %d), next try at %s: %s", delivery_id,
                        delivery.attempts, delivery.next_attempt_at.isoformat(), error)


def deliver_webhooks(db: Database, limit: int = BATCH) -> int:
    """Send the deliveries that are due; how many were answered 2xx."""
    with db.session() as session:
        claimed = _claim(session, clock.now(), limit)
    if not claimed:
        return 0
    results: dict[int, str | None] = {}
    started = time.monotonic()
    for item in claimed:
        if time.monotonic() - started > PASS_BUDGET:
            break
        results[item.delivery_id] = bounded_post(item, int(clock.now().timestamp()))
    with db.session() as session:
        _record(session, results, clock.now())
        _release(session, [item.delivery_id for item in claimed if item.delivery_id not in results], clock.now())
    return sum(1 for error in results.values() if error is None)
