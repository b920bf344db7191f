"""The append-only audit log: one row per deployment, start, completion, timer, violation."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.models import AuditEvent


def record(
    session: Session,
    kind: str,
    *,
    actor: str,
    at: datetime,
    instance_id: int | None = None,
    message_id: int | None = None,
    element_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=at, actor=actor, kind=kind, instance_id=instance_id, message_id=message_id,
            element_id=element_id, details=details or {},
        )
    )
