"""A fresh SQLite database gets the migrated schema from a template, not from Alembic each time.

Running every migration (``engine.db.database.upgrade``) on a new SQLite file costs a few tenths
of a second; the suite does it for almost every test (the ``db`` fixture, each ``create_app`` on a
new file, the reliability and demo fixtures) and that was the largest single cost of a run. While
the suite runs, ``alembic.command.upgrade(cfg, "head")`` on an EMPTY SQLite database replays, on
the same connection and in the same transaction, the statements that the real migrations produced
once in this process (``sqlite3``'s ``iterdump`` of a template migrated at the first call): the
same ``CREATE`` texts, indexes, triggers, the rows the migrations insert and ``alembic_version``.

Everything else goes through Alembic as before: PostgreSQL, a database that already holds tables
(a second upgrade, a partly migrated file), another target revision, and the template itself, so
the migration chain still runs in every session. Kept in a module of its own (imported once), not
in a conftest that pytest might load twice. ``OTKLIK_TEST_REAL_MIGRATIONS=1`` turns it off.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

_real_upgrade: Callable[..., None] | None = None
_statements: list[str] | None = None
_building = False


def _template() -> list[str]:
    """The statements of a database the real migrations brought to head (made once per process)."""
    global _statements, _building
    if _statements is None:
        from engine.db.database import Database, upgrade

        folder = Path(tempfile.mkdtemp(prefix="otklik-template-"))
        database = Database(f"sqlite:///{folder / 'template.sqlite'}")
        _building = True
        try:
            upgrade(database.engine)  # the real chain
        finally:
            _building = False
            database.engine.dispose()
        dump = sqlite3.connect(folder / "template.sqlite")
        try:
            lines = list(dump.iterdump())
        finally:
            dump.close()
        # iterdump wraps its output in a transaction of its own (ours is already open) and gives
        # each table's rows right after it: all tables first, so no row names a table still missing.
        body = [line for line in lines if line not in ("BEGIN TRANSACTION;", "COMMIT;")
                and not line.startswith("PRAGMA ")]
        tables = [line for line in body if line.startswith("CREATE TABLE ")]
        _statements = tables + [line for line in body if not line.startswith("CREATE TABLE ")]
    return _statements


def _empty_sqlite(connection: Any) -> bool:
    if not isinstance(connection, Connection) or connection.dialect.name != "sqlite":
        return False
    return connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() == 0


def _upgrade(config: Config, revision: str, *args: Any, **kwargs: Any) -> None:
    assert _real_upgrade is not None
    connection = config.attributes.get("connection")
    if revision != "head" or args or kwargs or _building or not _empty_sqlite(connection):
        _real_upgrade(config, revision, *args, **kwargs)
        return
    for statement in _template():  # the first fresh database of a session migrates the template
        connection.exec_driver_sql(statement)


def install() -> None:
    """Route ``alembic.command.upgrade`` through the template (undone by ``uninstall``)."""
    global _real_upgrade
    if os.environ.get("OTKLIK_TEST_REAL_MIGRATIONS") == "1" or _real_upgrade is not None:
        return
    _real_upgrade = command.upgrade
    command.upgrade = _upgrade  # type: ignore[assignment]


def uninstall() -> None:
    global _real_upgrade
    if _real_upgrade is not None:
        command.upgrade = _real_upgrade  # type: ignore[assignment]
        _real_upgrade = None
