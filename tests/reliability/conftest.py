"""Reliability fixtures: databases of their own, so crashes and races never touch the suite's.

PostgreSQL tests here run in a scratch database created beside the one named by
``OTKLIK_TEST_DATABASE_URL`` (same server, name ``otklik_reliability_<pid>``) and dropped at the
end: the subprocesses of the crash test and the threads of the race tests then never meet the
schema drops and truncations of the rest of the suite, even when it runs at the same time.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.db.database import Database, upgrade
from tests.dbreset import remember_migrated, reset

PG_URL = os.environ.get("OTKLIK_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
requires_postgresql = pytest.mark.skipif(
    not PG_URL, reason="needs PostgreSQL: set OTKLIK_TEST_DATABASE_URL, e.g. "
                       "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _admin(url: str):  # type: ignore[no-untyped-def]
    # CREATE/DROP DATABASE cannot run in a transaction, nor while connected to that database.
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_scratch_url() -> Iterator[str]:
    """A migrated PostgreSQL database for this test session only."""
    assert PG_URL, "pg_scratch_url needs OTKLIK_TEST_DATABASE_URL"
    name = f"otklik_reliability_{os.getpid()}"
    admin = _admin(PG_URL)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    database = Database(url)
    upgrade(database.engine)
    remember_migrated(database)  # the territories: every test starts with them
    database.engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def truncate(database: Database) -> None:
    """Empty every table back to what the migrations left (tests/dbreset.py)."""
    reset(database)


def database_url(request: pytest.FixtureRequest, backend: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A fresh, migrated, empty database of ``backend``; returns its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'otklik.sqlite'}"
        database = Database(url)
        upgrade(database.engine)
    else:
        url = request.getfixturevalue("pg_scratch_url")
        database = Database(url)
        truncate(database)
    database.engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path, virtual_clock) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """Overrides the suite's ``db`` here (and so the ``orenburg`` fixture's): scratch PostgreSQL."""
    database = Database(database_url(request, request.param, tmp_path))
    yield database
    database.engine.dispose()


@pytest.fixture
def pg_db(request: pytest.FixtureRequest, tmp_path, virtual_clock) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """The scratch PostgreSQL database, empty, on the virtual clock; skips without PostgreSQL."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set OTKLIK_TEST_DATABASE_URL")
    database = Database(database_url(request, "postgresql", tmp_path))
    yield database
    database.engine.dispose()
