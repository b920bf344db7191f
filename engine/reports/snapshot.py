"""A summary as JSON and back: what a frozen report stores (engine.models.FrozenReport.snapshot).

Kept apart from the figures so a stored snapshot is read by the same Summary the page and the
XLSX write; a snapshot written by an older version reads with defaults for what it lacked.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import fields
from datetime import datetime
from typing import Any

from engine.calendar.periods import Period
from engine.reports.dynamics import Month
from engine.reports.quality import Quality
from engine.reports.summary import AgencyLine, Summary

VERSION = 1
COUNTERS = ("by_network", "by_topic", "by_clause", "by_parameter")
# The figures a later recomputation is compared on: every count of a Summary (its int fields), so
# a count added to the summary is stored and compared without another list to keep in step.
COMPARED = tuple(f.name for f in fields(Summary) if f.type in ("int", int))
COMPARED_QUALITY = ("sent_back", "with_media")


def to_snapshot(summary: Summary) -> dict[str, Any]:
    data: dict[str, Any] = {"version": VERSION, "region": summary.region, "region_name": summary.region_name,
                            "period": {"label": summary.period.label, "start": summary.period.start.isoformat(),
                                       "end": summary.period.end.isoformat()}}
    for name in (*COMPARED,):
        data[name] = getattr(summary, name)
    for name in COUNTERS:
        data[name] = dict(getattr(summary, name))
    data["agencies"] = [{f.name: (dict(getattr(line, f.name)) if f.name == "by_clause" else getattr(line, f.name))
                         for f in fields(AgencyLine)} for line in summary.agencies]
    data["quality"] = {f.name: getattr(summary.quality, f.name) for f in fields(Quality)}
    data["months"] = [{f.name: getattr(month, f.name) for f in fields(Month)} for month in summary.months]
    return data


def from_snapshot(data: dict[str, Any]) -> Summary:
    period = data["period"]
    summary = Summary(data["region"], data["region_name"], Period(
        period["label"], datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"])))
    for name in COMPARED:
        setattr(summary, name, int(data.get(name, 0)))
    for name in COUNTERS:
        setattr(summary, name, Counter({str(k): int(v) for k, v in (data.get(name) or {}).items()}))
    known = {f.name for f in fields(AgencyLine)}
    for line in data.get("agencies") or []:
        values = {k: v for k, v in line.items() if k in known and k != "by_clause"}
        summary.agencies.append(AgencyLine(**values, by_clause=Counter(line.get("by_clause") or {})))
    known = {f.name for f in fields(Quality)}
    summary.quality = Quality(**{k: v for k, v in (data.get("quality") or {}).items() if k in known})
    known = {f.name for f in fields(Month)}
    summary.months = [Month(**{k: v for k, v in month.items() if k in known}) for month in data.get("months") or []]
    return summary


def differences(frozen: Summary, live: Summary) -> dict[str, Any]:
    """Figure name → its live value, for each figure that changed since the report was frozen
    (per-clause counts as ``clause:<n>``, parameter counts as ``parameter:<deadline>``)."""
    changed: dict[str, Any] = {}
    for name in COMPARED:
        if getattr(frozen, name) != getattr(live, name):
            changed[name] = getattr(live, name)
    for name in COMPARED_QUALITY:
        if getattr(frozen.quality, name) != getattr(live.quality, name):
            changed[name] = getattr(live.quality, name)
    for prefix, attribute in (("clause", "by_clause"), ("parameter", "by_parameter")):
        old, new = getattr(frozen, attribute), getattr(live, attribute)
        for key in sorted(set(old) | set(new)):
            if old.get(key, 0) != new.get(key, 0):
                changed[f"{prefix}:{key}"] = new.get(key, 0)
    return changed
