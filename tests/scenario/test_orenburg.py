"""Orenburg, decree 156-ук: one scenario per clause, on a virtual clock (Asia/Yekaterinburg).

The case starts Monday 2025-11-10; posted 09:40, detected 10:00 local time.
Working day 09:00–18:00, lunch 13:00–14:00.
"""
from __future__ import annotations

import pytest

from engine.errors import Conflict, Forbidden, InvalidSubmission

ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}
DRAFT = {"answer_kind": "answer", "answer_text": "Ремонт ямы запланирован на 12 ноября."}
PUBLISH = {"published": True, "answer_url": "https://vk.com/wall-1_1?reply=2"}
EXEC = "exec_orb_roads"


def begin(case, **route):  # type: ignore[no-untyped-def]
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.at("2025-11-10T10:10")
    case.complete("route_message", "curator", {**ROUTE, **route})


def draft_approve_publish(case, kind="answer", draft_at="12:00", login=EXEC, draft_element="draft_answer"):  # type: ignore[no-untyped-def]
    case.at(f"2025-11-10T{draft_at}")
    case.complete(draft_element, login, {**DRAFT, "answer_kind": kind})
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", login, PUBLISH)


def test_clause_6_routing_within_30_minutes_of_detection(orenburg) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    assert orenburg.open_elements() == ["route_message"]
    assert orenburg.due("route_message") == orenburg.local("2025-11-10T10:30")
    orenburg.at("2025-11-10T10:29")
    assert orenburg.violations() == []
    orenburg.at("2025-11-10T10:31")
    assert orenburg.violations() == [("6", "routing", orenburg.local("2025-11-10T10:30"))]
    assert orenburg.notifications()[0][0] == "supervisor"
    # Non-interrupting: the case goes on and the curator can still route it.
    orenburg.complete("route_message", "curator", ROUTE)
    assert orenburg.open_elements() == ["accept_message"]
    message = orenburg.message()
    assert (message.topic, message.location, message.importance) == ("roads_transport", ROUTE["location"], "normal")


def test_clause_6_shortened_deadline_moves_draft_and_answer_deadlines(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, answer_hours=5)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    # 5 working hours from 10:00 less the 4 h reserve (п. 9) → 1 working hour → 11:00.
    assert orenburg.due("draft_answer") == orenburg.local("2025-11-10T11:00")
    orenburg.at("2025-11-10T16:01")  # 5 working hours: 10–13 and 14–16
    assert [v[:2] for v in orenburg.violations()] == [("9", "draft"), ("8", "answer")]
    assert orenburg.violations()[1][2] == orenburg.local("2025-11-10T16:00")


