"""People and organisations as people read them: an official's full name for a login, an
organisation's name for a key. Every page, report and notification that mentions someone asks
here, in one query per batch, so no login or organisation key reaches a reader (issue 16)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Organisation, User


def official_names(session: Session, logins: Iterable[str | None]) -> dict[str, str]:
    """login → full name, for the logins that exist (a caller decides what a missing one reads as)."""
    wanted = sorted({login for login in logins if login})
    if not wanted:
        return {}
    return dict(session.execute(select(User.login, User.full_name).where(User.login.in_(wanted))).all())


def organisation_names(session: Session, keys: Iterable[str | None]) -> dict[str, str]:
    """organisation key → name, for the keys that exist."""
    wanted = sorted({key for key in keys if key})
    if not wanted:
        return {}
    return dict(session.execute(select(Organisation.key, Organisation.name).where(Organisation.key.in_(wanted))).all())
