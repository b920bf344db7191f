"""Telling the people the act names: :func:`notify` is the one way to send a notification.

One :class:`Notification` per recipient key, and under it one :class:`Delivery` per person and
channel: in-app at once (the notification centre, ``/notifications``), e-mail ``pending`` for the
worker (engine.notifications.delivery) when the e-mail channel is on and the person has an address.
A competent state body has no sign-in: it gets the e-mail only. A key that resolves to nobody keeps
the notification as ``no_recipient`` — administrators see it (engine.notifications.admin_view) —
because an escalation the act orders must reach a person or be seen not to.

Runs inside the caller's transaction (a service task's, the worker's), so the notification and the
state that ordered it are saved together or not at all; nothing here does network I/O.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from engine.db.audit import record
from engine.models import Delivery, Notification
from engine.models.delivery import EMAIL, FAILED, IN_APP, PENDING, SENT
from engine.models.notification import NO_RECIPIENT, ROUTED
from engine.notifications.resolution import Addressees, resolve
from engine.notifications.wording import BODY_CHARS, SUBJECT_CHARS, Part, compose, one_line, stored
from engine.settings import settings
from engine.texts import DEFAULT_LANGUAGE, Text, t

# Bounds (docs/security.md): what a diagram's text or a case's data can make us store and send.
MAX_ADDRESSEES = 200  # people (and bodies) one notification goes to; more is a directory mistake
MAX_KEYS = 6  # recipient keys in one call: there are six (RECIPIENTS)


def mail_enabled() -> bool:
    """The e-mail channel is on when OTKLIK_SMTP_HOST is set (engine.settings)."""
    return settings().smtp_host is not None


def _keys(recipients: Sequence[str] | str) -> list[str]:
    words = recipients.split() if isinstance(recipients, str) else [w for r in recipients for w in r.split()]
    return list(dict.fromkeys(words))[:MAX_KEYS]


def notify(session: Session, *, region: str, recipients: Sequence[str] | str, subject: Part,
           body: Part | Sequence[Part] = "", at: datetime, instance_id: int | None = None,
           message_id: int | None = None, organisation_key: str | None = None,
           element_id: str | None = None) -> list[Notification]:
    """Notify the recipient keys (space-separated or a list) of a case of ``region`` about ``subject``.

    ``subject`` and ``body`` are texts (engine.texts) or literal strings; a body may be several, one a
    line. They are kept as codes, read in each reader's language (engine.notifications.wording), and
    rendered in Russian into the subject/body columns. ``organisation_key`` is the organisation
    responsible for the case (``agency_head`` and ``deputy_governor`` are resolved against it).
    Returns one notification per key."""
    subject_parts: list[Part] = [subject]
    body_parts: list[Part] = [body] if isinstance(body, str | Text) else list(body)
    if body_parts == [""]:
        body_parts = []
    subject_text, body_text = stored(subject_parts), stored(body_parts)
    subject_ru = one_line(compose(subject_parts, region), SUBJECT_CHARS)
    body_ru = compose(body_parts, region)[:BODY_CHARS]
    mail = mail_enabled()
    made = []
    for key in _keys(recipients):
        found = resolve(session, key, region, organisation_key, at)
        row = Notification(created_at=at, region=region, recipient=key, organisation_key=organisation_key,
                           subject=subject_ru, body=body_ru, subject_text=subject_text, body_text=body_text,
                           instance_id=instance_id, message_id=message_id,
                           status=NO_RECIPIENT if found.nobody else ROUTED)
        session.add(row)
        session.flush()
        reached = _deliveries(session, row, found, at, mail)
        record(session, "notified", actor="system", at=at, instance_id=instance_id, message_id=message_id,
               element_id=element_id,
               details={"recipient": key, "organisation": organisation_key, "subject": subject_ru,
                        "subject_text": subject_text,
                        "people": reached, "status": row.status, "searched": list(found.searched)})
        made.append(row)
    return made


def _deliveries(session: Session, row: Notification, found: Addressees, at: datetime, mail: bool) -> int:
    """Delivery rows for what was found; returns how many people and bodies they reach."""
    people, bodies = found.people[:MAX_ADDRESSEES], found.bodies[:max(0, MAX_ADDRESSEES - len(found.people))]
    for person in people:
        session.add(Delivery(notification_id=row.id, user_id=person.user_id, channel=IN_APP, status=SENT,
                             created_at=at, sent_at=at))
        if mail and person.email:
            session.add(Delivery(notification_id=row.id, user_id=person.user_id, channel=EMAIL, address=person.email,
                                 status=PENDING, created_at=at, next_attempt_at=at))
    for body in bodies:
        # A state body is reached by e-mail or not at all: without the channel or an address the
        # delivery fails at once, so administrators see it instead of nobody noticing.
        problem = None if mail and body.email else t(
            "notifications.mail_off" if not mail else "notifications.no_address").render(DEFAULT_LANGUAGE)
        session.add(Delivery(notification_id=row.id, organisation_id=body.organisation_id, channel=EMAIL,
                             address=body.email, status=PENDING if problem is None else FAILED,
                             created_at=at, next_attempt_at=at if problem is None else None, last_error=problem))
    if people:
        row.delivered_at = at  # in-app: in the person's notification centre from now on
    return len(people) + len(bodies)
