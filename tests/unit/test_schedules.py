"""Organisation schedules as JSON: round trip and clear errors."""
from datetime import time

import pytest

from engine.calendar.schedules import schedule_from_json, schedule_to_json
from engine.calendar.workingtime import Schedule


def test_round_trip_and_defaults() -> None:
    schedule = schedule_from_json({"start": "08:00", "end": "17:00", "lunch_start": "12:00", "lunch_end": "12:45"})
    assert schedule == Schedule(start=time(8), end=time(17), lunch_start=time(12), lunch_end=time(12, 45))
    assert schedule_from_json(schedule_to_json(schedule)) == schedule
    assert schedule_from_json({}) == Schedule()


@pytest.mark.parametrize("data, message", [
    ({"start": "nine"}, "start"),
    ({"opens": "09:00"}, "unknown schedule keys: opens"),
    ({"start": "18:00", "end": "09:00"}, "start < lunch_start"),
    ({"workdays": [7]}, "workdays"),
])
def test_bad_schedules_are_refused_clearly(data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        schedule_from_json(data)
