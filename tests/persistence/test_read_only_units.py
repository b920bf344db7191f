"""Read-only units of work: no write lock taken, and a write through one fails loudly.

Pages that only show data use ``Database.session(readonly=True)``. On SQLite it begins a
deferred transaction (no lock; WAL serves the last commit) with ``PRAGMA query_only``; on
PostgreSQL a READ ONLY transaction. A change made through it is a programming error: it raises
at the flush (ORM) or the database refuses it (a statement), and nothing is stored.
"""
from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from engine.db.database import ReadOnlyError
from engine.models import Organisation
from tests.factories import organisation


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    with db.session() as session:
        organisation(session, "orb_roads", "agency", "orenburg", name="Минтранс")
    return db


def _name(db) -> str:  # type: ignore[no-untyped-def]
    with db.session(readonly=True) as session:
        return session.scalar(select(Organisation.name).where(Organisation.key == "orb_roads"))


def test_a_changed_row_in_a_read_only_unit_raises_and_is_not_stored(seeded) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReadOnlyError, match="Organisation"):
        with seeded.session(readonly=True) as session:
            session.scalar(select(Organisation).where(Organisation.key == "orb_roads")).name = "Другое"
    assert _name(seeded) == "Минтранс"


def test_a_new_row_in_a_read_only_unit_raises(seeded) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReadOnlyError):
        with seeded.session(readonly=True) as session:
            session.add(Organisation(key="orb_health", name="Минздрав", kind="agency", region="orenburg"))
            session.flush()


def test_the_database_refuses_a_statement_that_writes(seeded) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DBAPIError, match="(?i)read.?only"):
        with seeded.session(readonly=True) as session:
            session.execute(update(Organisation).where(Organisation.key == "orb_roads").values(name="Другое"))
    assert _name(seeded) == "Минтранс"


def test_a_writer_after_a_reader_on_the_same_connection_writes(seeded) -> None:  # type: ignore[no-untyped-def]
    """The read-only flag belongs to the unit of work, not to the pooled connection it used."""
    for name in ("Первое", "Второе"):
        assert _name(seeded) is not None
        with seeded.session() as session:
            session.execute(update(Organisation).where(Organisation.key == "orb_roads").values(name=name))
        assert _name(seeded) == name


def test_a_reader_takes_no_sqlite_lock(seeded) -> None:  # type: ignore[no-untyped-def]
    if seeded.is_postgresql:
        pytest.skip("PostgreSQL readers never wait for writers")
    writer = sqlite3.connect(seeded.engine.url.database, isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE organisation SET name = 'незавершённое' WHERE key = 'orb_roads'")
        started = time.perf_counter()
        assert _name(seeded) == "Минтранс"  # the last commit, at once
        assert time.perf_counter() - started < 1.0  # the busy timeout is 30 s
        with seeded.session(readonly=True) as session:
            # Nor does the reader hold a lock a writer would wait for.
            session.execute(text("SELECT 1"))
            writer.execute("COMMIT")
    finally:
        if writer.in_transaction:
            writer.execute("ROLLBACK")
        writer.close()
