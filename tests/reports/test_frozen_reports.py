"""A report once sent does not change (issue 15): frozen by the supervisor or regulator (audited),
shown as frozen with when and by whom, the live figures beside it when they moved."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Conflict, Forbidden
from engine.models import AuditEvent, FrozenReport
from engine.reports.frozen import freeze, freeze_for, report_view
from engine.reports.snapshot import from_snapshot, to_snapshot
from engine.reports.summary import build_summary
from tests.reports.support import answered_in_time, late_draft, left_open
from tests.scenario.test_orenburg import DRAFT, PUBLISH


def test_a_frozen_report_keeps_its_figures_and_shows_what_moved_since(orenburg) -> None:  # type: ignore[no-untyped-def]
    answered_in_time(orenburg, 10)
    left_open(orenburg, "2025-11-28T10:00")  # Friday; its answer deadline (п. 8) falls due on Monday 1 December
    orenburg.at("2025-12-01T09:00")
    with orenburg.db.session() as session:
        frozen = freeze_for(session, "supervisor", "orenburg", "2025-11")
        assert frozen.frozen_by == "supervisor"
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.kind == "report_frozen"))
        assert event.actor == "supervisor" and event.details["period"] == "2025-11"
    with orenburg.db.session() as session:
        before = report_view(session, "supervisor", "orenburg", "2025-11")
    assert before.frozen is not None and before.changes == {} and before.summary.open_cases == 1
    # December: the open case is answered late.
    orenburg.at("2025-12-01T12:00")
    orenburg.complete("accept_message", "exec_orb_roads", {"competent": True})
    orenburg.complete("draft_answer", "exec_orb_roads", DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", "exec_orb_roads", PUBLISH)
    with orenburg.db.session() as session:
        after = report_view(session, "supervisor", "orenburg", "2025-11")
        december = build_summary(session, "orenburg", "2025-12")
    assert after.summary.open_cases == 1 and after.summary.answered == 1  # the snapshot, as sent
    assert after.live is not None and after.live.answered == 2 and after.live.open_cases == 0
    assert after.changes["answered"] == 2 and after.changes["open_cases"] == 0
    # The draft deadline (п. 9) was armed only when the agency accepted, already past: a breach that
    # fell due on 28 November, found in December. The live November moves; the snapshot does not.
    assert after.summary.violations == 0 and after.changes["violations"] == 1 and after.changes["clause:9"] == 1
    # The answer deadline (п. 8) fell due on Monday 1 December at 11:00: December's, never November's.
    assert "clause:8" not in after.changes and december.by_clause["8"] == 1


def test_freezing_is_refused_for_an_open_period_a_second_time_and_for_others(orenburg) -> None:  # type: ignore[no-untyped-def]
    late_draft(orenburg, 12)
    with orenburg.db.session() as session:
        with pytest.raises(Conflict):
            freeze(session, "orenburg", "2025-11")  # the virtual clock is still in November
    orenburg.at("2025-12-02T10:00")
    with orenburg.db.session() as session:
        with pytest.raises(Forbidden):
            freeze_for(session, "curator", "orenburg", "2025-11")  # the curator compiles, does not close
        with pytest.raises(Forbidden):
            freeze_for(session, "exec_orb_roads", "orenburg", "2025-11")
        freeze(session, "orenburg", "2025-11")  # the scheduler's one call
        with pytest.raises(Conflict):
            freeze_for(session, "supervisor", "orenburg", "2025-11")
        [row] = session.scalars(select(FrozenReport))
        assert row.frozen_by == "system" and row.snapshot["by_clause"] == {"9": 1}


def test_a_snapshot_reads_back_as_the_same_summary(orenburg) -> None:  # type: ignore[no-untyped-def]
    late_draft(orenburg, 12)
    answered_in_time(orenburg, 13)
    with orenburg.db.session() as session:
        summary = build_summary(session, "orenburg", "2025-11")
    assert from_snapshot(to_snapshot(summary)) == summary

