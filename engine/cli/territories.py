"""``otklik regions …``: regions and municipalities from the console (list, add, set).

A change is stored with a new territory generation: the web app and the worker use it from their
next unit of work, with no restart. Bad input prints one line naming the option and exits 2.
"""
from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import click
from sqlalchemy.orm import Session

from engine.calendar.regions import KINDS, Region
from engine.calendar.schedules import schedule_to_json
from engine.cli.common import actor, fail, unit_of_work
from engine.directory import territories as directory
from engine.texts import t

# --name → the field TerritoryError names, so a refusal says which option to fix.
_OPTIONS = {"key": "KEY", "name": "--name", "timezone": "--timezone", "kind": "--kind", "parent": "--parent",
            "extra_holidays": "--holidays", "extra_workdays": "--workdays", "schedule": "--schedule"}


def _session(readonly: bool = False) -> AbstractContextManager[Session]:
    return unit_of_work(readonly, options=_OPTIONS)


def _dates(text: str | None, option: str) -> tuple[date, ...] | None:
    if text is None:
        return None
    try:
        return directory.parse_dates(text)
    except ValueError as error:
        fail(f"{option}: {error}")


def _schedule(text: str | None) -> dict[str, Any] | None:
    try:
        found = json.loads(text) if text else None
    except json.JSONDecodeError as error:
        fail(f"--schedule: {error}")
    if found is not None and not isinstance(found, dict):
        fail('--schedule: {"start": "08:00", "end": "17:00", ...}')
    return found


def _line(region: Region) -> str:
    parent = f" ({region.parent})" if region.parent else ""
    days = [f"holidays {', '.join(d.isoformat() for d in sorted(region.extra_holidays))}"] if region.extra_holidays else []
    days += [f"workdays {', '.join(d.isoformat() for d in sorted(region.extra_workdays))}"] if region.extra_workdays else []
    if region.schedule is not None:
        days.append("schedule " + json.dumps(schedule_to_json(region.schedule)))
    extra = f"  [{'; '.join(days)}]" if days else ""
    english = f" / {region.name_en}" if region.name_en else ""
    return f"{region.key:<16} {region.kind:<13} {region.timezone:<20} {region.name}{english}{parent}{extra}"


@click.group(name="regions")
def regions() -> None:
    """Regions and municipalities: key, name, IANA time zone, parent region, extra holidays and workdays."""


@regions.command(name="list")
def list_regions() -> None:
    """Every territory, by name."""
    with _session(readonly=True) as session:
        found = directory.territories(session)
    for region in found:
        click.echo(_line(region))
    if not found:
        click.echo(str(t("territory.cli_none")))


_SCHEDULE_HELP = 'Default working day as JSON, e.g. \'{"start": "08:00", "end": "17:00", "lunch_start": "12:00", ' \
                 '"lunch_end": "12:45"}\'; without it: the region\'s, else Mon–Fri 09–18.'


@regions.command(name="add")
@click.argument("key")
@click.option("--name", required=True, help="Official name, as people read it.")
@click.option("--name-en", help="The name pages in English show; without it they show the official name.")
@click.option("--timezone", required=True, help="IANA time zone, e.g. Asia/Yekaterinburg.")
@click.option("--kind", type=click.Choice(KINDS), default="region", show_default=True)
@click.option("--parent", help="A municipality's region (its key).")
@click.option("--holidays", help="Extra non-working days: 2026-05-08,2026-06-12.")
@click.option("--workdays", help="Extra working days (a Saturday worked), same form.")
@click.option("--schedule", help=_SCHEDULE_HELP)
def add(key: str, name: str, name_en: str | None, timezone: str, kind: str, parent: str | None,
        holidays: str | None, workdays: str | None, schedule: str | None) -> None:
    """Add territory KEY (2–32 latin lower-case letters, digits and _); usable at once, no restart."""
    data = directory.TerritoryInput(key=key, name=name, name_en=name_en, timezone=timezone, kind=kind, parent=parent,
                                    extra_holidays=_dates(holidays, "--holidays") or (),
                                    extra_workdays=_dates(workdays, "--workdays") or (), schedule=_schedule(schedule))
    with _session() as session:
        region = directory.add_territory(session, data, actor())
    click.echo(str(t("territory.cli_added", key=region.key, name=region.name, timezone=region.timezone)))


@regions.command(name="set")
@click.argument("key")
@click.option("--name", help="New name.")
@click.option("--name-en", help="The name pages in English show ('' for none: they show the official name).")
@click.option("--timezone", help="New IANA time zone; deadlines armed from now on use it.")
@click.option("--parent", help="A municipality's region (its key).")
@click.option("--holidays", help="Replace the extra non-working days ('' for none).")
@click.option("--workdays", help="Replace the extra working days ('' for none).")
@click.option("--schedule", help=_SCHEDULE_HELP + " '' for none.")
def set_region(key: str, name: str | None, name_en: str | None, timezone: str | None, parent: str | None, holidays: str | None,
               workdays: str | None, schedule: str | None) -> None:
    """Change territory KEY (its key never changes); every process uses the change from its next unit of work."""
    changes: dict[str, Any] = {}
    if parent is not None:
        changes["parent"] = parent or None
    if schedule is not None:
        changes["schedule"] = _schedule(schedule)
    with _session() as session:
        directory.update_territory(session, key, actor(), name=name, name_en=name_en, timezone=timezone,
                                   extra_holidays=_dates(holidays, "--holidays"),
                                   extra_workdays=_dates(workdays, "--workdays"), **changes)
    click.echo(str(t("territory.cli_changed", key=key)))
