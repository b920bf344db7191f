"""A territory's clock in words: name and offset, never an IANA zone name (issue 16)."""
from __future__ import annotations

from datetime import UTC, datetime

from engine.calendar.zone_words import utc_offset, zone_words
from engine.texts import language


def test_offsets_read_as_people_write_them() -> None:
    at = datetime(2026, 12, 7, 10, tzinfo=UTC)
    assert utc_offset("Asia/Yekaterinburg", at) == "+5"
    assert utc_offset("Asia/Kolkata", at) == "+5:30"
    assert utc_offset("America/Sao_Paulo", at) == "-3"
    assert utc_offset("UTC", at) == ""


def test_a_territory_reads_with_its_name_and_offset() -> None:
    with language("ru"):
        assert str(zone_words("orenburg")) == "время: Оренбургская область, UTC+5"
        assert str(zone_words(None)) == "время UTC"
    with language("en"):
        assert str(zone_words("orenburg")) == "Orenburg Oblast time, UTC+5"  # its English name (migration 0016)
