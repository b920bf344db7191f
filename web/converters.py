"""URL converters: a number in a path names a database row, so it must fit one.

Werkzeug's ``int`` converter takes any number of digits; SQLite (and psycopg) cannot bind an
integer above 2^63−1, so ``/messages/18446744073709551616`` used to end in a 500. A path id
outside the range of a database integer names nothing: 404, before any view runs.
"""
from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**63 - 1  # BIGINT and SQLite INTEGER; every id and version column fits in it


class DatabaseIdConverter(IntegerConverter):
    """0 … 2^63−1 in at most 19 digits (so no huge string is ever turned into an int)."""

    regex = r"\d{1,19}"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register(url_map: Map) -> None:
    """Every ``<int:…>`` of the app is a database id: replace Werkzeug's converter under its own
    name, so no route (today's or one added later) can pass an unbounded number to a query."""
    url_map.converters["int"] = DatabaseIdConverter
