from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Deployment(Base):
    """One version of a procedure: the diagram, its forms and the parsed spec, stored once."""

    __tablename__ = "deployment"
    __table_args__ = (
        UniqueConstraint("process_id", "version", name="process_version"),
        UniqueConstraint("process_id", "content_hash", name="process_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    forms: Mapped[dict[str, str]] = mapped_column(JSON)  # form id → .form JSON text
    # Case variables the diagram declares with defaults (process property "var.<name>").
    variables: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    spec: Mapped[str] = mapped_column(Text)  # serialized SpiffWorkflow spec (engine.spiff.serializer)
    deployed_by: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime]
