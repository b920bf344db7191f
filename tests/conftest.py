"""Shared fixtures: a virtual clock and a migrated database (SQLite, plus PostgreSQL in CI)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from engine import clock
from engine.db.database import Database, upgrade

PG_URL = os.environ.get("OTKLIK_TEST_DATABASE_URL")
# The engine writes Russian by default (engine.texts). The suite's assertions on engine texts
# (deployment problems, refusals) are written against the English table; tests of the Russian
# table, and of the default, set the language themselves (texts.language, OTKLIK_LANG in a
# subprocess's environment). The web app still writes in the request's locale.
os.environ.setdefault("OTKLIK_LANG", "en")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture
def virtual_clock() -> Iterator[clock.VirtualClock]:
    vc = clock.VirtualClock(datetime(2025, 10, 31, 9, 0, tzinfo=UTC))
    clock.set_source(vc)
    yield vc
    clock.set_source(None)


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[Database | None]:
    if not PG_URL:
        yield None
        return
    database = Database(PG_URL)
    with database.engine.begin() as connection:
        # A clean schema per run, so a changed migration is applied from scratch.
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(database.engine)
    yield database
    database.engine.dispose()


def _truncate(database: Database) -> None:
    tables = [t for t in reversed(__import__("engine.models", fromlist=["Base"]).Base.metadata.sorted_tables)]
    with database.engine.begin() as connection:
        # TRUNCATE does not fire the append-only row triggers of audit_event.
        connection.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path, virtual_clock) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'otklik.sqlite'}")
        upgrade(database.engine)
        yield database
        database.engine.dispose()
    else:
        database = request.getfixturevalue("_pg_database")
        _truncate(database)
        yield database


@pytest.fixture
def orenburg(db, virtual_clock):  # type: ignore[no-untyped-def]
    """Orenburg officials and the deployed Orenburg procedure; returns a scenario driver."""
    from tests.factories import deploy_files, orenburg_people
    from tests.scenario.driver import Case

    with db.session() as session:
        orenburg_people(session)
        deploy_files(session, "bpmn/orenburg.bpmn")
    return Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
