"""Territories served by Otklik — regions and municipalities — as the calendar sees them.

Deadlines in the regional regulations are counted in the territory's local working time, so a
territory's IANA zone, its own extra holidays and workdays and its default schedule are the facts
the working-time calendar needs from here. They are data: the ``territory`` table, managed from
/admin and ``otklik regions`` (engine.directory.territories). ``REGIONS`` is a live read-only view
of the current database's territories; engine.calendar.live refreshes it at the start of every unit
of work whose database says the territories changed, so no process needs a restart.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from engine.texts import current_language, t

if TYPE_CHECKING:  # workingtime imports this module; the schedule type is only named here
    from engine.calendar.workingtime import Schedule

KINDS = ("region", "municipality")


@dataclass(frozen=True)
class Region:
    """A region or a municipality (``kind``); frozen and hashable, so calendars are cached by value."""

    key: str  # stable identifier used in configuration and URLs, e.g. 'orenburg'
    name: str  # official Russian name, shown to operators
    timezone: str  # IANA zone name, e.g. 'Asia/Yekaterinburg'
    kind: str = "region"
    parent: str | None = None  # a municipality's region
    # Its own working-time exceptions; a municipality also has its region's (calendar_for_region).
    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    schedule: Schedule | None = None  # None: the parent's, else Mon–Fri 09–18, lunch 13–14
    name_en: str | None = None  # what English pages show, if an administrator gave one

    def name_in(self, language: str) -> str:
        """The name a reader of ``language`` sees: the English one if given, else the official Russian."""
        return self.name_en if language == "en" and self.name_en else self.name

    @property
    def display_name(self) -> str:
        """The name in the language being written in (the request's, the console's)."""
        return self.name_in(current_language())


_EMPTY: Mapping[str, Region] = MappingProxyType({})
# The territories of the database this thread's last unit of work ran on (set by engine.calendar.live
# when a session begins). Per context, so two databases in one process (tests) never mix.
_current: ContextVar[Mapping[str, Region]] = ContextVar("otklik_territories", default=_EMPTY)


def set_current(regions: Mapping[str, Region]) -> Token[Mapping[str, Region]]:
    """Make ``regions`` the territories REGIONS shows in this context (engine.calendar.live)."""
    return _current.set(MappingProxyType(dict(regions)))


def reset_current(token: Token[Mapping[str, Region]]) -> None:
    _current.reset(token)


class _LiveRegions(Mapping[str, Region]):
    """Read-only: a territory changes through engine.directory.territories, never by assignment."""

    def __getitem__(self, key: str) -> Region:
        return _current.get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_current.get())

    def __len__(self) -> int:
        return len(_current.get())

    def __repr__(self) -> str:
        return f"REGIONS({', '.join(self)})"


REGIONS: Mapping[str, Region] = _LiveRegions()


class UnknownRegion(KeyError):
    """Raised for a territory key that is not in REGIONS."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.text = t("territory.unknown", key=key, known=", ".join(sorted(REGIONS)))
        super().__init__(self.text)

    def __str__(self) -> str:
        # KeyError.__str__ would repr() the message and wrap it in quotes; operators read this
        # text in logs, pages and CLI output, in their language.
        return str(self.text)


def territory_days(region: Region) -> tuple[frozenset[date], frozenset[date]]:
    """A territory's extra holidays and workdays, its region's included: a municipality keeps its
    region's exceptions, and its own win where the two disagree (a regional holiday it works)."""
    parent = REGIONS.get(region.parent) if region.parent else None
    if parent is None:
        return region.extra_holidays, region.extra_workdays
    holidays = (parent.extra_holidays - region.extra_workdays) | region.extra_holidays
    workdays = (parent.extra_workdays - region.extra_holidays) | region.extra_workdays
    return holidays, workdays


def get_region(key: str) -> Region:
    """Return the territory for ``key`` or raise UnknownRegion listing known keys."""
    try:
        return REGIONS[key]
    except KeyError:
        raise UnknownRegion(key) from None
