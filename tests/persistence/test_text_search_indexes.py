"""Migration 0004: trigram indexes for the registry's text search on PostgreSQL, and an upgrade
that goes on without them where the extension cannot be created."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import UTC

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from engine.db.database import Database, upgrade
from engine.models import Message
from engine.views import registry

PG_URL = os.environ.get("OTKLIK_TEST_DATABASE_URL")
postgresql_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only (OTKLIK_TEST_DATABASE_URL)")
INDEXES = {"ix_message_author_trgm", "ix_message_text_trgm", "ix_message_url_trgm"}


def _head() -> str:
    from alembic.script import ScriptDirectory

    from engine.db.database import MIGRATIONS

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def _trigram_indexes(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = set(connection.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'message'")))
    engine.dispose()
    return found & INDEXES


@postgresql_only
def test_the_registry_search_is_served_by_the_trigram_indexes(_pg_database) -> None:  # type: ignore[no-untyped-def]
    assert _trigram_indexes(PG_URL) == INDEXES  # type: ignore[arg-type]
    with _pg_database.session() as session:
        # The registry's own expression, so a change to it that the index no longer matches fails here.
        query = select(Message.id).where(registry._text_search(session, "Яма"))
        sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        session.execute(text("SET LOCAL enable_seqscan = off"))  # an empty table: make the planner show its options
        plan = "\n".join(session.scalars(text("EXPLAIN " + sql)))
    assert all(name in plan for name in INDEXES), plan


@pytest.fixture
def restricted_url() -> Iterator[str]:
    """A fresh database the application's user may build tables in but not add extensions to."""
    assert PG_URL
    suffix = os.getpid()
    name, role = f"otklik_noext_{suffix}", f"otklik_noext_{suffix}"
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))  # owned by the superuser, not by the role
    owner = create_engine(make_url(PG_URL).set(database=name), isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f'REVOKE CREATE ON DATABASE "{name}" FROM PUBLIC'))
        connection.execute(text(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"'))
    owner.dispose()
    try:
        yield make_url(PG_URL).set(database=name, username=role, password=None).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@postgresql_only
def test_upgrade_goes_on_without_pg_trgm_and_says_what_to_do(restricted_url, caplog) -> None:  # type: ignore[no-untyped-def]
    database = Database(restricted_url)
    try:
        with caplog.at_level(logging.WARNING, logger="alembic.runtime.migration"):
            upgrade(database.engine)
        with database.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == _head()  # past 0004
            assert connection.scalar(text("SELECT count(*) FROM message")) == 0  # the schema is all there
    finally:
        database.engine.dispose()
    assert _trigram_indexes(restricted_url) == set()
    assert "pg_trgm is not available" in caplog.text and "admin-guide" in caplog.text


TEXTS = ["Яма на дороге", "Скидка 100% на ремонт", "файл a_b.txt", "Пишет O'Brien", "ссылка path/to/page", "абв"]


@pytest.mark.parametrize(("phrase", "found"), [
    ("яма", {"Яма на дороге"}), ("ЯМА", {"Яма на дороге"}), ("%", {"Скидка 100% на ремонт"}),
    ("_", {"файл a_b.txt"}), ("o'brien", {"Пишет O'Brien"}), ("/to/", {"ссылка path/to/page"}),
    ("a%b", set()), ("'; drop table message; --", set()),
])
def test_registry_search_matches_the_phrase_literally(db, phrase, found) -> None:  # type: ignore[no-untyped-def]
    # Wildcards and quotes in what an official types stay plain characters, on both backends.
    from datetime import datetime

    at = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)
    with db.session() as session:
        for number, body in enumerate(TEXTS):
            session.add(Message(region="orenburg", network="vk", url=f"https://vk.com/wall-1-{number}", author="Автор",
                                text=body, posted_at=at, detected_at=at, status="new", registered_by="curator",
                                registered_at=at))
    with db.session() as session:
        assert set(session.scalars(select(Message.text).where(registry._text_search(session, phrase)))) == found
        assert session.scalar(select(func.count()).select_from(Message)) == len(TEXTS)
