"""Size limits of the restricted expression language (engine.expressions), and the measure of a value against them.

They keep every expression cheap to check and to run, whatever the diagram or the task data holds.
The analyst's catalogue in engine.expressions states these numbers: change both together.
"""
from __future__ import annotations

import itertools
from typing import Any

MAX_TEXT = 2_000
MAX_NODES = 300
MAX_DEPTH = 30
MAX_SIZE = 10_000
MAX_INT = 10**18
MAX_POWER = 64

_TEXT_TYPES = (str, bytes, bytearray)
_SIZED_TYPES = (str, bytes, bytearray, list, tuple, dict, set, frozenset)


def _size(value: Any, limit: int) -> int:
    """Items and characters reachable from value (nested content counts), stopping past limit."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        kind = type(item)
        if issubclass(kind, _SIZED_TYPES):
            total += len(item)
        if issubclass(kind, (list, tuple, set, frozenset, dict)):
            children = itertools.chain.from_iterable(item.items()) if issubclass(kind, dict) else item
            stack.extend(itertools.islice(children, limit + 1))
    return total
