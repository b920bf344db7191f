"""Regions and municipalities are data: added or changed in one process, used by every other at
its next unit of work (no restart); deadlines follow a changed zone or holiday at once."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS, UnknownRegion, get_region, set_current
from engine.calendar.workingtime import calendar_for_region
from engine.db.database import Database, upgrade
from engine.directory.territories import TerritoryError, TerritoryInput, add_territory, parse_dates, territories, update_territory
from engine.models import AuditEvent

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))  # an ordinary working Monday


def _second_process(db: Database) -> Database:
    """Another Database on the same database: what the worker is to the web app."""
    return Database(db.engine.url.render_as_string(hide_password=False))


@contextmanager
def unit_of_work(database: Database, readonly: bool = True) -> Iterator[Session]:
    """A unit of work as one process runs it, knowing nothing another process left in this thread
    (two processes share no memory): it begins, as every page or worker pass does with its first query."""
    set_current({})
    with database.session(readonly=readonly) as session:
        yield session


def test_the_migration_brings_the_five_regions_and_altai(db) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as session:
        assert {r.key: (r.kind, r.timezone, r.parent) for r in territories(session)} == {
            "orenburg": ("region", "Asia/Yekaterinburg", None), "smolensk": ("region", "Europe/Moscow", None),
            "kaluga": ("region", "Europe/Moscow", None), "kuzbass": ("region", "Asia/Novokuznetsk", None),
            "altai": ("region", "Asia/Barnaul", None), "kalmanka": ("municipality", "Asia/Barnaul", "altai")}
        assert [r.name for r in territories(session)] == sorted(r.name for r in territories(session))
        assert get_region("kuzbass").name == "Кемеровская область — Кузбасс"


def test_a_region_added_in_one_process_is_used_by_the_other_at_its_next_unit_of_work(db) -> None:  # type: ignore[no-untyped-def]
    worker = _second_process(db)
    try:
        with unit_of_work(worker):
            assert "tyva" not in REGIONS
            with pytest.raises(UnknownRegion, match="tyva"):
                calendar_for_region("tyva")
        with unit_of_work(db, readonly=False) as session:
            added = add_territory(session, TerritoryInput("tyva", "Республика Тыва", "Asia/Krasnoyarsk"), "admin")
            assert added.timezone == "Asia/Krasnoyarsk" and REGIONS["tyva"] == added  # this unit of work at once
        with unit_of_work(worker):  # no restart: the worker's next unit of work
            assert get_region("tyva").name == "Республика Тыва"
            assert calendar_for_region("tyva").timezone.key == "Asia/Krasnoyarsk"
        # And the other way round: a change made by the "worker" reaches the "web app".
        with unit_of_work(worker, readonly=False) as session:
            update_territory(session, "tyva", "cli:root", name="Тыва")
        with unit_of_work(db):
            assert REGIONS["tyva"].name == "Тыва"
    finally:
        worker.engine.dispose()


def test_a_changed_time_zone_gives_deadlines_in_the_new_zone_at_once(db) -> None:  # type: ignore[no-untyped-def]
    worker = _second_process(db)
    try:
        with unit_of_work(worker):
            before = calendar_for_region("kuzbass").working_hours(1, MONDAY)
        with unit_of_work(db, readonly=False) as session:
            update_territory(session, "kuzbass", "admin", timezone="Europe/Moscow")
        with unit_of_work(worker):
            after = calendar_for_region("kuzbass").working_hours(1, MONDAY)
        # 09:00 in Yekaterinburg is 11:00 in Novokuznetsk (the hour ends at 12:00) and 07:00 in Moscow
        # (the hour runs from the day's start, 09:00, to 10:00 Moscow time).
        assert before == datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Novokuznetsk"))
        assert after == datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    finally:
        worker.engine.dispose()


def test_a_regional_extra_holiday_moves_a_working_hours_deadline(db) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db):
        assert calendar_for_region("orenburg").working_hours(8, MONDAY) == MONDAY.replace(hour=18)
    with unit_of_work(db, readonly=False) as session:
        update_territory(session, "orenburg", "admin", extra_holidays=parse_dates("2026-03-02"))
    with unit_of_work(db):
        assert calendar_for_region("orenburg").working_hours(8, MONDAY) == MONDAY.replace(day=3, hour=18)
    with unit_of_work(db, readonly=False) as session:  # a workday exception on a Saturday counts too
        update_territory(session, "orenburg", "admin", extra_holidays=(), extra_workdays=(date(2026, 2, 28),))
    with unit_of_work(db):
        saturday = MONDAY.replace(day=28, month=2)
        assert calendar_for_region("orenburg").working_hours(8, saturday) == saturday.replace(hour=18)


def test_a_municipality_keeps_its_regions_holidays_and_adds_its_own(db) -> None:  # type: ignore[no-untyped-def]
    barnaul = MONDAY.replace(tzinfo=ZoneInfo("Asia/Barnaul"))
    with unit_of_work(db, readonly=False) as session:
        update_territory(session, "altai", "admin", extra_holidays=(date(2026, 3, 2), date(2026, 3, 4)))
        update_territory(session, "kalmanka", "admin", extra_holidays=(date(2026, 3, 3),),
                         extra_workdays=(date(2026, 3, 4),))
    with unit_of_work(db):
        # Monday the region's holiday, Tuesday the municipality's own; Wednesday the region's holiday
        # the municipality works.
        assert calendar_for_region("kalmanka").working_hours(8, barnaul) == barnaul.replace(day=4, hour=18)
        # The region: Tuesday is the eve of its Wednesday holiday, an hour shorter (7 h), so Thursday 10:00.
        assert calendar_for_region("altai").working_hours(8, barnaul) == barnaul.replace(day=5, hour=10)
        assert get_region("kalmanka").extra_holidays == {date(2026, 3, 3)}  # as stored: its own


def test_databases_in_one_process_do_not_see_each_others_territories(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    upgrade(other.engine)
    try:
        with other.session() as session:
            add_territory(session, TerritoryInput("chukotka", "Чукотский АО", "Asia/Anadyr"), "admin")
        with db.session(readonly=True) as session:  # one process: what the other database left stays in memory
            assert "chukotka" not in REGIONS and "orenburg" in REGIONS
        with other.session(readonly=True) as session:
            assert "chukotka" in REGIONS
    finally:
        other.engine.dispose()


def test_every_change_is_audited_with_what_changed(db) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db, readonly=False) as session:
        add_territory(session, TerritoryInput("ust", "Усть-Калманский район", "Asia/Barnaul", kind="municipality",
                                              parent="altai"), "admin")
        update_territory(session, "ust", "admin", name="Усть-Калманский район Алтайского края")
        update_territory(session, "ust", "admin", name="Усть-Калманский район Алтайского края")  # no change, no record
        details = [e.details for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert details[0]["created_territory"] == "ust" and details[0]["parent"] == "altai"
    assert details[1:] == [{"changed_territory": "ust",
                            "name": ["Усть-Калманский район", "Усть-Калманский район Алтайского края"]}]


@pytest.mark.parametrize(("data", "field", "text"), [
    (TerritoryInput("Tyva", "Тыва", "Asia/Krasnoyarsk"), "key", "territory key 'Tyva'"),
    (TerritoryInput("orenburg", "Оренбург", "Asia/Yekaterinburg"), "key", "territory 'orenburg' already exists"),
    (TerritoryInput("tyva", " ", "Asia/Krasnoyarsk"), "name", "needs a name"),
    (TerritoryInput("tyva", "Тыва", "Asia/Foo"), "timezone", "'Asia/Foo' is not an IANA time zone; e.g. Asia/Yekaterinburg"),
    (TerritoryInput("tyva", "Тыва", "posixrules"), "timezone", "not an IANA time zone"),
    (TerritoryInput("tyva", "Тыва", "Asia/Krasnoyarsk", kind="city"), "kind", "unknown kind"),
    (TerritoryInput("ust", "Усть", "Asia/Barnaul", kind="municipality"), "parent", "needs its region"),
    (TerritoryInput("ust", "Усть", "Asia/Barnaul", kind="municipality", parent="atlantis"), "parent",
     "there is no region 'atlantis'; known regions: orenburg, smolensk, kaluga, kuzbass, altai"),
    (TerritoryInput("ust", "Усть", "Asia/Barnaul", kind="municipality", parent="kalmanka"), "parent",
     "'kalmanka' is a municipality"),
    (TerritoryInput("tyva", "Тыва", "Asia/Krasnoyarsk", parent="altai"), "parent", "a region has no parent"),
    (TerritoryInput("tyva", "Тыва", "Asia/Krasnoyarsk", extra_holidays=(date(2026, 2, 18),),
                    extra_workdays=(date(2026, 2, 18),)), "extra_workdays", "2026-02-18: a date cannot be both"),
    (TerritoryInput("tyva", "Тыва", "Asia/Krasnoyarsk", extra_holidays=(date(2062, 2, 18),)), "extra_holidays",
     "2062-02-18: the year must be between 2020 and 2030"),
    (TerritoryInput("tyva", "Тыва", "Asia/Krasnoyarsk", schedule={"start": "9am"}), "schedule", "'9am' is not a time"),
])
def test_bad_input_names_its_field(db, data, field, text) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session, pytest.raises(TerritoryError) as refused:
        add_territory(session, data, "admin")
    assert refused.value.field == field and text in str(refused.value)
    with unit_of_work(db):
        assert data.key not in REGIONS or data.key == "orenburg"


def test_changes_are_checked_like_new_territories(db) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db, readonly=False) as session:
        with pytest.raises(TerritoryError, match="territory 'atlantis' does not exist"):
            update_territory(session, "atlantis", "admin", name="Атлантида")
        with pytest.raises(TerritoryError, match="needs its region"):
            update_territory(session, "kalmanka", "admin", parent=None)
        with pytest.raises(TerritoryError, match="not an IANA"):
            update_territory(session, "kalmanka", "admin", timezone="Barnaul")
        with pytest.raises(TerritoryError, match="both a holiday"):
            update_territory(session, "kalmanka", "admin", extra_holidays=(date(2026, 1, 12),),
                             extra_workdays=(date(2026, 1, 12),))
        region = update_territory(session, "kalmanka", "admin", schedule={"start": "08:00", "end": "17:00"})
        assert region.schedule is not None and region.schedule.start.hour == 8


def test_dates_are_parsed_from_commas_or_lines() -> None:
    assert parse_dates("2026-06-12, 2026-05-08\n2026-05-08") == (date(2026, 5, 8), date(2026, 6, 12))
    assert parse_dates("  ") == ()
    with pytest.raises(ValueError, match="'08.05.2026' is not a date; write YYYY-MM-DD"):
        parse_dates("2026-05-01, 08.05.2026")
