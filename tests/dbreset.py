"""Emptying a PostgreSQL test database back to what the migrations left in it.

The migrations insert rows of their own (the territories, engine/db/migrations 0007): a test on
PostgreSQL must start with them, as a test on a freshly migrated SQLite file does. TRUNCATE is used
(not DELETE) because it skips the append-only triggers of audit_event.
"""
from __future__ import annotations

from sqlalchemy import text

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
    """Empty every table, then put back what the migrations wrote."""
    tables = list(reversed(Base.metadata.sorted_tables))
    with database.engine.begin() as connection:
        connection.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        for table in reversed(tables):
            if table_rows := rows.get(table.name):
                connection.execute(table.insert(), table_rows)
