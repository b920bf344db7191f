from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class ImportJob(Base):
    """A curator's upload of a monitoring system's export (issue 17 §2, bulk import), taken in by
    the worker in chunks (engine.runtime.import_jobs). ``status``: queued → running → done, or
    failed with ``reason`` (a text code, engine/texts/imports.py) and its ``reason_args``.
    ``done`` counts the rows handled so far: a job resumed after a crash starts after them."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(32), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    file_kind: Mapped[str] = mapped_column(String(8))  # csv | xlsx
    file_hash: Mapped[str] = mapped_column(String(64))  # SHA-256: rows without a source_id are named by it
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(String(64))
    reason_args: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    total: Mapped[int | None]
    done: Mapped[int] = mapped_column(default=0)
    taken: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ImportRowError(Base):
    """One refused row of an import: its number in the file (the header is row 1), the column at
    fault (None: the whole row), a text code and the arguments its words need."""

    __tablename__ = "import_row_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_job.id"), index=True)
    row: Mapped[int]
    column: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
