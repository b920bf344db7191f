from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class ApiToken(Base):
    """A personal API token (issue 17): the caller acts as ``user``. Only the SHA-256 of the secret
    is stored (engine.directory.api_tokens); ``prefix`` is its first characters, so the owner can
    tell their tokens apart without the secret ever being shown again."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    # The territory (a region or a municipality) the token may act in; None: all its owner's
    # (engine.directory.access.scoped_to narrows the owner's grants to it; migration 0023).
    territory: Mapped[str | None] = mapped_column(String(32), ForeignKey("territory.key"))
