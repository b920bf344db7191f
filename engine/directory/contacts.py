"""E-mail addresses of officials and organisations: where notifications are mailed (engine.notifications).

An address is checked for its shape only (one ``@``, no spaces or angle brackets, at most 254
characters — RFC 5321's limit); whether it exists is the mail server's answer, kept on the delivery.
An empty address removes it: the official then gets notifications in-app only, and a state body none
(administrators see that as a failed delivery).
"""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from engine import clock
from engine.db.audit import record
from engine.directory.officials import organisation, user
from engine.texts import t

EMAIL_CHARS = 254
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def clean_email(text: str | None) -> str | None:
    """The address as stored (None for empty); ValueError (a Text) when it cannot be one."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > EMAIL_CHARS or not _EMAIL.match(value):
        raise ValueError(t("notifications.email_invalid", value=value[:80], limit=EMAIL_CHARS))
    return value


def set_user_email(session: Session, login: str, email: str | None, actor: str) -> str | None:
    """Set (or with None/empty remove) the official's address; returns what is stored."""
    value = clean_email(email)
    found = user(session, login)
    if found.email != value:
        found.email = value
        session.flush()
        record(session, "directory", actor=actor, at=clock.now(), details={"email_set": login, "email": value})
    return value


def set_organisation_email(session: Session, key: str, email: str | None, actor: str) -> str | None:
    """Set (or remove) the organisation's contact address — a state body's is how it is reached."""
    value = clean_email(email)
    org = organisation(session, key)
    if org.email != value:
        org.email = value
        session.flush()
        record(session, "directory", actor=actor, at=clock.now(),
               details={"organisation_email_set": key, "email": value})
    return value
