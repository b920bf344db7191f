"""The municipal template (bpmn/templates/municipal.bpmn): it deploys as a template (never run); adopted
for Kalmanka with its defaults it runs the Kalmanka act, and adopted with other parameters it behaves
accordingly (engine.templates).

Cases run in the Kalmanka region (Asia/Barnaul); the ordinary case starts Monday 2025-11-10,
detected 10:00, sent on 10:20, registered 10:40 local time.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.deployment.deployer import Source, deploy, library_forms
from engine.errors import InvalidSubmission, NotFound
from engine.models import Deployment, Task
from engine.runtime import cases as runtime
from engine.templates import adopt
from engine.views.procedure_card import procedure_card
from tests.factories import ROOT, official, organisation
from tests.scenario.driver import Case

TEMPLATE = ROOT / "bpmn" / "templates" / "municipal.bpmn"
TEMPLATE_ID = "municipal_template"
PROCESS = "municipal_template_kalmanka"  # the adopted procedure's default key: <template>_<territory>
OFFICIAL, CLERK, EXEC = "kal_official", "kal_clerk", "exec_kal_roads"
REGISTER = {"registration_number": "СС-5", "agency": "kal_roads"}
DRAFT = {"answer_kind": "answer", "answer_text": "Освещение на улице восстановят 11 ноября."}
PUBLISH = {"decision": "publish", "answer_url": "https://ok.ru/group/1/topic/2"}


@pytest.fixture
def people(db, virtual_clock):  # type: ignore[no-untyped-def]
    """A municipal administration with an authorized official and a supervisor, a reception, two departments."""
    with db.session() as session:
        admin = organisation(session, "kal_admin", "municipality", "kalmanka", "Администрация сельсовета")
        official(session, OFFICIAL, admin, "curator")
        official(session, "kal_supervisor", admin, "supervisor")
        reception = organisation(session, "kal_reception", "reception", "kalmanka", "Приёмная")
        official(session, CLERK, reception, "reception")
        for key in ("kal_housing", "kal_roads"):
            official(session, f"exec_{key}", organisation(session, key, "department", "kalmanka"), "executor")
    return Case(db, virtual_clock, "kalmanka", "Asia/Barnaul")


def install(case: Case, **values: str) -> Deployment:
    """Deploy the template, then adopt it for Kalmanka with some parameters changed."""
    with case.db.session() as session:
        [deployed] = deploy(session, [Source.read(TEMPLATE)], "analyst", extra_forms=library_forms())
        assert deployed.kind == "template"
        return adopt(session, TEMPLATE_ID, "kalmanka", values, "analyst", check_actor=False)


def start(case: Case, detected: str = "2025-11-10T10:00", process: str | None = PROCESS) -> None:
    case.clock.set(case.local(detected))
    with case.db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="kalmanka", network="ok", url="https://ok.ru/group/1/topic/2", author="Мария Иванова",
            text="На улице Ленина третью неделю не горят фонари", posted_at=case.local(detected),
            detected_at=case.local(detected)), OFFICIAL, process_id=process)
        case.instance_id = instance.id


def begin(case: Case) -> None:
    start(case)
    case.at("2025-11-10T10:20")
    case.complete("send_to_reception", OFFICIAL, {"category": "ordinary"})
    case.at("2025-11-10T10:40")
    case.complete("register_at_reception", CLERK, REGISTER)


def test_the_template_itself_never_starts_a_case(people) -> None:  # type: ignore[no-untyped-def]
    with people.db.session() as session:
        deploy(session, [Source.read(TEMPLATE)], "analyst", extra_forms=library_forms())
        row = session.scalar(select(Deployment).where(Deployment.process_id == TEMPLATE_ID))
        assert row is not None and row.kind == "template"
    with pytest.raises(NotFound):
        start(people, process=TEMPLATE_ID)
    with pytest.raises(NotFound):
        start(people, process=None)  # nor is it the territory's procedure


def test_template_adopted_with_the_kalmanka_defaults(people) -> None:  # type: ignore[no-untyped-def]
    deployment = install(people)
    assert (deployment.process_id, deployment.region, deployment.kind) == (PROCESS, "kalmanka", "procedure")
    assert (deployment.template_process_id, deployment.template_version) == (TEMPLATE_ID, 1)
    assert {k: deployment.variables[k] for k in ("routing_hours", "answer_days", "draft_days", "final_days",
                                                  "publisher", "use_reception")} == {
        "routing_hours": "8", "answer_days": "1", "draft_days": "0", "final_days": "7",
        "publisher": "'official'", "use_reception": "True"}
    start(people)
    assert people.due("send_to_reception") == people.local("2025-11-11T10:00")  # 8 working hours, п. 5
    people.complete("send_to_reception", OFFICIAL, {"category": "ordinary"})
    people.at("2025-11-10T10:40")
    people.complete("register_at_reception", CLERK, REGISTER)
    assert people.due("draft_answer") == people.local("2025-11-10T18:00")  # the day of receipt, п. 7
    people.at("2025-11-10T12:00")
    people.complete("draft_answer", EXEC, DRAFT)
    assert people.open_elements() == ["review_answer"]  # publisher = 'official': the official publishes
    people.complete("review_answer", OFFICIAL, PUBLISH)
    assert people.instance().status == "completed"
    people.at("2025-11-25T10:00")
    assert people.violations() == []


def test_template_routing_deadline_fires_routing_hours_after_detection(people) -> None:  # type: ignore[no-untyped-def]
    # п. 5 with the template's routing_hours = 8: detected Monday 10:00 → Tuesday 10:00; the timer fires.
    install(people)
    start(people)
    people.at("2025-11-11T09:59")
    assert people.violations() == []
    people.at("2025-11-11T10:01")
    assert people.violations() == [("5", "routing", people.local("2025-11-11T10:00"))]
    assert [n[0] for n in people.notifications()] == ["supervisor"]
    people.complete("send_to_reception", OFFICIAL, {"category": "ordinary"})  # non-interrupting
    assert people.open_elements() == ["register_at_reception"]


def test_template_direct_routing_deadline_fires_with_its_own_label(people) -> None:  # type: ignore[no-untyped-def]
    install(people, use_reception="false", routing_hours="4")
    start(people)
    people.at("2025-11-10T14:59")  # 4 working hours from 10:00 across lunch → 15:00
    assert people.violations() == []
    people.at("2025-11-10T15:01")
    assert people.violations() == [("5", "direct_routing", people.local("2025-11-10T15:00"))]


def test_template_final_deadline_is_not_armed_after_a_clarification_request(people) -> None:  # type: ignore[no-untyped-def]
    # п. 8 of the model act: «если дается промежуточный ответ» — a clarification request is not one.
    install(people)
    begin(people)
    people.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "clarification", "answer_text": "Уточните номер дома"})
    people.complete("review_answer", OFFICIAL, PUBLISH)
    task = people.task("answer_after_clarification")
    assert (task.organisation_key, task.due_at) == ("kal_roads", None)
    people.at("2025-11-28T10:00")
    assert people.violations() == []
    people.complete("answer_after_clarification", EXEC, DRAFT)
    people.complete("review_answer", OFFICIAL, PUBLISH)
    assert people.instance().status == "completed"


def test_template_default_answer_deadline_is_the_next_working_day(people) -> None:  # type: ignore[no-untyped-def]
    install(people)
    begin(people)
    people.at("2025-11-10T12:00")
    people.complete("draft_answer", EXEC, DRAFT)
    people.at("2025-11-11T17:59")
    assert people.violations() == []
    people.at("2025-11-11T18:01")
    assert people.violations() == [("6", "answer", people.local("2025-11-11T18:00"))]


def test_template_answer_days_parameter_changes_the_deadline(people) -> None:  # type: ignore[no-untyped-def]
    install(people, answer_days="2")
    begin(people)
    people.at("2025-11-10T12:00")
    people.complete("draft_answer", EXEC, DRAFT)
    people.at("2025-11-11T18:01")  # the default deadline has passed: nothing yet
    assert people.violations() == []
    people.at("2025-11-12T17:59")
    assert people.violations() == []
    people.at("2025-11-12T18:01")
    assert people.violations() == [("6", "answer", people.local("2025-11-12T18:00"))]


def test_template_publisher_executor_gives_the_executor_a_publish_task(people) -> None:  # type: ignore[no-untyped-def]
    install(people, publisher="executor")
    begin(people)
    people.at("2025-11-10T12:00")
    people.complete("draft_answer", EXEC, DRAFT)
    assert people.open_elements() == ["approve_answer"]  # the official approves, does not publish
    people.complete("approve_answer", OFFICIAL, {"decision": "rework", "comment": "Укажите дату"})
    people.complete("rework_answer", EXEC, {**DRAFT, "answer_text": "Фонари заменят 11.11"})
    people.complete("approve_answer", OFFICIAL, {"decision": "approve"})
    publish = people.task("publish_answer")
    assert (publish.role, publish.organisation_key) == ("executor", "kal_roads")
    people.complete("publish_answer", EXEC, {"published": True, "answer_url": "https://ok.ru/group/1/topic/2#3"})
    assert people.instance().status == "completed"
    people.at("2025-11-25T10:00")
    assert people.violations() == []


def test_template_interim_answer_then_final_within_final_days(people) -> None:  # type: ignore[no-untyped-def]
    install(people, final_days="3", publisher="executor")
    begin(people)
    people.at("2025-11-10T12:00")
    people.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim"})
    people.complete("approve_answer", OFFICIAL, {"decision": "approve"})
    people.complete("publish_answer", EXEC, {"published": True, "answer_url": "https://ok.ru/group/1/topic/2#3"})
    # 3 working days from Monday 10.11 → Thursday 13.11 18:00.
    assert people.due("draft_final_answer") == people.local("2025-11-13T18:00")
    people.at("2025-11-13T18:01")
    assert people.violations() == [("8", "final", people.local("2025-11-13T18:00"))]  # п. 6 met by the interim answer
    people.complete("draft_final_answer", EXEC, DRAFT)
    people.complete("approve_answer", OFFICIAL, {"decision": "approve"})
    people.complete("publish_answer", EXEC, {"published": True, "answer_url": "https://ok.ru/group/1/topic/2#4"})
    assert people.instance().status == "completed"


def test_template_without_reception_the_official_chooses_the_department(people) -> None:  # type: ignore[no-untyped-def]
    install(people, use_reception="false")
    start(people)
    assert people.open_elements() == ["route_to_department"]
    assert people.due("route_to_department") == people.local("2025-11-11T10:00")
    with pytest.raises(InvalidSubmission) as error:
        people.complete("route_to_department", OFFICIAL, {"category": "ordinary"})
    assert "agency" in error.value.errors
    people.at("2025-11-10T16:30")
    people.complete("route_to_department", OFFICIAL, {"category": "ordinary", "agency": "kal_housing"})
    draft = people.task("draft_answer")
    assert draft.organisation_key == "kal_housing"
    assert people.due("draft_answer") == people.local("2025-11-10T18:00")
    people.at("2025-11-11T18:01")  # п. 6 counts from the routing (registration in the department)
    assert ("6", "answer", people.local("2025-11-11T18:00")) in people.violations()
    with people.db.session() as session:
        elements = set(session.scalars(select(Task.element_id).where(Task.instance_id == people.instance_id)))
    assert "register_at_reception" not in elements


def test_template_not_processed_message_ends_without_tasks(people) -> None:  # type: ignore[no-untyped-def]
    install(people, use_reception="false")
    start(people)
    people.complete("route_to_department", OFFICIAL, {"category": "not_processed"})
    assert people.instance().status == "completed"
    assert people.open_elements() == []
    assert people.notifications() == []


def test_template_repeat_message_answer_reports_measures(people) -> None:  # type: ignore[no-untyped-def]
    install(people, use_reception="false")
    start(people)
    people.complete("route_to_department", OFFICIAL, {"category": "repeat", "repeat_of": "СС-2", "agency": "kal_roads"})
    with pytest.raises(InvalidSubmission) as error:
        people.complete("draft_answer", EXEC, DRAFT)
    assert "measures" in error.value.errors
    people.complete("draft_answer", EXEC, {**DRAFT, "measures": "Заявка в сетевую организацию подана 10.11"})
    assert people.open_elements() == ["review_answer"]


def test_adopted_card_names_and_deadlines_hold_for_any_parameter_value(people) -> None:  # type: ignore[no-untyped-def]
    # Issue 14 leftover: a timer's name said «по умолчанию 8», false in a procedure adopted with 16.
    # The names now state the parameter, the card computes the deadline from the adopted value.
    deployment = install(people, routing_hours="16", answer_days="2", final_days="5")
    with people.db.session() as session:
        xml = session.get(Deployment, deployment.id).bpmn_xml
    card = procedure_card(xml)
    for element_id in ("routing_deadline", "direct_routing_deadline", "answer_deadline", "draft_deadline",
                       "final_deadline"):
        step = card.step(element_id)
        assert "по умолчанию" not in step.name, step.name
        assert step.is_parameter, element_id
    assert "16" in card.step("routing_deadline").deadline_words
    assert "2" in card.step("answer_deadline").deadline_words
    assert "5" in card.step("final_deadline").deadline_words
