"""Database engine and sessions; schema changes go through Alembic only."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from engine.settings import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Execution option marking a read-only unit of work's connection (see Database.session).
READ_ONLY = "otklik_read_only"


# Called with the database's read-only engine when a unit of work starts, before its first line
# runs: engine.calendar.live refreshes the territories here, because a unit may look one up before
# it queries (a deployment validates its region first). A hook reads on a connection of its own,
# so it takes no write lock and a unit of work begun inside another one never waits for it.
UNIT_START: list[Callable[[Engine], None]] = []


class ReadOnlyError(RuntimeError):
    """A read-only unit of work tried to change something: a programming error, never silent."""


def default_url() -> str:
    """The configured database (engine.settings); the default SQLite file's directory is made here."""
    current = settings()
    if current.database_url_is_default:
        current.instance_dir.mkdir(parents=True, exist_ok=True)
    return current.database_url


def make_engine(url: str | None = None) -> Engine:
    url = url or default_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            # The driver of a sqlite URL is pysqlite: its connection is the stdlib's.
            # WAL lets the web app read while the worker writes; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
            # We issue BEGIN ourselves (below); pysqlite's implicit transactions would defer it.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            read_only = bool(connection.get_execution_options().get(READ_ONLY))
            # query_only makes SQLite itself refuse any write of a reader; set only when it changes.
            if connection.info.get("query_only", False) != read_only:
                connection.exec_driver_sql(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
                connection.info["query_only"] = read_only
            # SQLite has no row locks: a writer takes the write lock up front, so a second writer
            # waits for the first and then reads fresh rows (a clean Conflict, not "database is
            # locked"). A reader takes no lock at all (deferred BEGIN; WAL serves it the last
            # commit), so a long or stuck writer never stalls a page that only shows data.
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _begin_read_only(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            # The first statement of the transaction (psycopg begins it implicitly).
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")

    return engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # gunicorn workers start together: one migrates, the others wait and find it done.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727300)")
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class Database:
    """An engine plus a session factory; one per process."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.reading_engine = self.engine.execution_options(**{READ_ONLY: True})
        self.readers = sessionmaker(self.reading_engine, expire_on_commit=False, info={READ_ONLY: True})

    @contextmanager
    def session(self, readonly: bool = False) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error.

        ``readonly``: for pages that only show data. It takes no write lock (SQLite) and runs in
        a READ ONLY transaction (PostgreSQL); any change raises ReadOnlyError at the flush, and
        the database refuses a statement that writes. It still commits at the end, which
        lets the workflow cache keep what it read."""
        with (self.readers if readonly else self.sessions)() as session:
            try:
                for hook in UNIT_START:
                    hook(self.reading_engine)
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"


@event.listens_for(Session, "before_flush")
def _refuse_changes_when_read_only(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.deleted
                                        or any(session.is_modified(o) for o in session.dirty)):
        changed = [type(o).__name__ for o in [*session.new, *session.dirty, *session.deleted]]
        raise ReadOnlyError(f"a read-only unit of work tried to save changes ({', '.join(sorted(set(changed)))})")
