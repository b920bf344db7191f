"""Emptying a PostgreSQL test database back to what the migrations left in it.

The migrations insert rows of their own (the territories, engine/db/migrations 0007): a test on
PostgreSQL must start with them, as a test on a freshly migrated SQLite file does.

Only what a test touched is emptied: one query finds the tables holding rows and the sequences
that handed out a number. As a superuser (the test databases' usual owner, `postgres`) those
tables are emptied with DELETE under ``session_replication_role = replica``, which skips the
append-only triggers of audit_event and the foreign-key checks, and the sequences are set back to
their start — what TRUNCATE … RESTART IDENTITY does, at a few milliseconds instead of half a second
(TRUNCATE gives every table new files: its cost does not shrink with the rows). Without that right,
TRUNCATE of the same tables. Then the migrations' rows go back, with the same ids as after a
migration.
"""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.db.database import Database
from engine.models import Base

MigratedRows = dict[str, list[dict[str, object]]]

# Per database URL. Kept here, in a module imported once, not in a conftest: pytest may load a
# conftest as a module apart from the one a test file imports by name.
_MIGRATED: dict[str, MigratedRows] = {}


def remember_migrated(database: Database) -> None:
    """Note what the migrations wrote in this just-migrated database (for ``reset``)."""
    _MIGRATED[database.engine.url.render_as_string(hide_password=False)] = migrated_rows(database)


def reset(database: Database) -> None:
    """Empty every table back to what ``remember_migrated`` saw in this database."""
    truncate_to_migrated(database, _MIGRATED[database.engine.url.render_as_string(hide_password=False)])


def migrated_rows(database: Database) -> MigratedRows:
    """The rows a just-migrated database holds, per table, without their ids (RESTART IDENTITY
    gives the same ones back and keeps the sequences ahead of them)."""
    with database.engine.connect() as connection:
        found = {t.name: [dict(r._mapping) for r in connection.execute(t.select().order_by(*t.primary_key))]
                 for t in Base.metadata.sorted_tables}
    return {name: [{k: v for k, v in row.items() if k != "id"} for row in rows] for name, rows in found.items() if rows}


def truncate_to_migrated(database: Database, rows: MigratedRows) -> None:
    """Empty every table a test wrote to, restart every sequence it used, then put back what the
    migrations wrote."""
    tables = Base.metadata.sorted_tables
    holding = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    with database.engine.begin() as connection:
        # The migrations' own tables always: a test may have changed or deleted their rows.
        written = set(connection.execute(text(holding)).scalars()) | set(rows)
        dirty = [t for t in reversed(tables) if t.name in written]  # children before parents
        if connection.execute(text("SELECT current_setting('is_superuser') = 'on'")).scalar():
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for table in dirty:
                connection.execute(table.delete())
            connection.execute(text(_RESTART_SEQUENCES))
        else:
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in dirty) + " RESTART IDENTITY CASCADE"))
            connection.execute(text(_RESTART_SEQUENCES))  # those of tables emptied by the test itself
        for table in tables:
            if table.name in written and (table_rows := rows.get(table.name)):
                connection.execute(table.insert(), table_rows)


_RESTART_SEQUENCES = ("SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) "
                      "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL")


def worker_database_url(url: str, worker: str) -> str:
    """The database of one pytest-xdist worker (``gw0``, ``gw1``, …) beside ``url``'s."""
    parsed = make_url(url)
    if str(parsed.database).endswith(f"_{worker}"):  # already the worker's (a conftest imported twice)
        return url
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def create_database(url: str) -> None:
    """CREATE DATABASE for ``url`` if it is missing, from a connection to ``postgres`` on the same
    server (CREATE DATABASE runs outside a transaction, and not from the database it makes)."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                      {"name": parsed.database}).first():
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def fast_commits(url: str) -> None:
    """``synchronous_commit = off`` for every later connection to this test database: a commit no
    longer waits for its WAL record to reach the disk (a few ms each; the suite commits tens of
    thousands of units of work). What a commit makes visible, and when, is unchanged; only a crash
    of the PostgreSQL server itself could lose the last commits, and a test database is remade
    anyway. Skipped where the user may not alter the database."""
    parsed = make_url(url)
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{parsed.database}" SET synchronous_commit = off'))
    except Exception:  # noqa: BLE001 — only an optimisation
        pass
    finally:
        engine.dispose()
