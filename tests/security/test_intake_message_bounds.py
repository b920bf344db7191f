"""What a message may be, at every way in: dates within the last 366 days (and not after now plus
5 minutes), text ≤ 20,000 characters, author ≤ 300, URL ≤ 2,000.

Before: a message posted in the year 2 started its procedure, every inbox page then walked
730,000 days of working time (17-21 s each, holding the SQLite write lock); a 20 MB text was
stored three times (message row, case state, audit). registration_problems answers with codes
the form shows beside the fields; start_procedure (the CLI, tests, any future API) raises
ValueError as it does for its other checks, and stores nothing.
"""
from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.models import AuditEvent, Message
from engine.runtime import cases as runtime
from engine.runtime.registration import registration_problems

LIMIT = 1.0  # seconds; a refusal is immediate


def _message(now: datetime, **changes) -> runtime.MessageInput:  # type: ignore[no-untyped-def]
    message = runtime.MessageInput(region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
                                   text="Яма на дороге", posted_at=now - timedelta(minutes=20), detected_at=now)
    return dataclasses.replace(message, **changes)


def _refusals(now: datetime) -> list[tuple[dict, str, str]]:
    return [
        ({"posted_at": datetime(2, 1, 1, tzinfo=UTC)}, "posted_at", "too_old"),
        ({"posted_at": now - timedelta(days=366, seconds=1)}, "posted_at", "too_old"),
        ({"posted_at": datetime(1, 1, 1, tzinfo=UTC), "detected_at": datetime(1, 1, 1, 1, tzinfo=UTC)},
         "detected_at", "too_old"),
        ({"detected_at": now + timedelta(minutes=5, seconds=1)}, "detected_at", "future"),
        ({"posted_at": datetime(9999, 12, 31, tzinfo=UTC), "detected_at": datetime(9999, 12, 31, 1, tzinfo=UTC)},
         "posted_at", "future"),
        ({"text": "я" * 20_001}, "text", "too_long"),
        ({"text": "x" * 20_000_000}, "text", "too_long"),
        ({"author": "я" * 301}, "author", "too_long"),
        ({"url": "https://vk.com/" + "a" * 1_990}, "url", "too_long"),
    ]


def test_start_procedure_refuses_what_is_out_of_bounds_and_stores_nothing(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    now = virtual_clock.current
    for changes, field, _code in _refusals(now):
        started = time.perf_counter()
        with pytest.raises(ValueError, match=field):
            with db.session() as session:
                runtime.start_procedure(session, _message(now, **changes), "curator")
        assert time.perf_counter() - started < LIMIT, field
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "started")) == 0


def test_start_procedure_accepts_the_bounds_themselves(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    now = virtual_clock.current
    edge = _message(now, posted_at=now - timedelta(days=366), detected_at=now + timedelta(minutes=5),
                    text="я" * 20_000, author="я" * 300, url="https://vk.com/" + "a" * 1_985)
    with db.session() as session:
        runtime.start_procedure(session, edge, "curator")
        assert session.scalar(select(Message.text)) == "я" * 20_000


def test_registration_names_the_field_and_the_problem(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    now = virtual_clock.current
    with db.session() as session:
        for changes, field, code in _refusals(now):
            assert registration_problems(session, _message(now, **changes)).get(field) == code, (field, code)
        assert registration_problems(session, _message(now)) == {}
        # An unclosed IPv6 bracket made urlsplit raise (a 500 on the form).
        assert registration_problems(session, _message(now, url="http://[::1/wall")) == {"url": "bad_url"}


def test_a_routing_field_longer_than_its_column_is_refused_beside_the_field(orenburg, db) -> None:  # type: ignore[no-untyped-def]
    """The routing form's topic/location/importance are copied to the message row (for the
    registry's filters), whose columns are bounded; a diagram's form may offer them without a
    maxLength. PostgreSQL refused the longer value (500); SQLite stored it."""
    from engine.deployment.deployer import Source, deploy, library_forms
    from engine.errors import InvalidSubmission
    from tests.factories import ROOT
    from tests.scenario.test_orenburg import ROUTE

    form = (ROOT / "forms" / "orenburg_routing.form").read_text(encoding="utf-8")
    unbounded = form.replace('"maxLength": 200', '"maxLength": 20000')
    assert unbounded != form
    with db.session() as session:
        deploy(session, [Source.read(ROOT / "bpmn" / "orenburg.bpmn"), Source("orenburg_routing.form", unbounded.encode())],
               actor="analyst", extra_forms=library_forms())
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with pytest.raises(InvalidSubmission) as refused:
        orenburg.complete("route_message", "curator", {**ROUTE, "location": "у" * 201})
    assert refused.value.errors == {"location": "must be at most 200 characters"}
    orenburg.complete("route_message", "curator", {**ROUTE, "location": "у" * 200})
    assert orenburg.message().location == "у" * 200
