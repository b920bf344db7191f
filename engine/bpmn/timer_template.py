"""Timers written by the «Срок в рабочих …» element templates.

Camunda 7 element templates cannot bind a timer definition (only Camunda 8's can), so the
templates store the deadline as three extension properties on the event — ``timer.function``
(working_hours / working_days / working_minutes), ``timer.amount`` (8, or a parameter such as
``draft_hours``) and ``timer.since`` (``None`` = when the timer is armed, or ``detected_at`` …).
The engine builds the expression from them, so an analyst who picks the template and types 8
gets a valid timer without typing ``working_hours(8)``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

FUNCTIONS = ("working_hours", "working_days", "working_minutes")
FUNCTION, AMOUNT, SINCE = "timer.function", "timer.amount", "timer.since"


def template_expression(properties: Mapping[str, str | None]) -> str | None:
    """``working_hours(8)`` / ``working_hours(8, since=received_at)`` from the template's fields,
    or None when the event carries no deadline template."""
    function = (properties.get(FUNCTION) or "").strip()
    if not function:
        return None
    amount = re.sub(r"\s+", " ", (properties.get(AMOUNT) or "").strip())
    amount = re.sub(r"\s*([-+])\s*", r" \1 ", amount)
    since = (properties.get(SINCE) or "None").strip()
    return f"{function}({amount})" if since == "None" else f"{function}({amount}, since={since})"


def same_timer(typed: str, built: str) -> bool:
    """Whitespace does not make two timer expressions different."""
    return re.sub(r"\s+", "", typed) == re.sub(r"\s+", "", built)
