"""Regions and municipalities: adding and changing them (the admin page and ``otklik regions``).

A territory's key is what organisations, messages, deployments and tasks name, so it never
changes, and a territory is never deleted (no delete for now: every row that names it would be
left pointing nowhere). Every change is audited and gives the territories a new generation, which
every process notices at the start of its next unit of work (engine.calendar.live): no restart.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar import live
from engine.calendar.regions import KINDS, REGIONS, Region, get_region
from engine.calendar.schedules import schedule_from_json, schedule_to_json
from engine.db.audit import record
from engine.errors import FieldError
from engine.models import Territory, TerritoryGeneration
from engine.texts import t

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,31}$")  # territory.key is String(32); it appears in URLs and the CLI
NAME_CHARS = 300
# Extra holidays and workdays are decreed a year or two ahead; a date further off is a typo.
YEARS_AROUND = 5
_KEEP = object()  # "not given" for the arguments None is a value of (parent, schedule)


class TerritoryError(FieldError):
    """Bad territory input; ``field`` names the input (for the form), the message is a Text."""


@dataclass(frozen=True)
class TerritoryInput:
    key: str
    name: str
    timezone: str
    kind: str = "region"
    parent: str | None = None
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    schedule: dict[str, Any] | None = None
    name_en: str | None = None  # optional: what pages in English show


def territories(session: Session) -> list[Region]:
    """Every territory as stored (own holidays, not the region's), sorted by name."""
    return sorted(live.read_territories(session.connection()).values(), key=lambda r: (r.name, r.key))


def parse_dates(text: str) -> tuple[date, ...]:
    """Dates written "2026-05-08, 2026-06-12" or one per line, sorted, each once; ValueError(Text)."""
    found: set[date] = set()
    for word in re.split(r"[\s,;]+", text.strip()):
        if not word:
            continue
        try:
            found.add(date.fromisoformat(word))
        except ValueError:
            raise ValueError(t("territory.date_invalid", text=word[:40])) from None
    return tuple(sorted(found))


def add_territory(session: Session, data: TerritoryInput, actor: str) -> Region:
    key = data.key.strip()
    if not _KEY.match(key):
        raise TerritoryError("key", t("territory.key_invalid", key=key[:40]))
    if _row(session, key) is not None:
        raise TerritoryError("key", t("territory.exists", key=key))
    if data.kind not in KINDS:
        raise TerritoryError("kind", t("territory.kind_unknown", kind=data.kind[:40], kinds=", ".join(KINDS)))
    row = Territory(key=key, kind=data.kind, name=_name(data.name), name_en=_name_en(data.name_en),
                    timezone=_timezone(data.timezone),
                    parent_key=_parent(session, key, data.kind, data.parent),
                    schedule=_schedule(data.schedule))
    row.extra_holidays, row.extra_workdays = _days(data.extra_holidays, data.extra_workdays)
    session.add(row)
    _changed(session)
    record(session, "directory", actor=actor, at=clock.now(), details={"created_territory": key, **_facts(row)})
    return get_region(key)


def update_territory(session: Session, key: str, actor: str, *, name: str | None = None,
                     name_en: str | None = None, timezone: str | None = None, parent: str | None | object = _KEEP,
                     extra_holidays: Iterable[date] | None = None, extra_workdays: Iterable[date] | None = None,
                     schedule: dict[str, Any] | None | object = _KEEP) -> Region:
    """Change what is given (``parent`` and ``schedule`` may be set to None, ``name_en`` to "" for none);
    the key never changes."""
    row = _row(session, key)
    if row is None:
        raise TerritoryError("key", t("territory.missing", key=key[:40]))
    before = _facts(row)
    if name is not None:
        row.name = _name(name)
    if name_en is not None:
        row.name_en = _name_en(name_en)
    if timezone is not None:
        row.timezone = _timezone(timezone)
    if parent is not _KEEP:
        assert parent is None or isinstance(parent, str)
        row.parent_key = _parent(session, key, row.kind, parent)
    if schedule is not _KEEP:
        assert schedule is None or isinstance(schedule, dict)
        row.schedule = _schedule(schedule)
    holidays = tuple(extra_holidays) if extra_holidays is not None else _stored(row.extra_holidays)
    workdays = tuple(extra_workdays) if extra_workdays is not None else _stored(row.extra_workdays)
    row.extra_holidays, row.extra_workdays = _days(holidays, workdays)
    after = _facts(row)
    if after == before:
        return get_region(key)
    _changed(session)
    record(session, "directory", actor=actor, at=clock.now(), details={
        "changed_territory": key, **{f: [before[f], after[f]] for f in after if after[f] != before[f]}})
    return get_region(key)


def _row(session: Session, key: str) -> Territory | None:
    return session.scalar(select(Territory).where(Territory.key == key))


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise TerritoryError("name", t("territory.name_missing"))
    if len(name) > NAME_CHARS:
        raise TerritoryError("name", t("territory.name_long", limit=NAME_CHARS))
    return name


def _name_en(name: str | None) -> str | None:
    """An English name is optional: blank means none (English pages then show the Russian name)."""
    name = (name or "").strip()
    if len(name) > NAME_CHARS:
        raise TerritoryError("name_en", t("territory.name_long", limit=NAME_CHARS))
    return name or None


def _timezone(zone: str) -> str:
    zone = zone.strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise TerritoryError("timezone", t("territory.timezone_unknown", timezone=zone[:64])) from None
    # ZoneInfo also opens files that are not zones people pick ("posixrules", "Factory").
    if zone not in available_timezones() and zone != "UTC":
        raise TerritoryError("timezone", t("territory.timezone_unknown", timezone=zone[:64]))
    return zone


def _parent(session: Session, key: str, kind: str, parent: str | None) -> str | None:
    parent = (parent or "").strip() or None
    if kind == "region":
        if parent is not None:
            raise TerritoryError("parent", t("territory.region_with_parent"))
        return None
    regions = [r.key for r in REGIONS.values() if r.kind == "region" and r.key != key]
    if parent is None:
        raise TerritoryError("parent", t("territory.parent_needed"))
    found = _row(session, parent)
    if found is None or parent == key:
        raise TerritoryError("parent", t("territory.parent_unknown", parent=parent[:40], known=", ".join(regions)))
    if found.kind != "region":
        raise TerritoryError("parent", t("territory.parent_municipality", parent=parent))
    return parent


def _schedule(schedule: dict[str, Any] | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    try:
        return schedule_to_json(schedule_from_json(schedule))
    except (ValueError, TypeError) as error:
        raise TerritoryError("schedule", t("territory.schedule_invalid", error=str(error))) from None


def _days(holidays: Iterable[date], workdays: Iterable[date]) -> tuple[list[str], list[str]]:
    now = clock.now().year
    first, last = now - YEARS_AROUND, now + YEARS_AROUND
    checked: dict[str, list[date]] = {}
    for field, days in (("extra_holidays", holidays), ("extra_workdays", workdays)):
        checked[field] = sorted(set(days))
        for day in checked[field]:
            if not first <= day.year <= last:
                raise TerritoryError(field, t("territory.date_year", day=day.isoformat(), first=first, last=last))
    if both := sorted(set(checked["extra_holidays"]) & set(checked["extra_workdays"])):
        raise TerritoryError("extra_workdays", t("territory.date_both", dates=", ".join(d.isoformat() for d in both)))
    return [d.isoformat() for d in checked["extra_holidays"]], [d.isoformat() for d in checked["extra_workdays"]]


def _stored(values: list[str] | None) -> tuple[date, ...]:
    return tuple(date.fromisoformat(v) for v in values or ())


def _facts(row: Territory) -> dict[str, Any]:
    return {"name": row.name, "name_en": row.name_en, "kind": row.kind, "timezone": row.timezone, "parent": row.parent_key,
            "extra_holidays": list(row.extra_holidays or ()), "extra_workdays": list(row.extra_workdays or ()),
            "schedule": row.schedule}


def _changed(session: Session) -> None:
    """A new generation: every process reads the territories again at its next unit of work;
    this one at once (live.refresh), so the rest of it already sees the change."""
    session.flush()
    session.execute(update(TerritoryGeneration).where(TerritoryGeneration.id == 1)
                    .values(generation=uuid.uuid4().hex))
    live.refresh(session)
