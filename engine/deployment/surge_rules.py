"""Deployment checks of a procedure's surge rule (process properties ``surge.*``, engine.surges.rule).

A rule the worker could not apply — a window of 0 minutes, a factor of "три", a recipient nobody
in a territory holds for a surge — is refused here, each problem naming the process and the
property, instead of silently never escalating (Orenburg п. 21, Smolensk п. 15).
"""
from __future__ import annotations

from collections.abc import Iterator

from engine.bpmn.reader import Diagram
from engine.surges.rule import rule_problems
from engine.texts import Text

__all__ = ["surge_problems"]


def surge_problems(diagram: Diagram) -> Iterator[tuple[str | None, Text]]:
    """(the process id, the problem naming the property) for each wrong ``surge.*`` declaration."""
    for _name, problem in rule_problems(diagram.properties):
        yield diagram.process_id, problem
