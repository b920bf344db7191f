"""Texts used across the engine (where a problem is, generic refusals).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "problem.where": "{file}: {element}: {message}",
    "db.schema_current": "схема базы данных в последней версии",
    # A territory's clock in words, where a page or a report shows times (issue 16): never an IANA name.
    "zone.words": "время: {region}, UTC{offset}",
    "zone.utc": "время UTC",
}

EN: dict[str, str] = {
    "problem.where": "{file}: {element}: {message}",
    "db.schema_current": "schema is up to date",
    "zone.words": "{region} time, UTC{offset}",
    "zone.utc": "UTC time",
}