def test_clause_7_return_when_not_competent_within_30_minutes(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    assert orenburg.due("accept_message") == orenburg.local("2025-11-10T10:40")
    orenburg.at("2025-11-10T10:45")
    assert orenburg.violations() == []  # only a return is obliged within 30 minutes (test_orenburg_reroute.py)
    orenburg.complete("accept_message", EXEC, {"competent": False, "return_reason": "Дорога муниципальная",
                                                "suggested_agency": "orb_housing"})
    assert orenburg.violations() == [("7", "return", orenburg.local("2025-11-10T10:40"))]
    assert orenburg.open_elements() == ["reroute_message"]
    assert orenburg.due("reroute_message") == orenburg.local("2025-11-10T11:15")
    orenburg.complete("reroute_message", "curator", {**ROUTE, "agency": "orb_housing"})
    assert orenburg.task("accept_message").organisation_key == "orb_housing"


def test_clause_8_answer_published_within_9_working_hours_of_detection(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    # 10:00 + 9 working hours = 10–13, 14–18 (7 h) + 9–11 next day.
    orenburg.at("2025-11-11T10:59")
    assert ("8", "answer") not in [v[:2] for v in orenburg.violations()]
    orenburg.at("2025-11-11T11:01")
    assert ("8", "answer", orenburg.local("2025-11-11T11:00")) in orenburg.violations()


def test_clause_8_happy_path_has_no_violation_and_ends_the_case(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    draft_approve_publish(orenburg)
    assert orenburg.instance().status == "completed"
    assert orenburg.open_elements() == []
    orenburg.at("2025-11-20T10:00")  # long after every deadline: nothing was left armed
    assert orenburg.violations() == []
    assert orenburg.message().status == "closed"
    kinds = orenburg.audit_kinds()
    assert kinds[0] == "started" and kinds.count("completed") == 5 and kinds[-1] == "instance_completed"


def test_clause_9_draft_reaches_curator_4_hours_before_the_deadline(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    # 9 − 4 = 5 working hours from 10:00: 10–13 and 14–16.
    assert orenburg.due("draft_answer") == orenburg.local("2025-11-10T16:00")
    orenburg.at("2025-11-10T16:05")
    assert orenburg.violations() == [("9", "draft", orenburg.local("2025-11-10T16:00"))]


def test_clause_10_approval_within_30_minutes(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.at("2025-11-10T12:50")
    orenburg.complete("draft_answer", EXEC, DRAFT)
    # 12:50 + 30 working minutes: 10 min before lunch, 20 after → 14:20.
    assert orenburg.due("approve_answer") == orenburg.local("2025-11-10T14:20")
    orenburg.at("2025-11-10T14:21")
    assert orenburg.violations() == [("10", "approval", orenburg.local("2025-11-10T14:20"))]


def test_clause_11_rework_within_1_hour_twice(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.at("2025-11-10T11:00")
    orenburg.complete("draft_answer", EXEC, DRAFT)
    # (curator returns at, rework due, executor resubmits at); the second rework straddles lunch.
    for round_, (back, due, again) in enumerate([("11:10", "12:10", "11:50"), ("12:15", "14:15", "14:10")], start=1):
        orenburg.at(f"2025-11-10T{back}")
        orenburg.complete("approve_answer", "curator", {"decision": "rework", "comment": f"Доработать {round_}"})
        assert orenburg.due("rework_answer") == orenburg.local(f"2025-11-10T{due}")
        orenburg.at(f"2025-11-10T{again}")
        orenburg.complete("rework_answer", EXEC, {**DRAFT, "answer_text": f"Версия {round_ + 1}"})
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", EXEC, PUBLISH)
    assert orenburg.instance().status == "completed"
    assert orenburg.violations() == []


def test_clause_11_late_rework_is_a_violation(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.at("2025-11-10T11:00")
    orenburg.complete("draft_answer", EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "rework", "comment": "Уточнить сроки"})
    orenburg.at("2025-11-10T12:01")
    assert orenburg.violations() == [("11", "rework", orenburg.local("2025-11-10T12:00"))]


def test_clause_12_executor_publishes_within_30_minutes_of_approval(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.at("2025-11-10T11:00")
    orenburg.complete("draft_answer", EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    assert orenburg.task("publish_answer").organisation_key == "orb_roads"
    assert orenburg.due("publish_answer") == orenburg.local("2025-11-10T11:30")
    with pytest.raises(InvalidSubmission) as error:
        orenburg.complete("publish_answer", EXEC, {"published": True, "answer_url": "vk wall"})
    assert "answer_url" in error.value.errors
    orenburg.at("2025-11-10T11:31")
    assert orenburg.violations() == [("12", "publication", orenburg.local("2025-11-10T11:30"))]


def test_clause_13_interim_then_final_within_7_working_days_of_posting(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    draft_approve_publish(orenburg, kind="interim")
    assert orenburg.instance().status == "running"
    assert orenburg.open_elements() == ["draft_final_answer"]
    # Posted Mon 10.11 → 7 working days after: 11, 12, 13, 14, 17, 18, 19.11 → 19.11 18:00.
    orenburg.at("2025-11-19T17:59")
    assert orenburg.violations() == []
    orenburg.at("2025-11-19T18:01")
    assert orenburg.violations() == [("13", "final", orenburg.local("2025-11-19T18:00"))]
    orenburg.complete("draft_final_answer", EXEC, {**DRAFT, "answer_kind": "answer"})
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", EXEC, PUBLISH)
    assert orenburg.instance().status == "completed"


def test_clause_14_joint_answer_with_three_agencies(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, co_agencies=["orb_health", "orb_housing"])
    parts = {t.organisation_key: t for t in orenburg.open_tasks()}
    assert sorted(parts) == ["orb_health", "orb_housing"]
    assert {t.element_id for t in parts.values()} == {"prepare_part"}
    assert orenburg.due("prepare_part", "orb_health") == orenburg.local("2025-11-10T12:10")
    orenburg.complete("prepare_part", "exec_orb_health", {"part_text": "Поликлиника работает"}, "orb_health")
    orenburg.at("2025-11-10T12:11")
    assert orenburg.violations() == [("14", "part", orenburg.local("2025-11-10T12:10"))]
    # The executor of one agency cannot deliver another agency's part.
    with pytest.raises(Forbidden):
        orenburg.complete("prepare_part", "exec_orb_health", {"part_text": "x"}, "orb_housing")
    orenburg.complete("prepare_part", "exec_orb_housing", {"part_text": "УК уведомлена"}, "orb_housing")
    compose = orenburg.task("compose_joint_answer")
    assert (compose.role, compose.organisation_key) == ("last_executor", "orb_roads")
    orenburg.complete("compose_joint_answer", EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", EXEC, PUBLISH)
    assert orenburg.instance().status == "completed"


def test_clause_15_repeat_message_answer_reports_measures(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, category="repeat", repeat_of="17")
    orenburg.complete("accept_message", EXEC, {"competent": True})
    with pytest.raises(InvalidSubmission) as error:
        orenburg.complete("draft_answer", EXEC, DRAFT)
    assert "measures" in error.value.errors
    orenburg.complete("draft_answer", EXEC, {**DRAFT, "measures": "Подрядчик выйдет 12.11"})
    assert orenburg.due("approve_answer")


def test_clause_17_threat_is_not_answered_and_is_forwarded(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, category="threat")
    assert orenburg.instance().status == "completed"
    assert orenburg.open_elements() == []
    assert [n[0] for n in orenburg.notifications()] == ["authorities"]
    orenburg.at("2025-11-12T10:00")
    assert orenburg.violations() == []


def test_clause_17_obscene_message_is_not_answered(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, category="obscene")
    assert orenburg.instance().status == "completed"
    assert orenburg.notifications() == []


def test_second_completion_of_the_same_task_is_a_conflict(orenburg) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    task = orenburg.task("route_message")
    from engine.runtime import cases as runtime

    with orenburg.db.session() as session:
        runtime.complete_task(session, task.id, "curator", ROUTE)
    with pytest.raises(Conflict, match="already completed by curator"):
        with orenburg.db.session() as session:
            runtime.complete_task(session, task.id, "curator", ROUTE)
    assert orenburg.open_elements() == ["accept_message"]


@pytest.mark.parametrize("importance, told", [("socially_significant", ["governor"]), ("high", [])])
def test_clause_21_socially_significant_message_is_reported_to_the_governor_at_once(orenburg, importance, told) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, importance=importance)
    assert [n[0] for n in orenburg.notifications()] == told
    assert orenburg.open_elements() == ["accept_message"]  # the answer goes on as usual
