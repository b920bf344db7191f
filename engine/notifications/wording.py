"""Notification texts as people read them, whenever they were written. Texts composed today carry
local times (engine.runtime.services); rows stored before that carry ISO instants
("срок 2026-12-04T11:30:00+05:00"): the notification centre, e-mails and the card's history read
those through ``local_instants`` so an old row reads like a new one (issue 16)."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from engine.calendar.regions import REGIONS

# An instant as isoformat() writes it, with or without seconds, fraction and offset.
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")
LOCAL = "%d.%m.%Y %H:%M"


def zone_of(region: str | None) -> ZoneInfo:
    """The territory's clock; UTC for one not (or no longer) known."""
    territory = REGIONS.get(region) if region else None
    return ZoneInfo(territory.timezone if territory is not None else "UTC")


def local_instants(text: str, region: str | None) -> str:
    """``text`` with every ISO instant written as the territory's local dd.mm.yyyy HH:MM."""
    zone = zone_of(region)

    def local(match: re.Match[str]) -> str:
        try:
            instant = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)  # the engine stores instants in UTC
        return instant.astimezone(zone).strftime(LOCAL)

    return _ISO.sub(local, text)
