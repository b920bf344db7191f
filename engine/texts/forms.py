"""Camunda Forms: checks at deployment and the field errors of a submission (engine/forms).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
}

EN: dict[str, str] = {
}
