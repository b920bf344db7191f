"""`otklik deadline` answers a clear error at once for amounts and starts out of bounds (issue 11, finding 6).

``--working-days 1000000000`` used to compute for seconds and end in a traceback (date value out of
range); a start in the year 1 or 9999 likewise. Now each is a usage error (exit 2) naming the bound.
"""
from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from engine.cli.main import main


@pytest.mark.parametrize("args, message", [
    (("--working-days", "1000000000"), "at most 365"),
    (("--working-hours", "1e9"), "at most 2920"),
    (("--working-minutes", "175201"), "at most 175200"),
    (("--from", "9999-12-30T10:00", "--working-days", "5"), "more than 5 years from now"),
    (("--from", "0002-01-01T10:00", "--working-hours", "9"), "before 2000-01-01"),
], ids=["days-billion", "hours-billion", "minutes-over", "from-9999", "from-year-2"])
def test_out_of_bounds_is_a_usage_error_at_once(args: tuple[str, ...], message: str) -> None:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["deadline", "--region", "orenburg", *args])
    assert time.perf_counter() - started < 2
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_the_largest_amounts_are_still_answered() -> None:
    result = CliRunner().invoke(main, ["deadline", "--region", "orenburg", "--from", "2025-10-31T16:30",
                                       "--working-days", "365"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2027-04-29T18:00+05:00"
