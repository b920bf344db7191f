"""The Orenburg diagram with its deadlines in seconds, for tests whose processes read the real clock.

The crash test runs gunicorn and ``otklik worker`` as subprocesses; they cannot share the
test's virtual clock. So the test deploys bpmn/orenburg.bpmn (read at test time, so it stays
the real diagram) with each timer's expression replaced by a bare ISO duration, which the
engine reads as calendar time from arming: a task left open 2 s misses its deadline and the
worker fires its timer while the load runs.
"""
from __future__ import annotations

import re

from tests.factories import ROOT

ORENBURG = ROOT / "bpmn" / "orenburg.bpmn"
# Boundary timers of the steps the load drives fall due after 2–3 s; the case-wide answer
# deadline (п. 8) after 6 s; the final-answer deadline (interim answers only) never in a test.
DURATIONS = {
    "routing_deadline_timer": "PT2S", "return_deadline_timer": "PT2S", "draft_deadline_timer": "PT3S",
    "approval_deadline_timer": "PT2S", "publication_deadline_timer": "PT2S", "answer_deadline_timer": "PT6S",
    "part_deadline_timer": "PT3S", "joint_draft_deadline_timer": "PT3S", "rerouting_deadline_timer": "PT2S",
    "rework_deadline_timer": "PT3S", "final_deadline_timer": "PT1H",
    "late_return_timer": "PT1S",  # armed only when a return comes after its deadline (due already)
}
LONGEST_SECONDS = 6  # of the timers a test run can reach
_TIMER = re.compile(r'(<bpmn:timerEventDefinition id="(\w+)">\s*<bpmn:timeDate xsi:type="bpmn:tFormalExpression">)'
                    r'[^<]*(</bpmn:timeDate>)')
_BOUNDARY = re.compile(r'<bpmn:boundaryEvent id="(\w+)"[^>]*attachedToRef="(\w+)"')


def fast_orenburg() -> bytes:
    """bpmn/orenburg.bpmn with every timer replaced by its duration from DURATIONS."""
    text = ORENBURG.read_text(encoding="utf-8")
    seen: list[str] = []

    def replace(match: re.Match[str]) -> str:
        seen.append(match.group(2))
        return match.group(1) + DURATIONS[match.group(2)] + match.group(3)

    text = _TIMER.sub(replace, text)
    # A timer we did not replace would fall due days later and hide a lost firing.
    assert sorted(seen) == sorted(DURATIONS), f"timers changed in orenburg.bpmn: {sorted(seen)}"
    return text.encode("utf-8")


def boundary_timers() -> dict[str, str]:
    """User task element id → the id of the boundary timer guarding it."""
    return {task: event for event, task in _BOUNDARY.findall(ORENBURG.read_text(encoding="utf-8"))}



_FLOW = re.compile(r'<bpmn:sequenceFlow id="\w+"[^>]*sourceRef="(\w+)" targetRef="(\w+)"')
_END = re.compile(r'<bpmn:endEvent id="(\w+)"')


def timers_recording_nothing() -> set[str]:
    """Timers whose flow ends at once, recording no violation: п. 7's return_deadline only shows the due
    time (a breach is a late *return*, recorded through late_return when it happens)."""
    text = ORENBURG.read_text(encoding="utf-8")
    ends = set(_END.findall(text))
    timers = set(re.findall(r'<bpmn:timerEventDefinition id="(\w+)_timer"', text))
    return {source for source, target in _FLOW.findall(text) if source in timers and target in ends}
