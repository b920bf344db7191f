from __future__ import annotations

from datetime import datetime
from typing import Any

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
    # A template (process property template = true) is deployed and versioned like a procedure but
    # never runs; a procedure generated from one (engine.templates) names its template and version.
    kind: Mapped[str] = mapped_column(String(16), default="procedure", server_default="procedure")
    template_process_id: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    template_version: Mapped[int | None] = mapped_column(default=None)
    # The declared parameters (engine.bpmn.template_parameters.Parameter.as_json): a template's with
    # its defaults, an adopted procedure's with the values it chose; [] for any other procedure.
    parameters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
