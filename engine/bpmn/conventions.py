"""Conventions a diagram declares about its steps, so Python never names a procedure's element ids.

``step`` (a user task's Camunda property): the task's part in answering, space-separated —
``approval`` (the answer is approved here), ``publication`` (it is published here; both for a
task that publishes or returns), ``joint_answer`` (the joint answer of several agencies is
composed here). The comparison of regions reads it; deployment refuses other values.
"""
from __future__ import annotations

from collections.abc import Mapping

STEP_PROPERTY = "step"
STEPS = frozenset({"approval", "publication", "joint_answer"})


def steps_in(properties: Mapping[str, str | None]) -> set[str]:
    """The steps a task's properties declare."""
    return set((properties.get(STEP_PROPERTY) or "").split())
