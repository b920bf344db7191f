"""Per-organisation working schedules, stored as JSON on the organisation row.

``{"workdays": [0, 1, 2, 3, 4], "start": "08:00", "end": "17:00", "lunch_start": "12:00",
"lunch_end": "12:45"}`` — every key optional, defaults as in :class:`Schedule`. A diagram uses
an organisation's schedule with ``working_hours(2, org=agency)``; without ``org`` the
region's default schedule applies.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.workingtime import Schedule
from engine.models import Organisation

_TIMES = ("start", "end", "lunch_start", "lunch_end")


def schedule_from_json(data: Mapping[str, Any]) -> Schedule:
    """A validated Schedule; ValueError says which key is wrong."""
    unknown = set(data) - {"workdays", *_TIMES}
    if unknown:
        raise ValueError(f"unknown schedule keys: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key in _TIMES:
        if key in data:
            raw = data[key]
            try:
                values[key] = None if raw is None else time.fromisoformat(raw)
            except (TypeError, ValueError):
                raise ValueError(f"schedule {key}: '{raw}' is not a time like 09:00") from None
    if "workdays" in data:
        values["workdays"] = frozenset(data["workdays"])
    return Schedule(**values)


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    return {
        "workdays": sorted(schedule.workdays),
        **{key: (getattr(schedule, key).isoformat("minutes") if getattr(schedule, key) else None) for key in _TIMES},
    }


def region_schedules(session: Session, region: str) -> dict[str, Schedule]:
    """Schedules of the region's organisations that have their own."""
    rows = session.execute(select(Organisation.key, Organisation.schedule).where(
        Organisation.region == region, Organisation.schedule.is_not(None)))
    return {key: schedule_from_json(data) for key, data in rows if data}
