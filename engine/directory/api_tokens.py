"""Personal API tokens (issue 17): an official's credential for machines — the Camunda REST API, a
worker, a monitoring system's intake — created and revoked by the official or an administrator.

A token is ``otk_`` + 43 URL-safe characters (256 random bits). Only its SHA-256 is stored: with
that much entropy a fast hash is enough (nothing to guess), and a lookup by hash needs no
constant-time comparison. The secret is returned once, by :func:`create_token`, and never again;
the first characters (``prefix``) are kept so the owner can tell their tokens apart. A token acts
as its owner — the same roles, the same policy — so it can do nothing its owner could not; it
stops working at once when revoked, when it expires, or while its owner is deactivated.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.regions import REGIONS
from engine.db.audit import record
from engine.directory.access import grants
from engine.directory.officials import user
from engine.errors import Conflict, NotFound
from engine.models import ApiToken, User
from engine.texts import t

PREFIX = "otk_"
SECRET_BYTES = 32
SHOWN_CHARS = 10  # ``otk_`` and six characters: enough to tell tokens apart, nothing to guess with
NAME_CHARS = 100
MAX_ACTIVE_PER_USER = 10  # usable (neither revoked nor expired) tokens one official may hold
MAX_DAYS = 366
EXPIRY_CHOICES = (30, 90, 365)  # the pages offer these, and "no expiry"
# The last use is written at most this often: a worker polling every second must not turn every
# request into a write.
LAST_USED_STEP = timedelta(minutes=1)
MAX_SECRET_CHARS = 200  # a longer Bearer value is not one of ours; refused before hashing


@dataclass(frozen=True)
class TokenInfo:
    """A token as its owner or the administrator sees it: never the secret."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None
    state: str  # "active", "expired", "revoked"
    territory: str | None = None  # the one territory it acts in; None: all its owner's


@dataclass(frozen=True)
class TerritoryChoice:
    """A territory a token may be limited to: one where its owner holds a role."""

    key: str
    name: str  # in the reader's language


@dataclass(frozen=True)
class Caller:
    """Whom an accepted token authenticates."""

    login: str
    token_id: int
    territory: str | None = None  # the token's scope (engine.directory.access.scoped_to)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _state(token: ApiToken, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def _info(token: ApiToken, now: datetime) -> TokenInfo:
    return TokenInfo(token.id, token.name, token.prefix, token.created_at, token.created_by, token.expires_at,
                     token.last_used_at, token.revoked_at, token.revoked_by, _state(token, now), token.territory)


def _usable(now: datetime):  # type: ignore[no-untyped-def]  # a SQL condition
    return (ApiToken.revoked_at.is_(None)) & ((ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now))


def tokens_of(session: Session, login: str) -> list[TokenInfo]:
    """The official's tokens, newest first: active, expired and revoked (the history stays)."""
    owner = user(session, login)
    now = clock.now()
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == owner.id)
                           .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return [_info(row, now) for row in rows]


def territory_choices(session: Session, login: str) -> list[TerritoryChoice]:
    """The territories a token of ``login`` may be limited to: those where they hold a role now
    (own or substituted), by name. A region's token also acts in its municipalities."""
    held = {grant.region for grant in grants(session, login, clock.now())}
    found = [REGIONS[key] for key in held if key in REGIONS]
    return sorted((TerritoryChoice(region.key, region.display_name) for region in found),
                  key=lambda choice: (choice.name.casefold(), choice.key))


def create_token(session: Session, login: str, name: str, expires_days: int | None,
                 actor: str, territory: str | None = None) -> tuple[TokenInfo, str]:
    """A new token for ``login`` named ``name``, valid ``expires_days`` days (None: until revoked),
    acting in ``territory`` only (one of :func:`territory_choices`; None: all the owner's).
    Returns it with its secret — the only time the secret exists outside the caller's hands.
    ValueError for a bad name, expiry or territory; Conflict past the limit or for a deactivated
    official."""
    owner = user(session, login)
    if territory is not None and territory not in {c.key for c in territory_choices(session, login)}:
        raise ValueError(t("token.territory_not_held", territory=territory[:40]))
    name = name.strip()
    if not name:
        raise ValueError(t("token.name_missing"))
    if len(name) > NAME_CHARS:
        raise ValueError(t("token.name_long", limit=NAME_CHARS))
    if expires_days is not None and expires_days < 1:
        raise ValueError(t("token.expiry_past"))
    if expires_days is not None and expires_days > MAX_DAYS:
        raise ValueError(t("token.expiry_far", days=MAX_DAYS))
    if not owner.is_active:
        raise Conflict(t("token.inactive_owner"))
    now = clock.now()
    active = session.scalar(select(func.count()).select_from(ApiToken)
                            .where(ApiToken.user_id == owner.id).where(_usable(now)))
    if (active or 0) >= MAX_ACTIVE_PER_USER:
        raise Conflict(t("token.too_many", limit=MAX_ACTIVE_PER_USER))
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(user_id=owner.id, name=name, prefix=secret[:SHOWN_CHARS], secret_hash=_hash(secret),
                     created_at=now, created_by=actor, territory=territory,
                     expires_at=now + timedelta(days=expires_days) if expires_days is not None else None)
    session.add(token)
    session.flush()
    record(session, "api_token", actor=actor, at=now,
           details={"created_token": token.id, "user": login, "name": name, "prefix": token.prefix,
                    "expires_at": token.expires_at.isoformat() if token.expires_at else None,
                    "territory": territory})
    return _info(token, now), secret


def revoke_token(session: Session, login: str, token_id: int, actor: str) -> TokenInfo:
    """The token stops working at once (the next request is refused). Revoking one already
    revoked changes nothing. NotFound when ``token_id`` is not ``login``'s: nobody revokes, or
    learns of, another official's token through their own page."""
    owner = user(session, login)
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != owner.id:
        raise NotFound(t("token.missing", id=token_id))
    now = clock.now()
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = now, actor
        session.flush()
        record(session, "api_token", actor=actor, at=now,
               details={"revoked_token": token.id, "user": login, "name": token.name, "prefix": token.prefix})
    return _info(token, now)


def authenticate(session: Session, secret: str) -> Caller | None:
    """Whom ``secret`` authenticates, or None: unknown, revoked, expired, or its owner deactivated
    (one answer for all, so a caller learns nothing about which). Records the last use."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET_CHARS:
        return None
    found = session.execute(select(ApiToken, User.login, User.is_active)
                            .join(User, User.id == ApiToken.user_id)
                            .where(ApiToken.secret_hash == _hash(secret))).first()
    if found is None:
        return None
    token, login, owner_active = found
    now = clock.now()
    if not owner_active or _state(token, now) != "active":
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        token.last_used_at = now
    return Caller(login, token.id, token.territory)
