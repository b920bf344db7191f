"""Surges of social activity (Orenburg п. 21) found in a generated stream on the virtual clock.

The rule is the shipped diagram's: 60 minutes, a baseline of 28 days, 3 times the usual, at least 10
messages, to the Governor (п. 21). A steady stream is not a surge however busy; a burst over the
territory's own usual level is, once; while it goes on it is not escalated again.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.models import Delivery, Notification, User
from engine.models.surge import Surge
from engine.surges.detect import check_surges, detect_surges, location_key
from tests.scenario.mutants import deploy_mutant, prop
from tests.surges.conftest import PLACE, T0, TOPIC
from tests.surges.stream import burst, steady


def _surges(db) -> list[Surge]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return list(session.scalars(select(Surge).order_by(Surge.id)))


def _notifications(db) -> list[Notification]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def _baseline(db) -> None:  # type: ignore[no-untyped-def]
    """Four weeks of one message every two hours on the topic and place, up to the burst."""
    steady(db, "orenburg", TOPIC, PLACE, T0, days=28, per_hour=0.5)


def test_a_burst_over_the_usual_level_is_escalated_to_the_governor_once_with_its_messages(governed) -> None:  # type: ignore[no-untyped-def]
    db = governed.db
    _baseline(db)
    times = burst(db, "orenburg", TOPIC, PLACE, T0, count=12, minutes=40)
    assert detect_surges(db, T0 + timedelta(minutes=25)) == []  # 8 so far: under the minimum of 10
    [surge_id] = detect_surges(db, T0 + timedelta(minutes=45))
    [surge] = _surges(db)
    assert surge.id == surge_id and (surge.topic, surge.location) == (TOPIC, PLACE)
    assert surge.count == 12 and surge.baseline == pytest.approx(0.5, abs=0.01) and surge.threshold == 10
    assert len(surge.message_ids) == 12 and surge.notified_at == T0 + timedelta(minutes=45)
    assert surge.rule["clause"] == "21" and surge.rule["recipients"] == ["governor"]
    [told] = _notifications(db)
    assert told.recipient == "governor" and told.status == "routed"
    assert "Дороги и транспорт" in told.subject and PLACE in told.subject and "12 сообщений" in told.subject
    assert "(п. 21)" in told.subject
    body = told.body
    assert "10.11.2025 09:45" in body and "10.11.2025 10:45" in body  # local time
    assert "(время: Оренбургская область, UTC+5)" in body and "Asia/" not in body  # the clock in words, not IANA
    assert "0,5 сообщения" in body and "10 сообщений" in body  # the usual level and the threshold
    listed = [line for line in body.splitlines() if line.startswith("• ")]
    assert len(listed) == 12 and all(f"/messages/{i}" in body for i in surge.message_ids)
    assert listed[0].startswith(f"• {times[0].strftime('%d.%m.%Y %H:%M')} Автор всплеска")
    assert f"/surges/{surge.id}" in body
    with db.session() as session:  # it reached the Governor and his office in their notification centres
        reached = set(session.scalars(select(User.login).join(Delivery, Delivery.user_id == User.id)
                                      .where(Delivery.notification_id == told.id)))
    assert reached == {"governor", "governor_office"}
    assert detect_surges(db, T0 + timedelta(minutes=46)) == []  # the same surge: not again
    assert len(_notifications(db)) == 1


def test_a_surge_going_on_is_extended_not_escalated_again_and_a_later_one_is_new(governed) -> None:  # type: ignore[no-untyped-def]
    db = governed.db
    _baseline(db)
    burst(db, "orenburg", TOPIC, PLACE, T0, count=12, minutes=40)
    [first] = detect_surges(db, T0 + timedelta(minutes=45))
    burst(db, "orenburg", TOPIC, PLACE, T0 + timedelta(minutes=60), count=15, minutes=40)
    assert detect_surges(db, T0 + timedelta(minutes=100)) == []  # within a window of the last end: going on
    [surge] = _surges(db)
    assert surge.id == first and surge.count == 15 and surge.window_end == T0 + timedelta(minutes=100)
    assert len(surge.message_ids) == 27 and len(_notifications(db)) == 1
    # A whole window without it, then a burst again: a new surge, told again.
    later = T0 + timedelta(hours=5)
    burst(db, "orenburg", TOPIC, PLACE, later, count=12, minutes=30)
    [second] = detect_surges(db, later + timedelta(minutes=31))
    assert second != first and len(_notifications(db)) == 2


def test_a_steady_stream_is_not_a_surge_however_busy(governed) -> None:  # type: ignore[no-untyped-def]
    db = governed.db
    # 12 an hour for four weeks and on into the hour checked: over the minimum, never 3 times the usual.
    steady(db, "orenburg", TOPIC, PLACE, T0 + timedelta(hours=2), days=28, per_hour=12)
    steady(db, "orenburg", "healthcare", "Орск", T0 + timedelta(hours=2), days=28, per_hour=0.25)
    for minutes in range(0, 120, 10):
        assert detect_surges(db, T0 + timedelta(minutes=minutes)) == []
    assert _surges(db) == [] and _notifications(db) == []


def test_places_are_one_whatever_the_case_and_punctuation_and_other_places_do_not_add_up(governed) -> None:  # type: ignore[no-untyped-def]
    db = governed.db
    _baseline(db)
    burst(db, "orenburg", TOPIC, PLACE, T0, count=6, minutes=20)
    burst(db, "orenburg", TOPIC, "оренбург  ул. советская", T0 + timedelta(minutes=20), count=5, minutes=20)
    burst(db, "orenburg", TOPIC, "Орск", T0, count=9, minutes=40)  # another place: 9, under the minimum
    burst(db, "orenburg", "healthcare", PLACE, T0, count=9, minutes=40)  # another topic: 9
    [surge_id] = detect_surges(db, T0 + timedelta(minutes=45))
    [surge] = _surges(db)
    assert surge.count == 11 and surge.location_key == location_key(PLACE) == "оренбург ул советская"


def scenario_burst(db, busy_last_days: bool = False) -> None:  # type: ignore[no-untyped-def]
    """The four weeks' baseline and a burst of 12 in 40 minutes: one surge at minute 45. With
    ``busy_last_days`` the two days before were already busy (6 an hour): over 28 days that is still
    a low usual level."""
    _baseline(db)
    if busy_last_days:
        steady(db, "orenburg", TOPIC, PLACE, T0, days=2, per_hour=6)
    burst(db, "orenburg", TOPIC, PLACE, T0, count=12, minutes=40)
    assert len(detect_surges(db, T0 + timedelta(minutes=45))) == 1, "the burst is not a surge"


@pytest.mark.parametrize("busy", [False, True])
def test_the_shipped_rule_finds_the_burst(governed, busy: bool) -> None:  # type: ignore[no-untyped-def]
    scenario_burst(governed.db, busy)


@pytest.mark.parametrize(("name", "value", "busy"), [
    ("surge.minimum", "15", False),  # 12 (13 with the busy days) are no longer enough
    ("surge.factor", "30", False),  # 30 × 0.5 = 15 > 12
    ("surge.window", "20", False),  # 6 of the burst fall in the last 20 minutes
    ("surge.baseline_days", "2", True),  # the usual level of the last 2 days is 6 an hour: 3 × 6 > 13
])
def test_thresholds_from_the_diagram_decide(governed, name: str, value: str, busy: bool) -> None:  # type: ignore[no-untyped-def]
    deploy_mutant(governed.db, "bpmn/orenburg.bpmn", prop("orenburg", name, value))
    with pytest.raises(AssertionError, match="not a surge"):
        scenario_burst(governed.db, busy)


def test_the_recipient_comes_from_the_diagram(governed) -> None:  # type: ignore[no-untyped-def]
    db = governed.db
    _baseline(db)
    burst(db, "orenburg", TOPIC, PLACE, T0, count=12, minutes=40)
    deploy_mutant(db, "bpmn/orenburg.bpmn", prop("orenburg", "surge.recipient", "supervisor deputy_minister"))
    assert len(detect_surges(db, T0 + timedelta(minutes=45))) == 1
    assert [n.recipient for n in _notifications(db)] == ["supervisor", "deputy_minister"]


def test_a_procedure_without_a_rule_is_not_watched(orenburg) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    from lxml import etree

    from engine.bpmn.namespaces import NS
    from engine.deployment.deployer import deploy, library_forms
    from tests.scenario.mutants import mutant

    def no_rule(root: etree._Element) -> None:
        for item in list(root.iterfind(".//camunda:property", NS)):
            if (item.get("name") or "").startswith("surge."):
                item.getparent().remove(item)

    with db.session() as session:
        deploy(session, [mutant("bpmn/orenburg.bpmn", no_rule)], "analyst", extra_forms=library_forms())
    _baseline(db)
    burst(db, "orenburg", TOPIC, PLACE, T0, count=30, minutes=40)
    assert detect_surges(db, T0 + timedelta(minutes=45)) == []


def test_the_worker_checks_at_most_once_a_minute(governed) -> None:  # type: ignore[no-untyped-def]
    db, clock = governed.db, governed.clock
    _baseline(db)
    clock.set(T0 + timedelta(minutes=44))
    assert check_surges(db) == []
    burst(db, "orenburg", TOPIC, PLACE, T0, count=12, minutes=40)
    clock.set(T0 + timedelta(minutes=44, seconds=50))
    assert check_surges(db) == []  # checked 50 s ago
    clock.set(T0 + timedelta(minutes=45))
    assert len(check_surges(db)) == 1


def test_smolensk_counts_per_topic_across_the_region(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """Smolensk's routing records a topic but no place: a surge is one topic across the region, п. 15."""
    from tests.factories import deploy_files
    from tests.surges.stream import add_messages, message_rows

    with db.session() as session:
        deploy_files(session, "bpmn/smolensk.bpmn")
    steady(db, "smolensk", "roads", None, T0, days=28, per_hour=1)
    add_messages(db, message_rows("smolensk", [T0 + timedelta(minutes=2 * i) for i in range(20)], "roads", None))
    [surge_id] = detect_surges(db, T0 + timedelta(minutes=40))
    [surge] = _surges(db)
    assert surge.location is None and surge.location_key == "" and surge.count == 20 and surge.threshold == 10
    [told] = _notifications(db)
    assert told.recipient == "governor" and told.status == "no_recipient"  # nobody holds it in this test
    assert "место не указано" in told.subject and "(п. 15)" in told.subject
    assert "(время: Смоленская область, UTC+3)" in told.body and "Europe/" not in told.body
