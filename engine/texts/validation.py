"""Deployment checks of a diagram (engine/deployment/validation.py, engine/bpmn/timer_bounds.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
}

EN: dict[str, str] = {
}
