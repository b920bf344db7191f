from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base

# ``Message.source`` of a test message registered by Camunda Modeler's "start instance"
# (engine.deployment.camunda_start); the card marks such a case as a test.
TEST_START_SOURCE = "camunda-modeler"


class Message(Base):
    """A citizen's post or comment found in a social network."""

    __tablename__ = "message"
    # A region's messages newest first, and their count, from the index alone (the registry).
    # By registration time with topic and place, from the index alone (engine.surges.detect, migration 0013).
    __table_args__ = (Index("ix_message_region_id", "region", "id"),
                      Index("ix_message_region_registered", "region", "registered_at", "topic", "location"),
                      # Repeat detection (engine.runtime.repeats, migration 0022): the messages that
                      # repeat one; an author's earlier messages in a territory, newest first.
                      Index("ix_message_repeat_of_id", "repeat_of_id"),
                      Index("ix_message_region_author", "region", "author", "registered_at"),
                      # One message per monitoring system's id (the intake API, migration 0019).
                      UniqueConstraint("source", "source_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(32))  # indexed with id: ix_message_region_id
    network: Mapped[str] = mapped_column(String(32))  # engine.runtime.NETWORKS
    url: Mapped[str] = mapped_column(String(2000))
    author: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime]
    detected_at: Mapped[datetime]
    # Set by the curator while routing (Orenburg п. 6); copied from the case for filters.
    topic: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(200))
    importance: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32), default="new", index=True)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    registered_by: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime]
    # The registration form's one-time id: the same form sent twice (a double click, a retry after
    # a timeout) registers one message. Unique; NULL for messages registered otherwise.
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The monitoring system that sent it through the intake API and its id there (engine.runtime.intake):
    # unique together, so a retry or a replayed export finds the first message. NULL otherwise.
    source: Mapped[str | None] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(200))


class MessageLink(Base):
    """An attachment a monitoring system sent by URL: kept as a link, never fetched by the server."""

    __tablename__ = "message_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
