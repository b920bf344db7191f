"""`otklik deadline`: the calendar from the console, with exit 2 on bad input."""
import pytest
from click.testing import CliRunner

from engine.cli.main import main


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["deadline", *args])


def test_nine_working_hours_across_the_november_2025_holidays() -> None:
    # Fri 31.10 16:30 → 1.5 h on Friday, Sat 1.11 is a shortened working day (7 h), Mon 3.11
    # and Tue 4.11 are off, so the last half hour falls on Wed 5.11 09:30 (Asia/Yekaterinburg).
    result = run("--region", "orenburg", "--from", "2025-10-31T16:30", "--working-hours", "9")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2025-11-05T09:30+05:00"


def test_working_days_with_offset_given() -> None:
    result = run("--region", "smolensk", "--from", "2025-10-31T10:00+03:00", "--working-days", "7")
    assert result.exit_code == 0, result.output
    # Working days after 31.10: 1.11 (Sat, working), 5, 6, 7, 10, 11, 12.11 → end of 12.11.
    assert result.output.strip() == "2025-11-12T18:00+03:00"


@pytest.mark.parametrize("args, message", [
    (("--region", "mars", "--working-hours", "1"), "mars"),
    (("--region", "orenburg", "--working-hours", "-1"), "negative"),
    (("--region", "orenburg", "--from", "yesterday", "--working-hours", "1"), "ISO 8601"),
    (("--region", "orenburg"), "exactly one"),
])
def test_bad_input_is_a_clear_error_with_exit_2(args, message) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
