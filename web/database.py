"""The engine's Database for the current app, and a unit of work per call."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.orm import Session

from engine.db.database import Database


def database() -> Database:
    return current_app.extensions["otklik_db"]


@contextmanager
def unit_of_work(readonly: bool = False) -> Iterator[Session]:
    """Commit on success, roll back on error — one per request action.

    ``readonly`` for a view that only shows data: it takes no write lock, so a page keeps
    answering while a writer holds the database, and any attempt to write fails loudly."""
    with database().session(readonly=readonly) as session:
        yield session
