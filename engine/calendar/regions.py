"""Regions served by Otklik and the time zone each one lives in.

Deadlines in the regional regulations are counted in the region's local
working time, so the region's IANA zone is the one fact the working-time
calendar needs from here.  The table is data, not configuration: adding a
region is a code change that gets reviewed together with its regulation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Region:
    key: str  # stable identifier used in configuration and URLs, e.g. 'orenburg'
    name: str  # official Russian name, shown to operators
    timezone: str  # IANA zone name, e.g. 'Asia/Yekaterinburg'


class UnknownRegion(KeyError):
    """Raised for a region key that is not in REGIONS."""

    def __init__(self, key: str) -> None:
        self.key = key
        known = ", ".join(sorted(REGIONS))
        super().__init__(f"unknown region {key!r}; known regions: {known}")

    def __str__(self) -> str:
        # KeyError.__str__ would repr() the message and wrap it in quotes;
        # operators read this text in logs and CLI output, so keep it plain.
        return str(self.args[0])


_REGIONS = (
    Region("orenburg", "Оренбургская область", "Asia/Yekaterinburg"),
    Region("smolensk", "Смоленская область", "Europe/Moscow"),
    Region("kaluga", "Калужская область", "Europe/Moscow"),
    Region("kuzbass", "Кемеровская область — Кузбасс", "Asia/Novokuznetsk"),
    Region("kalmanka", "Калманский район Алтайского края", "Asia/Barnaul"),
)

# Read-only view so that no caller can add or replace a region at runtime
# (calendars are cached per region key, a mutation would go unnoticed).
REGIONS: Mapping[str, Region] = MappingProxyType({r.key: r for r in _REGIONS})


def get_region(key: str) -> Region:
    """Return the region for ``key`` or raise UnknownRegion listing known keys."""
    try:
        return REGIONS[key]
    except KeyError:
        raise UnknownRegion(key) from None
