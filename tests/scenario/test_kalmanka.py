"""Kalmansky district (Altai Krai), draft resolution of 2020: one scenario per clause, on a virtual
clock in Asia/Barnaul (UTC+7).

The ordinary case starts Monday 2025-11-10: posted 09:30, detected 10:00 local time; working day
09:00–18:00, lunch 13:00–14:00. Other dates exercise the production calendar: Friday → Monday,
the working Saturday 2025-11-01 (shortened to 17:00 before the 3–4 November days off).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Forbidden, InvalidSubmission
from engine.models import Task
from engine.runtime import cases as runtime
from tests.factories import deploy_files, official, organisation
from tests.scenario.driver import Case

OFFICIAL = "kal_official"  # уполномоченное должностное лицо (curator role)
CLERK = "kal_clerk"  # приёмная администрации района (reception role)
EXEC = "exec_kal_roads"
ROUTE = {"category": "ordinary"}
REGISTER = {"registration_number": "КР-2025/117", "agency": "kal_roads"}
DRAFT = {"answer_kind": "answer", "answer_text": "Яму засыплют щебнем до 12 ноября."}
PUBLISH = {"decision": "publish", "answer_url": "https://vk.com/wall-1_1?reply=2"}


@pytest.fixture
def kalmanka(db, virtual_clock):  # type: ignore[no-untyped-def]
    """The district administration (authorized official, supervisor), its reception, two departments
    with an executor each, a reception official of another region; the deployed Kalmanka procedure."""
    with db.session() as session:
        admin = organisation(session, "kal_admin", "municipality", "kalmanka", "Администрация Калманского района")
        official(session, OFFICIAL, admin, "curator")
        official(session, "kal_supervisor", admin, "supervisor")
        reception = organisation(session, "kal_reception", "reception", "kalmanka", "Приёмная администрации района")
        official(session, CLERK, reception, "reception")
        for key, name in (("kal_housing", "Комитет по ЖКХ"), ("kal_roads", "Отдел дорожного хозяйства")):
            department = organisation(session, key, "department", "kalmanka", name)
            official(session, f"exec_{key}", department, "executor")
        elsewhere = organisation(session, "orb_reception", "reception", "orenburg", "Приёмная (Оренбург)")
        official(session, "orb_clerk", elsewhere, "reception")
        deploy_files(session, "bpmn/kalmanka.bpmn")
    return Case(db, virtual_clock, "kalmanka", "Asia/Barnaul")


def begin(case: Case, day: str = "2025-11-10", detected: str = "10:00", routed: str = "10:20",
          registered: str = "10:40", **route) -> None:  # type: ignore[no-untyped-def]
    """Detected, sent to the reception, registered there and sent to the roads department."""
    case.start(posted=f"{day}T{detected}", detected=f"{day}T{detected}")
    case.at(f"{day}T{routed}")
    case.complete("send_to_reception", OFFICIAL, {**ROUTE, **route})
    case.at(f"{day}T{registered}")
    case.complete("register_at_reception", CLERK, REGISTER)


def all_elements(case: Case) -> list[str]:
    with case.db.session() as session:
        return sorted(session.scalars(select(Task.element_id).where(Task.instance_id == case.instance_id)))


def test_clause_4_authorized_official_routes_and_publishes_happy_path(kalmanka) -> None:  # type: ignore[no-untyped-def]
    kalmanka.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00")
    routing = kalmanka.task("send_to_reception")
    assert (routing.role, routing.organisation_key) == ("curator", None)
    kalmanka.at("2025-11-10T10:20")
    kalmanka.complete("send_to_reception", OFFICIAL, ROUTE)
    registration = kalmanka.task("register_at_reception")
    assert (registration.role, registration.organisation_key) == ("reception", None)
    kalmanka.at("2025-11-10T10:40")
    kalmanka.complete("register_at_reception", CLERK, REGISTER)
    draft = kalmanka.task("draft_answer")
    assert (draft.role, draft.organisation_key) == ("executor", "kal_roads")
    kalmanka.at("2025-11-10T14:00")
    kalmanka.complete("draft_answer", EXEC, DRAFT)
    review = kalmanka.task("review_answer")
    assert (review.role, review.organisation_key) == ("curator", None)
    kalmanka.at("2025-11-10T15:00")
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "completed"
    assert kalmanka.open_elements() == []
    kalmanka.at("2025-11-25T10:00")  # long after every deadline: nothing was left armed
    assert kalmanka.violations() == []
    assert kalmanka.notifications() == []
    assert kalmanka.message().status == "closed"
    kinds = kalmanka.audit_kinds()
    assert kinds[0] == "started" and kinds.count("completed") == 4 and kinds[-1] == "instance_completed"


def test_clause_5_sent_on_by_the_end_of_the_working_day_of_detection(kalmanka) -> None:  # type: ignore[no-untyped-def]
    # «в течение рабочего дня» read as the act reads days (пп. 6, 7): the end of the day of detection,
    # not 8 working hours (which would run to Tuesday 10:00).
    kalmanka.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00")
    assert kalmanka.open_elements() == ["send_to_reception"]
    assert kalmanka.due("send_to_reception") == kalmanka.local("2025-11-10T18:00")
    kalmanka.at("2025-11-10T17:59")
    assert kalmanka.violations() == []
    kalmanka.at("2025-11-10T18:01")
    assert kalmanka.violations() == [("5", "routing", kalmanka.local("2025-11-10T18:00"))]
    assert [n[0] for n in kalmanka.notifications()] == ["supervisor"]
    # Non-interrupting: the official can still send it on.
    kalmanka.complete("send_to_reception", OFFICIAL, ROUTE)
    assert kalmanka.open_elements() == ["register_at_reception"]


@pytest.mark.parametrize("detected, due", [
    ("2025-11-14T16:00", "2025-11-14T18:00"),  # Friday afternoon: the same Friday, not Monday
    ("2025-11-14T18:30", "2025-11-17T18:00"),  # after hours on Friday: the next working day, Monday
    ("2025-11-01T09:30", "2025-11-01T17:00"),  # the working Saturday, shortened before 3–4 November
], ids=["friday-afternoon", "after-hours", "shortened-saturday"])
def test_clause_5_working_day_of_detection_follows_the_production_calendar(kalmanka, detected, due) -> None:  # type: ignore[no-untyped-def]
    kalmanka.start(posted=detected, detected=detected)
    assert kalmanka.due("send_to_reception") == kalmanka.local(due)


def test_clauses_4_6_sent_straight_to_a_department_the_answer_counts_from_sending(kalmanka) -> None:  # type: ignore[no-untyped-def]
    # п. 4: «направление их в администрацию района или структурное подразделение»; п. 6: «с момента
    # регистрации в приемной администрации района или структурном подразделении».
    kalmanka.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00")
    with pytest.raises(InvalidSubmission) as error:
        kalmanka.complete("send_to_reception", OFFICIAL, {**ROUTE, "destination": "department"})
    assert "agency" in error.value.errors  # the department is chosen by the official
    kalmanka.at("2025-11-10T16:30")
    kalmanka.complete("send_to_reception", OFFICIAL, {**ROUTE, "destination": "department", "agency": "kal_housing"})
    draft = kalmanka.task("draft_answer")
    assert (draft.role, draft.organisation_key) == ("executor", "kal_housing")
    assert kalmanka.due("draft_answer") == kalmanka.local("2025-11-10T18:00")  # п. 7: the day of receipt
    kalmanka.at("2025-11-11T17:59")
    assert ("6", "answer") not in [v[:2] for v in kalmanka.violations()]
    kalmanka.at("2025-11-11T18:01")  # п. 6: the end of the working day after the sending, Tuesday
    assert ("6", "answer", kalmanka.local("2025-11-11T18:00")) in kalmanka.violations()
    assert "register_at_reception" not in all_elements(kalmanka)  # the reception never got it


def test_clause_5_reception_of_another_region_cannot_see_or_complete_the_task(kalmanka) -> None:  # type: ignore[no-untyped-def]
    kalmanka.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00")
    kalmanka.complete("send_to_reception", OFFICIAL, ROUTE)
    task = kalmanka.task("register_at_reception")
    with kalmanka.db.session() as session:
        assert task.id in [t.id for t in runtime.inbox(session, CLERK)]
        assert task.id not in [t.id for t in runtime.inbox(session, "orb_clerk")]
        assert task.id not in [t.id for t in runtime.inbox(session, EXEC)]
    for login in ("orb_clerk", OFFICIAL, EXEC):
        with pytest.raises(Forbidden):
            kalmanka.complete("register_at_reception", login, REGISTER)
    with pytest.raises(InvalidSubmission) as error:
        kalmanka.complete("register_at_reception", CLERK, {"agency": "kal_roads"})
    assert "registration_number" in error.value.errors
    kalmanka.complete("register_at_reception", CLERK, REGISTER)
    assert kalmanka.open_elements() == ["draft_answer"]


def test_clause_6_answer_by_the_end_of_the_next_working_day_friday_to_monday(kalmanka) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka, day="2025-11-14", detected="10:30", routed="11:00", registered="17:00")
    # Registered Friday 17:00 → the next working day is Monday 17.11, until 18:00.
    kalmanka.at("2025-11-17T17:59")
    assert ("6", "answer") not in [v[:2] for v in kalmanka.violations()]
    kalmanka.at("2025-11-17T18:01")
    assert kalmanka.violations() == [("7", "draft", kalmanka.local("2025-11-14T18:00")),
                                     ("6", "answer", kalmanka.local("2025-11-17T18:00"))]
    assert [n[0] for n in kalmanka.notifications()] == ["supervisor", "supervisor"]


def test_clause_6_next_working_day_is_the_shortened_working_saturday(kalmanka) -> None:  # type: ignore[no-untyped-def]
    # Registered Friday 31.10.2025; Saturday 1.11 is a working day, shortened to 17:00 before 3–4 November.
    begin(kalmanka, day="2025-10-31", detected="09:00", routed="09:30", registered="10:00")
    kalmanka.at("2025-10-31T17:00")
    kalmanka.complete("draft_answer", EXEC, DRAFT)
    kalmanka.at("2025-11-01T16:00")
    kalmanka.complete("review_answer", OFFICIAL, {"decision": "rework", "comment": "Укажите срок ремонта"})
    kalmanka.at("2025-11-01T16:59")
    assert kalmanka.violations() == []
    kalmanka.at("2025-11-01T17:01")  # returned for rework, nothing published by the deadline
    assert kalmanka.violations() == [("6", "answer", kalmanka.local("2025-11-01T17:00"))]


def test_clause_6_interim_answer_published_in_time_meets_the_deadline(kalmanka) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka)
    kalmanka.at("2025-11-10T11:00")
    kalmanka.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim"})
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    kalmanka.at("2025-11-10T15:00")
    kalmanka.complete("draft_final_answer", EXEC, DRAFT)
    # The final answer is returned before the п. 6 deadline: that does not un-publish the first answer.
    kalmanka.complete("review_final_answer", OFFICIAL, {"decision": "rework", "comment": "Добавьте фото"})
    kalmanka.at("2025-11-11T18:01")  # п. 6 deadline: Tuesday 11.11 18:00
    assert kalmanka.violations() == []
    assert kalmanka.open_elements() == ["rework_final_answer"]


def test_clause_7_draft_on_the_day_of_receipt(kalmanka) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka)
    assert kalmanka.due("draft_answer") == kalmanka.local("2025-11-10T18:00")
    kalmanka.at("2025-11-10T17:59")
    assert kalmanka.violations() == []
    kalmanka.at("2025-11-10T18:01")
    assert kalmanka.violations() == [("7", "draft", kalmanka.local("2025-11-10T18:00"))]
    # п. 18: the executor's department answers for the draft's timeliness.
    assert kalmanka.notifications()[0][:2] == ("supervisor", "kal_roads")


@pytest.mark.parametrize("day, detected, registered, due", [
    ("2025-11-10", "17:00", "18:30", "2025-11-11T18:00"),  # received after hours → the next working day
    ("2025-11-01", "09:30", "16:30", "2025-11-01T17:00"),  # working Saturday, shortened pre-holiday day
    ("2025-11-14", "12:00", "12:50", "2025-11-14T18:00"),  # before lunch: the end of the same day
], ids=["after-hours", "shortened-saturday", "before-lunch"])
def test_clause_7_day_of_receipt_follows_the_production_calendar(kalmanka, day, detected, registered, due) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka, day=day, detected=detected, routed=detected, registered=registered)
    assert kalmanka.due("draft_answer") == kalmanka.local(due)


def test_clause_7_official_publishes_or_returns_without_own_deadlines(kalmanka) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka)
    kalmanka.at("2025-11-10T11:00")
    kalmanka.complete("draft_answer", EXEC, DRAFT)
    assert kalmanka.task("review_answer").due_at is None  # covered by the п. 6 deadline
    kalmanka.complete("review_answer", OFFICIAL, {"decision": "rework", "comment": "Уточните адрес"})
    rework = kalmanka.task("rework_answer")
    assert (rework.organisation_key, rework.due_at) == ("kal_roads", None)  # no rework deadline in the act
    with pytest.raises(Forbidden):
        kalmanka.complete("rework_answer", "exec_kal_housing", DRAFT)
    kalmanka.complete("rework_answer", EXEC, {**DRAFT, "answer_text": "Версия 2"})
    with pytest.raises(InvalidSubmission) as error:
        kalmanka.complete("review_answer", OFFICIAL, {"decision": "publish", "answer_url": "на стене"})
    assert "answer_url" in error.value.errors
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "completed"
    assert kalmanka.violations() == []


def test_clause_8_final_answer_within_7_working_days_of_the_interim_answer(kalmanka) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka, day="2025-10-30", detected="09:30", routed="09:45", registered="10:00")
    kalmanka.at("2025-10-30T11:00")
    kalmanka.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim"})
    kalmanka.at("2025-10-30T12:00")
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "running"
    assert kalmanka.open_elements() == ["draft_final_answer"]
    # Interim answer Thu 30.10 → 31.10, Sat 1.11 (working), 5, 6, 7, 10, 11.11 (3–4.11 off) → 11.11 18:00.
    assert kalmanka.due("draft_final_answer") == kalmanka.local("2025-11-11T18:00")
    kalmanka.at("2025-11-11T17:59")
    assert kalmanka.violations() == []  # п. 6 was met by the interim answer
    kalmanka.at("2025-11-11T18:01")
    assert kalmanka.violations() == [("8", "final", kalmanka.local("2025-11-11T18:00"))]
    kalmanka.complete("draft_final_answer", EXEC, DRAFT)
    kalmanka.complete("review_final_answer", OFFICIAL, {"decision": "rework", "comment": "Добавьте фото"})
    kalmanka.complete("rework_final_answer", EXEC, {**DRAFT, "answer_text": "Яма засыпана, фото во вложении."})
    kalmanka.complete("review_final_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "completed"
    assert len(kalmanka.violations()) == 1


def test_clause_8_measures_the_preparation_of_the_final_draft_not_its_publication(kalmanka) -> None:  # type: ignore[no-untyped-def]
    # «срок, необходимый для направления окончательного проекта ответа»: the executor hands the final
    # draft over on day 7; the official publishes it two days later — no п. 8 violation for the executor.
    begin(kalmanka, day="2025-10-30", detected="09:30", routed="09:45", registered="10:00")
    kalmanka.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim"})
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    kalmanka.at("2025-11-11T17:00")
    kalmanka.complete("draft_final_answer", EXEC, DRAFT)
    kalmanka.at("2025-11-13T12:00")
    assert kalmanka.violations() == []
    kalmanka.complete("review_final_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "completed"


def test_clause_8_not_armed_after_a_clarification_request(kalmanka) -> None:  # type: ignore[no-untyped-def]
    # п. 8 speaks of «промежуточный ответ» only; п. 7 tells a clarification request apart from it.
    begin(kalmanka)
    kalmanka.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "clarification", "answer_text": "Уточните адрес?"})
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    task = kalmanka.task("answer_after_clarification")
    assert (task.organisation_key, task.due_at) == ("kal_roads", None)
    assert "draft_final_answer" not in kalmanka.open_elements()
    kalmanka.at("2025-11-25T10:00")  # far beyond 7 working days
    assert kalmanka.violations() == []
    kalmanka.complete("answer_after_clarification", EXEC, DRAFT)
    kalmanka.complete("review_final_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "completed"


def test_clause_9_repeat_message_answer_reports_measures(kalmanka) -> None:  # type: ignore[no-untyped-def]
    begin(kalmanka, category="repeat", repeat_of="КР-2025/98")
    assert kalmanka.due("draft_answer") == kalmanka.local("2025-11-10T18:00")  # пп. 6–8 apply as usual
    with pytest.raises(InvalidSubmission) as error:
        kalmanka.complete("draft_answer", EXEC, DRAFT)
    assert "measures" in error.value.errors
    kalmanka.complete("draft_answer", EXEC, {**DRAFT, "measures": "Подрядчик вышел на объект 10.11"})
    kalmanka.complete("review_answer", OFFICIAL, PUBLISH)
    assert kalmanka.instance().status == "completed"


def test_clause_11_threats_or_obscenity_are_not_processed(kalmanka) -> None:  # type: ignore[no-untyped-def]
    kalmanka.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00", text="Угрозы главе района")
    kalmanka.complete("send_to_reception", OFFICIAL, {"category": "not_processed"})
    assert kalmanka.instance().status == "completed"
    assert kalmanka.open_elements() == []
    assert all_elements(kalmanka) == ["send_to_reception"]  # the reception never got it
    assert kalmanka.notifications() == []  # the act has no forwarding clause
    kalmanka.at("2025-11-20T10:00")
    assert kalmanka.violations() == []
