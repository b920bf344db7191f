"""The engine's Database for the current app, and a unit of work per call."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import current_app
from sqlalchemy.orm import Session

from engine.db import Database


def database() -> Database:
    return current_app.extensions["otklik_db"]


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit on success, roll back on error — one per request action."""
    with database().session() as session:
        yield session
