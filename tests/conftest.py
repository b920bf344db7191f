"""Shared fixtures: a virtual clock and a migrated database (SQLite, plus PostgreSQL in CI)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from engine import clock
from engine.db.database import Database, upgrade
from tests import sqlite_template
from tests.dbreset import create_database, fast_commits, remember_migrated, reset, worker_database_url

# Under pytest-xdist (`make test` runs two workers: -n 2; `-n0` runs in one process) every worker
# has a PostgreSQL database of its own, created beside the one named: <name>_gw0, <name>_gw1, …;
# the environment is rewritten so that subprocesses and tests reading it meet the worker's one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if WORKER and os.environ.get("OTKLIK_TEST_DATABASE_URL"):
    os.environ["OTKLIK_TEST_DATABASE_URL"] = worker_database_url(os.environ["OTKLIK_TEST_DATABASE_URL"], WORKER)
PG_URL = os.environ.get("OTKLIK_TEST_DATABASE_URL")
# The engine writes Russian by default (engine.texts). The suite's assertions on engine texts
# (deployment problems, refusals) are written against the English table; tests of the Russian
# table, and of the default, set the language themselves (texts.language, OTKLIK_LANG in a
# subprocess's environment). The web app still writes in the request's locale.
os.environ.setdefault("OTKLIK_LANG", "en")
# A console command run by a test without a database of its own (otklik deadline, deploy --dry-run
# read the territories from the database) uses a throwaway one, never the repository's instance/.
# One per process: an xdist worker inherits the environment of the process that started it.
if (os.environ.get("OTKLIK_DATABASE_URL", "") == os.environ.get("OTKLIK_TESTS_THROWAWAY_URL", "")
        and os.environ.get("OTKLIK_TESTS_THROWAWAY_PID") != str(os.getpid())):
    os.environ["OTKLIK_DATABASE_URL"] = os.environ["OTKLIK_TESTS_THROWAWAY_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='otklik-tests-')}/otklik.sqlite")
    os.environ["OTKLIK_TESTS_THROWAWAY_PID"] = str(os.getpid())
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
# Tests that bound wall-clock time (the bounded-work tests: a hostile input answered within a limit,
# sign-in fast during a burst). Beside a second xdist worker on a 2-core machine their limits measure
# the neighbour, so `make test` runs them after the rest, in one process, as the whole suite used to.
TIMED = ("tests/security/", "tests/deploy/test_deploy_bounds.py", "tests/surges/test_bounds.py",
         "tests/unit/test_script_engine.py")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: run on the SQLite backend only (see _deselect_backends)")
    config.addinivalue_line("markers", "timed: bounds wall-clock time; `make test` runs these alone, in one process")
    sqlite_template.install()  # a fresh SQLite database is copied from a migrated template (tests/sqlite_template.py)
    if PG_URL:
        create_database(PG_URL)  # a worker's own; in one process, the one named if it is missing


def pytest_unconfigure(config: pytest.Config) -> None:
    sqlite_template.uninstall()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``sqlite_only`` skip their PostgreSQL copy. The mutant sweeps are such tests:
    they check that breaking a diagram's rule breaks its clause scenario — a property of the
    diagram, not of storage — and the unmutated scenarios still run on both backends. Without
    this, a few hundred deploy-and-run mutants run twice in CI for nothing."""
    kept, dropped = [], []
    for item in items:
        if item.nodeid.startswith(TIMED):
            item.add_marker(pytest.mark.timed)
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db") if callspec is not None else None
        if item.get_closest_marker("sqlite_only") and backend not in (None, "sqlite"):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def virtual_clock() -> Iterator[clock.VirtualClock]:
    vc = clock.VirtualClock(datetime(2025, 10, 31, 9, 0, tzinfo=UTC))
    clock.set_source(vc)
    yield vc
    clock.set_source(None)


@pytest.fixture(scope="session")
def chromium(browser_path):  # type: ignore[no-untyped-def]
    """One Chromium for the whole session (each xdist worker has its own): launching it costs
    about a second; a test gets it through ``browser`` (tests/browser/conftest.py), which closes
    the test's contexts. Here, in the root conftest, so that a module importing the browser
    fixtures by name still shares this one: Playwright's sync API runs once per process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[Database | None]:
    if not PG_URL:
        yield None
        return
    fast_commits(PG_URL)
    database = Database(PG_URL)
    with database.engine.begin() as connection:
        # A clean schema per run, so a changed migration is applied from scratch.
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(database.engine)
    remember_migrated(database)  # the territories: each test starts with them, as on SQLite
    yield database
    database.engine.dispose()


@pytest.fixture(scope="session")
def _migrated_territories() -> dict[str, object]:
    """The territories a freshly migrated database has (the throwaway database above)."""
    from engine.calendar.live import read_territories

    database = Database(os.environ["OTKLIK_DATABASE_URL"])
    upgrade(database.engine)
    with database.engine.connect() as connection:
        found = read_territories(connection)
    database.engine.dispose()
    return dict(found)


@pytest.fixture(autouse=True)
def _territories(_migrated_territories) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Before its first unit of work a test sees a freshly migrated database's territories (a unit
    test of working time opens no database), then those of the database it opened — never the ones
    a previous test added."""
    from engine.calendar import regions

    token = regions.set_current(_migrated_territories)
    yield
    regions.reset_current(token)


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path, virtual_clock) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'otklik.sqlite'}")
        upgrade(database.engine)
        yield database
        database.engine.dispose()
    else:
        database = request.getfixturevalue("_pg_database")
        reset(database)
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
