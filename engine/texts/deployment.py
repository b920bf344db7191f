"""Deploying files: the plan, the browser's limits and carried files, unsafe XML, registrations and other refusals.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
}

EN: dict[str, str] = {
}
