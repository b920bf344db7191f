"""Territories read from the database, kept per database and refreshed when they change.

Every unit of work starts with one small query (the territory generation), on a connection of its
own before the unit's first line (engine.db.database.UNIT_START: a deployment looks its region up
before it queries), and again when its transaction begins. When it differs from
the generation this process's snapshot of that database was read at, the territories are read
again; either way the snapshot becomes what ``engine.calendar.regions.REGIONS`` shows for the rest
of the unit of work. So a region added or changed in the web process is used by the worker's next
transaction (and the other way round), with no restart. Snapshots are kept per connection pool:
two ``Database`` objects are two processes' views, two databases in one test run never mix.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import Pool

from engine.calendar.regions import Region, set_current
from engine.calendar.schedules import schedule_from_json
from engine.db.database import UNIT_START
from engine.models import Territory, TerritoryGeneration

_GENERATION = select(TerritoryGeneration.generation).where(TerritoryGeneration.id == 1)
_TERRITORIES = select(Territory.key, Territory.name, Territory.name_en, Territory.timezone, Territory.kind, Territory.parent_key,
                      Territory.extra_holidays, Territory.extra_workdays, Territory.schedule).order_by(Territory.id)
# pool → (generation, territories read at it)
_snapshots: WeakKeyDictionary[Pool, tuple[str | None, Mapping[str, Region]]] = WeakKeyDictionary()


def _dates(values: list[str] | None) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values or ())


def _region(row: Any) -> Region:
    return Region(key=row.key, name=row.name, timezone=row.timezone, kind=row.kind, parent=row.parent_key,
                  extra_holidays=_dates(row.extra_holidays), extra_workdays=_dates(row.extra_workdays),
                  schedule=schedule_from_json(row.schedule) if row.schedule else None, name_en=row.name_en)


def read_territories(connection: Connection) -> dict[str, Region]:
    """Every territory in the database, in the order they were added."""
    return {row.key: _region(row) for row in connection.execute(_TERRITORIES)}


def refresh(session: Session) -> None:
    """Show this unit of work's own territories now (after a change it made, before it commits);
    other units of work see them from their next transaction after the commit."""
    set_current(read_territories(session.connection()))


@event.listens_for(Session, "after_begin")
def _territories_of_this_database(_session: Session, transaction: SessionTransaction,
                                  connection: Connection) -> None:
    if transaction.nested:
        return  # a savepoint inside the unit of work: its transaction's begin already read them
    _sync(connection)


def _at_unit_start(reading_engine: Engine) -> None:
    with reading_engine.connect() as connection:
        _sync(connection)


# Also before the unit's first line (engine.db.database.UNIT_START), not only at its first query.
UNIT_START.append(_at_unit_start)


def _sync(connection: Connection) -> None:
    pool = connection.engine.pool  # a reader's engine (execution options) shares its writer's pool
    generation = connection.scalar(_GENERATION)
    kept = _snapshots.get(pool)
    if kept is None or kept[0] != generation:
        # Read after the generation: at worst newer than it says, which only costs one more read.
        kept = (generation, read_territories(connection))
        _snapshots[pool] = kept
    set_current(kept[1])
