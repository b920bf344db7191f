"""The restricted expression language's refusals and run-time errors (engine/expressions).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
}

EN: dict[str, str] = {
}
