"""Webhooks (issue 17 §2): a territory's monitoring system is told when an answer is published.

An administrator registers, per territory, an address and a secret (web/admin_webhooks.py). When a
task completion makes a case's answer published (the diagram's ``answer.published`` expression —
the card's «Размещён», engine.views.message_card — turns true), one delivery row is queued **in the
same transaction** (an outbox): the event exists exactly when the publication does, never one
without the other. The worker sends it (engine.notifications.webhook_sender) with retries.

A region's webhook also hears of its municipalities' messages, as a region's token acts in them.
The address must be https:// and resolve to public addresses, unless the administrator explicitly
allows http:// and private or loopback ones for that webhook (a system inside the same network,
tests) — the server-side request forgery guard, checked again at every sending.
"""
from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn import conventions
from engine.bpmn.reader import read_diagram
from engine.calendar.regions import REGIONS
from engine.db.audit import record
from engine.errors import NotFound
from engine.expressions.language import BASE_FUNCTIONS, ExpressionError, evaluate
from engine.models import Deployment, Instance, Message, Territory, Webhook, WebhookDelivery
from engine.models.webhook import FAILED, PENDING
from engine.texts import t

EVENT_PUBLISHED = "answer.published"
MAX_URL = 2000
MIN_SECRET, MAX_SECRET = 16, 200
SHOWN = 200  # failed deliveries listed for administrators, newest first


@dataclass(frozen=True)
class WebhookInfo:
    """A webhook as the administrator sees it: never the secret."""

    territory: str
    url: str
    allow_private: bool
    active: bool
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Undelivered:
    """A delivery the worker gave up on (``failed``) or is still retrying after an error."""

    id: int
    territory: str
    url: str
    message_id: int
    event: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime


def _info(row: Webhook) -> WebhookInfo:
    return WebhookInfo(row.territory, row.url, row.allow_private, row.active, row.updated_at, row.updated_by)


def webhooks(session: Session) -> list[WebhookInfo]:
    """Every territory's webhook, by territory key."""
    return [_info(row) for row in session.scalars(select(Webhook).order_by(Webhook.territory))]


def url_problem(url: str, allow_private: bool) -> str | None:
    """Why ``url`` cannot be a webhook's address (a text code), or None. Literal addresses are
    checked here; names are resolved and checked at every sending (engine.notifications.webhook_sender)."""
    if len(url) > MAX_URL or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "webhook.url_bad"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "webhook.url_bad"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "webhook.url_bad"
    if parts.username or parts.password:
        return "webhook.url_credentials"
    if parts.scheme == "http" and not allow_private:
        return "webhook.url_https"
    if not allow_private and not address_allowed(parts.hostname):
        return "webhook.url_private"
    return None


def address_allowed(host: str) -> bool:
    """False for a literal address that is not public (loopback, private, link-local, reserved…)
    or a name that means this machine; True for any other name (resolved when sending)."""
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return public(address)


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address may be reached without the administrator's explicit allowance."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def set_webhook(session: Session, territory: str, url: str, secret: str, *, allow_private: bool, active: bool,
                actor: str) -> WebhookInfo:
    """Register or change ``territory``'s webhook. An empty ``secret`` keeps the one stored (a new
    webhook needs one). ValueError (a Text) for an unknown territory, a bad address or secret."""
    if session.scalar(select(Territory.id).where(Territory.key == territory)) is None:
        raise ValueError(t("webhook.territory_unknown", territory=territory[:40]))
    url = url.strip()
    problem = url_problem(url, allow_private)
    if problem is not None:
        raise ValueError(t(problem))
    row = session.scalar(select(Webhook).where(Webhook.territory == territory))
    secret = secret.strip()
    if secret or row is None:
        if not MIN_SECRET <= len(secret) <= MAX_SECRET or not secret.isascii() or not secret.isprintable():
            raise ValueError(t("webhook.secret_bad", low=MIN_SECRET, high=MAX_SECRET))
    now = clock.now()
    if row is None:
        row = Webhook(territory=territory, url=url, secret=secret, allow_private=allow_private, active=active,
                      created_at=now, updated_at=now, updated_by=actor)
        session.add(row)
    else:
        row.url, row.allow_private, row.active, row.updated_at, row.updated_by = url, allow_private, active, now, actor
        if secret:
            row.secret = secret
    session.flush()
    record(session, "webhook", actor=actor, at=now,
           details={"territory": territory, "url": url, "allow_private": allow_private, "active": active,
                    "secret_changed": bool(secret)})
    return _info(row)


