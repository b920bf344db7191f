"""A territory's clock as people read it: «время: Оренбургская область, UTC+5», never
"Asia/Yekaterinburg" (issue 16). The offset is the one in force at the instant shown, so a zone
that changes its offset reads right on both sides of the change."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from engine import clock
from engine.calendar.regions import REGIONS
from engine.texts import Text, t


def utc_offset(timezone: str, at: datetime | None = None) -> str:
    """+5, -3, +5:30 (no sign for UTC itself: "UTC" reads as it is)."""
    offset = (at or clock.now()).astimezone(ZoneInfo(timezone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return ""
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_words(region: str | None, at: datetime | None = None) -> Text:
    """The territory's name and UTC offset; plain UTC for a template, which has no territory."""
    territory = REGIONS.get(region) if region else None
    if territory is None:
        return t("zone.utc")
    return t("zone.words", region=territory.display_name, offset=utc_offset(territory.timezone, at))
