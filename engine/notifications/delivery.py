"""The worker's e-mail sending: pending deliveries go out with retries and backoff, and never hold
the database while talking to the mail server.

Each pass (engine.runtime.timers calls :func:`deliver_pending` after firing deadlines, so a
violation recorded in a pass is mailed in the same pass):

1. **claim** due e-mail rows in a short transaction: count the attempt and push ``next_attempt_at``
   a lease ahead, so a second worker (or this one after a crash) does not send them twice at once;
2. **send** them over one SMTP connection, outside any transaction (SQLite's write lock is never held
   across network waits; every wait is bounded by engine.notifications.mail.TIMEOUT);
3. **record** each result: ``sent``; or, on failure, the next try after a backoff doubling from
   :data:`FIRST_RETRY` — after :data:`MAX_ATTEMPTS` tries ``failed``, with the last error, which
   administrators see (engine.notifications.admin_view).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.regions import REGIONS
from engine.db.database import Database
from engine.models import Delivery, Notification
from engine.models.delivery import EMAIL, FAILED, PENDING, SENT
from engine.notifications.mail import Connection, MailError, MailSettings, connect
from engine.notifications.wording import body_in, subject_in
from engine.settings import settings
from engine.texts import DEFAULT_LANGUAGE, t

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # then failed: 1 + 2 + 4 + 8 minutes of retries, about a quarter of an hour
FIRST_RETRY = timedelta(minutes=1)
LEASE = timedelta(minutes=10)  # a claimed row another worker leaves alone (longer than a batch can take)
BATCH = 20  # e-mails per pass: at most one SMTP session's worth, so deadlines are not kept waiting


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    to: str
    subject: str
    body: str
    attempts: int


def retry_after(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes."""
    return FIRST_RETRY * (1 << max(0, attempts - 1))


def mail_text(notification: Notification) -> str:
    """The e-mail's body: the notification's text, a link to the case when OTKLIK_BASE_URL is set,
    and who sent it — in Russian (:func:`mail_subject`)."""
    parts = [mail_subject(notification)]
    body = body_in(notification.body_text, notification.body, notification.region, DEFAULT_LANGUAGE)
    if body:
        parts.append(body)
    base = settings().base_url
    if base and notification.message_id is not None:
        parts.append(t("notifications.mail_case", link=f"{base}/messages/{notification.message_id}")
                     .render(DEFAULT_LANGUAGE))
    region = REGIONS[notification.region].name if notification.region in REGIONS else notification.region
    parts.append(t("notifications.mail_footer", region=region).render(DEFAULT_LANGUAGE))
    return "\n\n".join(parts) + "\n"


def mail_subject(notification: Notification) -> str:
    """The e-mail's subject, rendered from the codes when it is sent. In Russian, the default: a
    recipient has no language preference yet (a state body never signs in to choose one)."""
    return subject_in(notification.subject_text, notification.subject, notification.region, DEFAULT_LANGUAGE)


def _claim(session: Session, now: datetime, limit: int) -> list[Outgoing]:
    rows = session.execute(
        select(Delivery, Notification).join(Notification, Notification.id == Delivery.notification_id)
        .where(Delivery.channel == EMAIL, Delivery.status == PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
        .with_for_update(skip_locked=True, of=Delivery)).all()
    claimed = []
    for delivery, notification in rows:
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        claimed.append(Outgoing(delivery.id, delivery.address or "", mail_subject(notification), mail_text(notification),
                                delivery.attempts))
    return claimed


def _send_all(config: MailSettings, claimed: list[Outgoing]) -> dict[int, str | None]:
    """Each delivery's error (None: sent). A server that cannot be reached fails them all alike."""
    results: dict[int, str | None] = {}
    try:
        with connect(config) as connection:
            for item in claimed:
                results[item.delivery_id] = _send_one(connection, item)
    except MailError as error:
        for item in claimed:
            results.setdefault(item.delivery_id, str(error))
    return results


def _send_one(connection: Connection, item: Outgoing) -> str | None:
    if not item.to:
        return t("notifications.no_address").render(DEFAULT_LANGUAGE)
    try:
        connection.send(item.to, item.subject, item.body)
    except MailError as error:
        return str(error)
    return None


def _record(session: Session, results: dict[int, str | None], now: datetime) -> None:
    for delivery_id, error in results.items():
        delivery = session.get(Delivery, delivery_id)
        if delivery is None or delivery.status != PENDING:
            continue
        if error is None:
            delivery.status, delivery.sent_at, delivery.last_error, delivery.next_attempt_at = SENT, now, None, None
            notification = session.get(Notification, delivery.notification_id)
            if notification is not None and notification.delivered_at is None:
                notification.delivered_at = now
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.last_error, delivery.next_attempt_at = FAILED, error[:500], None
            log.error("e-mail %s to %s failed for good after %d attempts: %s", delivery_id, delivery.address,
                      delivery.attempts, error)
        else:
            delivery.last_error, delivery.next_attempt_at = error[:500], now + retry_after(delivery.attempts)
            log.warning("e-mail %s to %s failed (attempt %d), next try at %s: %s", delivery_id, delivery.address,
                        delivery.attempts, delivery.next_attempt_at.isoformat(), error)


def deliver_pending(db: Database, config: MailSettings | None = None, limit: int = BATCH) -> int:
    """Send the e-mails that are due; returns how many were sent. Nothing when the channel is off."""
    config = config or MailSettings.current()
    if config is None:
        return 0
    now = clock.now()
    with db.session() as session:
        claimed = _claim(session, now, limit)
    if not claimed:
        return 0
    results = _send_all(config, claimed)
    with db.session() as session:
        _record(session, results, clock.now())
    return sum(1 for error in results.values() if error is None)

