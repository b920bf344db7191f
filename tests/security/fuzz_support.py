"""What the fuzz suite is built from: hostile values that once broke something somewhere, a
seeded random source (a failure is reproducible from its seed, printed in the message), and
``bounded``: a call must end within a time limit with a result or one of the expected refusals.

The suite is bounded on purpose (a fixed number of cases per corpus, each with a time limit):
it runs in ``make test`` in well under a minute and catches a quadratic or exponential path
as a case that took seconds, not as a test that never ends.
"""
from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import Any

SEED = int(os.environ.get("OTKLIK_FUZZ_SEED", "20261207"))

# Text an official, an analyst or a stranger may type where text is expected.
HOSTILE_TEXT: tuple[str, ...] = (
    "", " ", "\x00", "a\x00b", "\r\n", "\u202e", "\ufeff", "😀" * 10, "я" * 5_000,
    "1" * 20_000 + "x", "9" * 4_000, "-" * 3_000, "1e999", "-1e999", "nan", "inf", "-0", "0x10", "1_000",
    "١٢٣", "１２３", "+1", "1.", ".5", "1e-400", " 12 ", "12,5",
    "<script>alert(1)</script>", "'; DROP TABLE message; --", "%s%s%s%n", "{{7*7}}", "${7*7}", "=1+1",
    "=HYPERLINK(\"http://evil\")", "@SUM(A1)", "../../etc/passwd", "%2e%2e%2f", "\\\\server\\share",
    "(a+)+$", "a" * 64 + "!", "0002-01-01T10:00", "9999-12-31T23:59", "0001-01-01", "2025-02-30T10:00",
    "2025-11-01T25:61", "2025-11-01T10:00:00+99:00", "P9999999Y", "PT1S",
)

# Numbers at and beyond every bound.
HOSTILE_NUMBERS: tuple[Any, ...] = (
    0, -1, 1, 2**31, 2**63, 2**63 - 1, -(2**63), 10**18, 10**18 + 1, 10**100, 10**4000,
    0.5, -0.0, 1e308, -1e308, float("inf"), float("-inf"), float("nan"), True, False, None,
)


def rng(name: str) -> random.Random:
    """A random source per corpus, so adding a case to one corpus does not reshuffle the others."""
    return random.Random(f"{SEED}:{name}")


def bounded(call: Callable[[], Any], refusals: tuple[type[BaseException], ...], limit: float, case: str) -> Any:
    """Run ``call``: a result or one of ``refusals`` within ``limit`` seconds; anything else fails
    the test naming the case (and the seed, to replay it)."""
    started = time.perf_counter()
    try:
        result = call()
    except refusals as refusal:
        result = refusal
    except Exception as error:  # noqa: BLE001 - the finding: an unexpected crash
        raise AssertionError(f"{case}: {type(error).__name__}: {str(error)[:300]} (seed {SEED})") from error
    spent = time.perf_counter() - started
    assert spent < limit, f"{case}: took {spent:.2f} s (limit {limit} s; seed {SEED})"
    return result
