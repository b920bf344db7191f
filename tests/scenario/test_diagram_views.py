"""A case on its diagram (current step, path taken, armed deadlines) and the heatmap of a period."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine.errors import NotFound
from engine.views.heatmap import heatmap
from engine.views.instance import instance_view
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE


def test_instance_view_marks_the_current_step_the_path_and_armed_timers(orenburg) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    orenburg.complete("route_message", "curator", ROUTE)
    message_id = orenburg.message().id
    with orenburg.db.session() as session:
        view = instance_view(session, message_id, "curator")
    assert view.current == ("accept_message",)
    assert {"message_detected", "route_message", "to_route_message"} <= set(view.taken)
    assert "accept_message" not in view.taken
    timers = {t.element_id: t.due_at for t in view.timers}
    assert timers["return_deadline"] == orenburg.local("2025-11-10T10:30")
    assert timers["answer_deadline"] == orenburg.local("2025-11-11T11:00")
    marks = view.markers()
    assert marks["accept_message"] == "marker-current" and marks["return_deadline"] == "marker-armed"
    assert marks["route_message"] == "marker-taken"
    assert (view.process_id, view.version, view.region) == ("orenburg", 1, "orenburg")
    assert 'id="accept_message"' in view.bpmn_xml
    assert [e.kind for e in view.timeline][:2] == ["started", "completed"]


def test_instance_view_is_refused_to_who_may_not_see_the_case(orenburg) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    orenburg.complete("route_message", "curator", ROUTE)
    with orenburg.db.session() as session, pytest.raises(NotFound):
        instance_view(session, orenburg.message().id, "exec_orb_health")  # another agency


def test_heatmap_counts_violations_on_the_late_step_and_median_times(orenburg) -> None:  # type: ignore[no-untyped-def]
    for day in ("10", "11"):
        orenburg.start(posted=f"2025-11-{day}T09:40", detected=f"2025-11-{day}T10:00")
        orenburg.complete("route_message", "curator", ROUTE)
        orenburg.at(f"2025-11-{day}T10:45")  # after 30 minutes, but п. 7 obliges only a return
        orenburg.complete("accept_message", EXEC, {"competent": True})
        orenburg.at(f"2025-11-{day}T16:05")  # 5 min after the п. 9 deadline (16:00); 260 working minutes
        orenburg.complete("draft_answer", EXEC, DRAFT)
        orenburg.complete("approve_answer", "curator", {"decision": "approve"})
        orenburg.complete("publish_answer", EXEC, PUBLISH)
    with orenburg.db.session() as session:
        found = heatmap(session, "orenburg", "2025-11")
        october = heatmap(session, "orenburg", "2025-10")
    assert found.cells["draft_answer"].violations == 2  # the draft_deadline timer is drawn on its task
    assert found.cells["accept_message"].violations == 0 and found.cells["accept_message"].median_minutes == 45
    assert found.cells["draft_answer"].median_minutes == 260 and found.cells["draft_answer"].completed == 2
    assert found.cells["draft_answer"].median == timedelta(minutes=260)  # the page's badge: tests/web/test_presentation.py
    assert october.cells == {}


def test_heatmap_needs_a_deployed_procedure_and_a_valid_period(orenburg) -> None:  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session:
        with pytest.raises(NotFound):
            heatmap(session, "smolensk", "2025-11")
        with pytest.raises(ValueError):
            heatmap(session, "orenburg", "ноябрь")