def remove_webhook(session: Session, territory: str, actor: str) -> None:
    """Stop telling ``territory``'s system: the webhook and its deliveries are deleted."""
    row = session.scalar(select(Webhook).where(Webhook.territory == territory))
    if row is None:
        raise NotFound(t("webhook.missing", territory=territory[:40]))
    session.query(WebhookDelivery).filter(WebhookDelivery.webhook_id == row.id).delete()
    session.delete(row)
    record(session, "webhook", actor=actor, at=clock.now(), details={"territory": territory, "removed": True})


def queue_if_published(session: Session, instance: Instance, variables: Mapping[str, Any]) -> int:
    """Queue the ``answer.published`` event for the case's territory's webhooks when its answer is
    now published and was not announced before; the number queued. Called by the task completion
    (engine.runtime.cases.complete_task) in its transaction. Cheap when no webhook is active."""
    region = REGIONS.get(instance.region)
    territories = [instance.region, *([region.parent] if region is not None and region.parent else [])]
    hooks = list(session.scalars(select(Webhook).where(Webhook.territory.in_(territories), Webhook.active.is_(True))))
    if not hooks:
        return 0
    deployment = session.get(Deployment, instance.deployment_id)
    if deployment is None:
        return 0
    declared = read_diagram(deployment.bpmn_xml).properties
    expression = (declared.get(conventions.ANSWER_PUBLISHED) or "").strip()
    try:
        is_public = bool(expression) and bool(evaluate(expression, dict(variables), BASE_FUNCTIONS))
    except ExpressionError:
        is_public = False
    if not is_public:
        return 0
    announced = set(session.scalars(select(WebhookDelivery.webhook_id).where(
        WebhookDelivery.message_id == instance.message_id, WebhookDelivery.event == EVENT_PUBLISHED)))
    message = session.get_one(Message, instance.message_id)
    url_name = conventions.answer_variable(declared, conventions.ANSWER_URL)
    address = variables.get(url_name) if url_name else None
    now = clock.now()
    body = json.dumps({"event": EVENT_PUBLISHED, "message_id": message.id, "source": message.source,
                       "source_id": message.source_id, "status": message.status,
                       "answer_url": str(address) if address not in (None, "") else None,
                       "published_at": now.isoformat()}, ensure_ascii=False, separators=(",", ":"))
    queued = 0
    for hook in hooks:
        if hook.id in announced:
            continue
        session.add(WebhookDelivery(webhook_id=hook.id, message_id=message.id, event=EVENT_PUBLISHED, body=body,
                                    status=PENDING, attempts=0, next_attempt_at=now, created_at=now))
        queued += 1
    session.flush()
    return queued


def undelivered(session: Session, limit: int = SHOWN) -> list[Undelivered]:
    """Deliveries given up on, and those being retried after an error, newest first."""
    rows = session.execute(
        select(WebhookDelivery, Webhook.territory, Webhook.url).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where((WebhookDelivery.status == FAILED)
               | ((WebhookDelivery.status == PENDING) & WebhookDelivery.last_error.is_not(None)))
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit))
    return [Undelivered(d.id, territory, url, d.message_id, d.event, d.status, d.attempts, d.last_error, d.created_at)
            for d, territory, url in rows]


def retry(session: Session, delivery_id: int, actor: str) -> None:
    """Send a failed delivery again from the first try (after the administrator fixed the address)."""
    row = session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise NotFound(t("webhook.delivery_missing", id=delivery_id))
    now = clock.now()
    row.status, row.attempts, row.next_attempt_at = PENDING, 0, now
    record(session, "webhook", actor=actor, at=now, message_id=row.message_id, details={"retried_delivery": row.id})
