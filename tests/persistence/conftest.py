"""Fixtures of the workflow-cache and reading-path tests: an Orenburg case, and a count of deserializations."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.runtime import store
from engine.runtime.workflow_cache import CACHE


@pytest.fixture
def case(orenburg):  # type: ignore[no-untyped-def]
    CACHE.clear()
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    orenburg.at("2025-11-10T10:10")
    return orenburg


@pytest.fixture
def restores(monkeypatch) -> Iterator[list[int]]:  # type: ignore[no-untyped-def]
    """Counts deserializations: each call of the state loader appends one."""
    calls: list[int] = []
    original = store.load_state

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "load_state", counting)
    yield calls
