from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class User(Base):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Every session carries the value from its sign-in and ends when it changes: signing out, a
    # new password and (de)activation add one (engine.directory.end_sessions; web.auth checks it).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # Where notifications are e-mailed (engine.notifications); None: in-app only.
    email: Mapped[str | None] = mapped_column(String(254))


class Membership(Base):
    """A user holds a role in an organisation, optionally for a period."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[str] = mapped_column(String(32))  # engine.directory.roles.MEMBERSHIP_ROLES
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]


class Substitution(Base):
    """Orenburg п. 5: ``substitute`` acts for ``absent`` between the dates."""

    __tablename__ = "substitution"

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime]
