"""Smolensk, order 519-р/адм: one scenario per clause, on a virtual clock (Europe/Moscow).

Most cases start on Monday 2025-11-17: posted 09:20, detected 09:50, routed by the curator at
10:00 local time. Working day 09:00–18:00 Mon–Fri, lunch 13:00–14:00, Russian production
calendar: Saturday 2025-11-01 is a working day shortened to 17:00 (it stands in for Monday
11-03, the eve of the 11-04 holiday), 11-03 and 11-04 are days off.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from engine.errors import Forbidden, InvalidSubmission
from engine.models import Violation
from engine.runtime import cases as runtime
from engine.views import task as taskview

ROUTE = {"agency": "smo_roads", "co_agencies": [], "importance": "normal", "topic": "roads_transport"}
DRAFT = {"answer_kind": "answer", "answer_text": "Ремонт ямы у школы № 5 запланирован на 20 ноября."}
PUBLISH = {"decision": "publish", "answer_url": "https://vk.com/wall-1_1?reply=2"}
EXEC = "exec_smo_roads"
DAY = "2025-11-17"  # Monday, an ordinary working day


@pytest.fixture
def smolensk(db, virtual_clock):  # type: ignore[no-untyped-def]
    """Smolensk officials and the deployed Smolensk procedure; returns a scenario driver."""
    from tests.factories import deploy_files, smolensk_people
    from tests.scenario.driver import Case

    with db.session() as session:
        smolensk_people(session)
        deploy_files(session, "bpmn/smolensk.bpmn")
    return Case(db, virtual_clock, "smolensk", "Europe/Moscow")


def begin(case, routed=f"{DAY}T10:00", **route):  # type: ignore[no-untyped-def]
    """Detect the message 10 minutes before ``routed`` and route it then (п. 2)."""
    detected = datetime.fromisoformat(routed) - timedelta(minutes=10)
    case.start(posted=(detected - timedelta(minutes=30)).isoformat(), detected=detected.isoformat())
    case.at(routed)
    case.complete("route_message", "curator", {**ROUTE, **route})


def accept(case, at=f"{DAY}T10:10", login=EXEC):  # type: ignore[no-untyped-def]
    case.at(at)
    case.complete("accept_message", login, {"competent": True})


def charged(case) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """(clause, organisation charged) of each violation of the case, in the order recorded."""
    with case.db.session() as session:
        return [(v.clause, v.organisation_key) for v in session.scalars(
            select(Violation).where(Violation.instance_id == case.instance_id).order_by(Violation.id))]


def inbox(case, login):  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        return sorted((t.element_id, t.organisation_key) for t in runtime.inbox(session, login)
                      if t.instance_id == case.instance_id)


def test_clause_2_curator_routes_to_the_competent_agency(smolensk) -> None:  # type: ignore[no-untyped-def]
    smolensk.start(posted=f"{DAY}T09:40", detected=f"{DAY}T09:50")
    route = smolensk.task("route_message")
    assert (route.role, route.organisation_key) == ("curator", None)
    with pytest.raises(Forbidden):  # routing is the curator's (п. 2), not an executor's
        smolensk.complete("route_message", EXEC, ROUTE)
    with pytest.raises(InvalidSubmission) as error:
        smolensk.complete("route_message", "curator", {"importance": "normal"})
    assert "agency" in error.value.errors
    smolensk.at(f"{DAY}T10:00")
    smolensk.complete("route_message", "curator", ROUTE)
    assert smolensk.open_elements() == ["accept_message"]
    task = smolensk.task("accept_message")
    assert (task.role, task.organisation_key) == ("executor", "smo_roads")
    # Only the competent agency's executor sees it and may act on it.
    assert inbox(smolensk, EXEC) == [("accept_message", "smo_roads")]
    assert inbox(smolensk, "exec_smo_health") == []
    with pytest.raises(Forbidden):
        smolensk.complete("accept_message", "exec_smo_health", {"competent": True})
    smolensk.complete("accept_message", EXEC, {"competent": True})
    assert smolensk.open_elements() == ["draft_answer"]
    assert smolensk.task("draft_answer").organisation_key == "smo_roads"
    assert smolensk.message().importance == "normal"
    assert smolensk.violations() == []


def test_clause_5_a_late_return_is_charged_to_the_agency_that_returns(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, routed=f"{DAY}T12:50")
    # 12:50 + 30 working minutes: 10 before lunch, 20 after → 14:20; the act obliges a RETURN by then,
    # so nothing is charged while the agency has not decided.
    smolensk.at(f"{DAY}T14:25")
    assert smolensk.violations() == []
    # A return needs its justification (п. 5); the competent agency is optional.
    with pytest.raises(InvalidSubmission) as error:
        smolensk.complete("accept_message", EXEC, {"competent": False})
    assert "return_reason" in error.value.errors
    smolensk.complete("accept_message", EXEC, {"competent": False, "return_reason": "Медицинская помощь — не дороги",
                                                "suggested_agency": "smo_health"})
    assert smolensk.violations() == [("5", "return", smolensk.local(f"{DAY}T14:20"))]
    assert charged(smolensk) == [("5", "smo_roads")]
    assert smolensk.open_elements() == ["reroute_message"]
    assert smolensk.task("reroute_message").role == "curator"
    smolensk.at(f"{DAY}T14:40")
    smolensk.complete("reroute_message", "curator", {"agency": "smo_health"})
    assert smolensk.task("accept_message").organisation_key == "smo_health"
    assert inbox(smolensk, EXEC) == []
    with pytest.raises(Forbidden):
        smolensk.complete("accept_message", EXEC, {"competent": True})
    # The new agency has its own 30 minutes from receipt (14:40 → 15:10) and returns in time.
    smolensk.at(f"{DAY}T15:09")
    smolensk.complete("accept_message", "exec_smo_health", {"competent": False, "return_reason": "Не наше"})
    smolensk.at(f"{DAY}T15:20")
    smolensk.complete("reroute_message", "curator", {"agency": "smo_edu"})
    smolensk.at(f"{DAY}T16:30")  # an hour later: competent, so no return was due (п. 5)
    smolensk.complete("accept_message", "exec_smo_edu", {"competent": True})
    assert smolensk.task("draft_answer").organisation_key == "smo_edu"
    assert charged(smolensk) == [("5", "smo_roads")]


@pytest.mark.parametrize("returned, late", [("10:29", False), ("10:30", False), ("10:31", True)])
def test_clause_5_return_just_before_and_after_the_30_minutes(smolensk, returned, late) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    smolensk.at(f"{DAY}T{returned}")
    smolensk.complete("accept_message", EXEC, {"competent": False, "return_reason": "Не наша компетенция"})
    smolensk.at(f"{DAY}T12:00")
    assert smolensk.violations() == ([("5", "return", smolensk.local(f"{DAY}T10:30"))] if late else [])
    assert smolensk.open_elements() == ["reroute_message"]


def test_clause_6_after_rerouting_the_8_hours_count_from_the_reroute(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    smolensk.at(f"{DAY}T10:20")
    smolensk.complete("accept_message", EXEC, {"competent": False, "return_reason": "Вопрос здравоохранения"})
    smolensk.at(f"{DAY}T11:00")
    smolensk.complete("reroute_message", "curator", {"agency": "smo_health"})
    smolensk.at(f"{DAY}T11:15")
    smolensk.complete("accept_message", "exec_smo_health", {"competent": True})
    # 11:00 + 8 working hours: 11–13 (2), 14–18 (4), Tue 09–11 (2) → Tue 11:00 (not Tue 10:00 as from 10:00).
    assert smolensk.due("draft_answer") == smolensk.local("2025-11-18T11:00")
    smolensk.at("2025-11-18T10:59")
    assert smolensk.violations() == []
    smolensk.at("2025-11-18T11:01")
    assert smolensk.violations() == [("6", "draft", smolensk.local("2025-11-18T11:00"))]
    assert charged(smolensk) == [("6", "smo_health")]


def test_clause_6_draft_within_8_working_hours_over_the_weekend(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, routed="2025-11-14T15:00")  # Friday
    accept(smolensk, at="2025-11-14T15:20")
    # Fri 15–18 (3), Mon 09–13 (4), 14–15 (1) → Monday 15:00; counted from receipt, not acceptance.
    assert smolensk.due("draft_answer") == smolensk.local("2025-11-17T15:00")
    smolensk.at("2025-11-17T14:59")
    assert smolensk.violations() == []
    smolensk.at("2025-11-17T15:01")
    assert smolensk.violations() == [("6", "draft", smolensk.local("2025-11-17T15:00"))]
    # Non-interrupting: the late draft still goes to the curator.
    smolensk.complete("draft_answer", EXEC, DRAFT)
    assert smolensk.open_elements() == ["review_answer"]


def test_clause_6_draft_deadline_across_lunch_ends_at_18(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, routed=f"{DAY}T09:00")
    accept(smolensk, at=f"{DAY}T09:05")
    # 09–13 (4) and 14–18 (4): the lunch hour does not count.
    assert smolensk.due("draft_answer") == smolensk.local(f"{DAY}T18:00")
    smolensk.at(f"{DAY}T17:59")
    assert smolensk.violations() == []
    smolensk.at(f"{DAY}T18:01")
    assert smolensk.violations() == [("6", "draft", smolensk.local(f"{DAY}T18:00"))]


def test_clause_6_draft_deadline_over_shortened_saturday_and_holidays(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, routed="2025-11-01T14:00")  # working Saturday, shortened to 17:00
    accept(smolensk, at="2025-11-01T14:10")
    # Sat 14–17 (3), Mon 11-03 and Tue 11-04 off, Wed 09–13 (4), 14–15 (1) → Wed 15:00.
    assert smolensk.due("draft_answer") == smolensk.local("2025-11-05T15:00")
    smolensk.at("2025-11-05T14:59")
    assert smolensk.violations() == []
    smolensk.at("2025-11-05T15:01")
    assert smolensk.violations() == [("6", "draft", smolensk.local("2025-11-05T15:00"))]


def test_clause_7_the_draft_goes_to_the_curator(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    accept(smolensk)
    with pytest.raises(Forbidden):
        smolensk.complete("draft_answer", "exec_smo_health", DRAFT)
    with pytest.raises(InvalidSubmission) as error:
        smolensk.complete("draft_answer", EXEC, {"answer_kind": "answer"})
    assert "answer_text" in error.value.errors
    smolensk.at(f"{DAY}T11:00")
    smolensk.complete("draft_answer", EXEC, DRAFT)
    assert smolensk.open_elements() == ["review_answer"]
    review = smolensk.task("review_answer")
    assert (review.role, review.organisation_key) == ("curator", None)
    assert inbox(smolensk, "curator") == [("review_answer", None)]
    assert inbox(smolensk, EXEC) == []
    with pytest.raises(Forbidden):  # the executor does not publish in Smolensk
        smolensk.complete("review_answer", EXEC, PUBLISH)


def test_clause_8_curator_publishes_or_returns_within_1_working_hour(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    accept(smolensk)
    smolensk.at(f"{DAY}T12:30")
    smolensk.complete("draft_answer", EXEC, DRAFT)
    # 12:30 + 1 working hour: 30 min before lunch, 30 after → 14:30.
    assert smolensk.due("review_answer") == smolensk.local(f"{DAY}T14:30")
    smolensk.at(f"{DAY}T14:29")
    assert smolensk.violations() == []
    smolensk.at(f"{DAY}T14:31")
    assert smolensk.violations() == [("8", "review", smolensk.local(f"{DAY}T14:30"))]
    with pytest.raises(InvalidSubmission) as error:
        smolensk.complete("review_answer", "curator", {"decision": "publish", "answer_url": "vk wall"})
    assert "answer_url" in error.value.errors
    smolensk.complete("review_answer", "curator", PUBLISH)
    assert smolensk.instance().status == "completed"


def test_clause_8_review_deadline_over_shortened_day_and_holidays(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, routed="2025-11-01T10:00")
    accept(smolensk, at="2025-11-01T10:10")
    smolensk.at("2025-11-01T16:30")
    smolensk.complete("draft_answer", EXEC, DRAFT)
    # Sat 16:30–17:00 (shortened day), then 11-03 and 11-04 off → Wed 09:30.
    assert smolensk.due("review_answer") == smolensk.local("2025-11-05T09:30")
    smolensk.at("2025-11-05T09:29")
    assert smolensk.violations() == []
    smolensk.at("2025-11-05T09:31")
    assert smolensk.violations() == [("8", "review", smolensk.local("2025-11-05T09:30"))]


def test_clause_8_happy_path_has_no_violation_and_ends_the_case(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    accept(smolensk)
    smolensk.at(f"{DAY}T15:00")
    smolensk.complete("draft_answer", EXEC, DRAFT)
    smolensk.at(f"{DAY}T15:40")
    smolensk.complete("review_answer", "curator", PUBLISH)
    assert smolensk.instance().status == "completed"
    assert smolensk.open_elements() == []
    smolensk.at("2025-11-28T10:00")  # long after every deadline: nothing was left armed
    assert smolensk.violations() == []
    assert smolensk.notifications() == []
    assert smolensk.message().status == "closed"
    kinds = smolensk.audit_kinds()
    assert kinds[0] == "started" and kinds.count("completed") == 4 and kinds[-1] == "instance_completed"


def test_clause_9_rework_within_1_working_hour_twice(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    accept(smolensk)
    smolensk.at(f"{DAY}T16:50")
    smolensk.complete("draft_answer", EXEC, DRAFT)
    # (curator returns at, rework due, executor resubmits at): the first is returned at 17:30
    # and is due the next morning (30 min on Monday, 30 on Tuesday); the second one on Tuesday.
    rounds = [(f"{DAY}T17:30", "2025-11-18T09:30", "2025-11-18T09:20"),
              ("2025-11-18T10:10", "2025-11-18T11:10", "2025-11-18T11:00")]
    for number, (back, due, again) in enumerate(rounds, start=1):
        smolensk.at(back)
        with pytest.raises(InvalidSubmission) as error:
            smolensk.complete("review_answer", "curator", {"decision": "rework"})
        assert "comment" in error.value.errors
        smolensk.complete("review_answer", "curator", {"decision": "rework", "comment": f"Доработать {number}"})
        assert smolensk.open_elements() == ["rework_answer"]
        assert smolensk.task("rework_answer").organisation_key == "smo_roads"
        assert smolensk.due("rework_answer") == smolensk.local(due)
        smolensk.at(again)
        smolensk.complete("rework_answer", EXEC, {**DRAFT, "answer_text": f"Версия {number + 1}"})
        assert smolensk.open_elements() == ["review_answer"]
        # Each resubmission gives the curator a fresh working hour (п. 8).
        assert smolensk.due("review_answer") == smolensk.local(again) + timedelta(hours=1)
    smolensk.complete("review_answer", "curator", PUBLISH)
    assert smolensk.instance().status == "completed"
    assert smolensk.violations() == []


def test_clause_9_late_rework_is_a_violation(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    accept(smolensk)
    smolensk.at(f"{DAY}T11:00")
    smolensk.complete("draft_answer", EXEC, DRAFT)
    smolensk.at(f"{DAY}T11:20")
    smolensk.complete("review_answer", "curator", {"decision": "rework", "comment": "Уточнить сроки ремонта"})
    assert smolensk.due("rework_answer") == smolensk.local(f"{DAY}T12:20")
    smolensk.at(f"{DAY}T12:19")
    assert smolensk.violations() == []
    smolensk.at(f"{DAY}T12:21")
    assert smolensk.violations() == [("9", "rework", smolensk.local(f"{DAY}T12:20"))]
    assert charged(smolensk) == [("9", "smo_roads")]


def test_clause_10_several_agencies_send_parts_and_the_curator_composes(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, co_agencies=["smo_health", "smo_edu"])
    accept(smolensk)
    tasks = {(t.element_id, t.organisation_key) for t in smolensk.open_tasks()}
    assert tasks == {("prepare_own_part", "smo_roads"), ("prepare_part", "smo_health"), ("prepare_part", "smo_edu")}
    # Every part is due 8 working hours after receipt from the curator (п. 6): Tue 10:00.
    for element, org in tasks:
        assert smolensk.due(element, org) == smolensk.local("2025-11-18T10:00")
    assert inbox(smolensk, "exec_smo_health") == [("prepare_part", "smo_health")]
    # An executor of one agency cannot deliver another agency's part.
    with pytest.raises(Forbidden):
        smolensk.complete("prepare_part", "exec_smo_health", {"part_text": "x"}, "smo_edu")
    with pytest.raises(Forbidden):
        smolensk.complete("prepare_own_part", "exec_smo_health", {"part_text": "x"}, "smo_roads")
    smolensk.at(f"{DAY}T15:00")
    smolensk.complete("prepare_own_part", EXEC, {"part_text": "Яма будет отремонтирована 20.11"})
    smolensk.complete("prepare_part", "exec_smo_health", {"part_text": "Травмпункт работает круглосуточно"},
                      "smo_health")
    assert smolensk.open_elements() == ["prepare_part"]  # the curator waits for every part
    smolensk.at("2025-11-18T10:01")
    assert smolensk.violations() == [("6", "part", smolensk.local("2025-11-18T10:00"))]
    assert charged(smolensk) == [("6", "smo_edu")]
    smolensk.complete("prepare_part", "exec_smo_edu", {"part_text": "Школа № 5 предупреждена"}, "smo_edu")
    assert smolensk.open_elements() == ["compose_joint_answer"]
    compose = smolensk.task("compose_joint_answer")
    assert (compose.role, compose.organisation_key) == ("curator", None)
    # The curator's task page shows every agency's part to compose from.
    with smolensk.db.session() as session:
        view = taskview.task_view(session, compose.id, "curator")
        own = {item.key: item.value for item in view.case_items}["part_text"]
        parts = {part.item: part.items[0].value for part in view.parts}
    assert own == "Яма будет отремонтирована 20.11"
    assert parts == {"smo_health": "Травмпункт работает круглосуточно", "smo_edu": "Школа № 5 предупреждена"}
    with pytest.raises(Forbidden):  # the joint answer is the curator's (п. 10), not the last executor's
        smolensk.complete("compose_joint_answer", EXEC, {"answer_text": "x", "answer_url": PUBLISH["answer_url"]})
    smolensk.complete("compose_joint_answer", "curator",
                      {"answer_text": "Общий ответ трёх органов", "answer_url": PUBLISH["answer_url"]})
    assert smolensk.instance().status == "completed"
    assert smolensk.open_elements() == []
    assert len(smolensk.violations()) == 1


def test_clause_10_late_own_part_of_the_primary_agency_is_a_violation(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk, co_agencies=["smo_edu"])
    accept(smolensk)
    smolensk.complete("prepare_part", "exec_smo_edu", {"part_text": "Школа № 5 предупреждена"}, "smo_edu")
    smolensk.at("2025-11-18T09:59")
    assert smolensk.violations() == []
    smolensk.at("2025-11-18T10:01")
    assert smolensk.violations() == [("6", "own_part", smolensk.local("2025-11-18T10:00"))]
    assert charged(smolensk) == [("6", "smo_roads")]


def test_clause_13_violations_name_the_agency_for_its_supervising_deputy_governor(smolensk) -> None:  # type: ignore[no-untyped-def]
    begin(smolensk)
    smolensk.at(f"{DAY}T10:31")
    smolensk.complete("accept_message", EXEC, {"competent": False, "return_reason": "Не наше"})  # п. 5 missed
    smolensk.complete("reroute_message", "curator", {"agency": "smo_health"})
    accept(smolensk, at=f"{DAY}T10:40", login="exec_smo_health")
    smolensk.at("2025-11-18T10:32")  # draft deadline Tue 10:31 (8 working hours from the reroute) missed
    assert smolensk.violations() == [("5", "return", smolensk.local(f"{DAY}T10:30")),
                                      ("6", "draft", smolensk.local("2025-11-18T10:31"))]
    # п. 13: the curator tells the deputy governor supervising THAT agency: each violation names it.
    assert charged(smolensk) == [("5", "smo_roads"), ("6", "smo_health")]
    assert "violation" in smolensk.audit_kinds() and "notified" in smolensk.audit_kinds()


@pytest.mark.parametrize("importance, told", [("significant", ["governor"]), ("normal", [])])
def test_clause_15_acutely_significant_message_is_reported_to_the_governor_at_once(  # type: ignore[no-untyped-def]
        smolensk, importance, told) -> None:
    begin(smolensk, importance=importance)
    # At the moment of routing, before any executor acts.
    assert [n[0] for n in smolensk.notifications()] == told
    if told:
        assert "п. 15" in smolensk.notifications()[0][2]
    assert smolensk.message().importance == importance
    assert smolensk.open_elements() == ["accept_message"]  # the answer goes on as usual
    accept(smolensk)
    smolensk.complete("draft_answer", EXEC, DRAFT)
    smolensk.complete("review_answer", "curator", PUBLISH)
    assert smolensk.instance().status == "completed"
    assert smolensk.violations() == []
