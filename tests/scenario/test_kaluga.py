"""Kaluga, Governor's decree No. 28 of 24.01.2020: one scenario per clause, on a virtual clock (Europe/Moscow).

The decree sets no deadlines (the working procedure is in unpublished methodological recommendations,
п. 1.3), so every deadline of bpmn/kaluga.bpmn is a process parameter ``var.<name>`` with a default;
the tests pin each default to the minute and show that changing a default needs no Python.

Calendar used: Fri 31.10.2025; Sat 01.11.2025 is a working Saturday and the shortened pre-holiday day
(09:00–17:00); Mon 03.11 and Tue 04.11 are days off; 31.12.2025–11.01.2026 are days off.
Working day 09:00–18:00, lunch 13:00–14:00.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from engine.bpmn.reader import read_diagram
from engine.deployment.deployer import Source, deploy, library_forms
from engine.errors import Forbidden, InvalidSubmission
from engine.models import Violation
from tests.factories import ROOT, deploy_files, official, organisation
from tests.scenario.driver import Case
from tests.scenario.mutants import deploy_mutant, prop

ROUTE = {"agency": "klg_roads"}
DRAFT = {"answer_kind": "answer", "answer_text": "Яму заделают до 10 ноября.",
         "measures": "Подрядчику выдано предписание, ремонт включён в план работ на неделю."}
PUBLISH = {"published": True, "answer_url": "https://vk.com/wall-1_1?reply=2"}
APPROVE = {"decision": "approve"}
EXEC, DEPUTY = "exec_klg_roads", "deputy_klg_roads"
PARAMETERS = {"routing_hours": "1", "draft_hours": "8", "review_hours": "2", "rework_hours": "1",
              "publication_hours": "1", "final_days": "7"}
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "camunda": "http://camunda.org/schema/1.0/bpmn"}


def kaluga_people(session) -> None:  # type: ignore[no-untyped-def]
    """The Governor's Administration (coordinator), two agencies with an executor and a deputy head each."""
    admin = organisation(session, "klg_admin", "curator", "kaluga", "Администрация Губернатора Калужской области")
    official(session, "curator", admin, "curator")
    official(session, "supervisor", admin, "supervisor")
    for key in ("klg_roads", "klg_health"):
        agency = organisation(session, key, "agency", "kaluga")
        official(session, f"exec_{key}", agency, "executor")
        official(session, f"deputy_{key}", agency, "deputy_head")


@pytest.fixture
def kaluga(db, virtual_clock):  # type: ignore[no-untyped-def]
    with db.session() as session:
        kaluga_people(session)
        deploy_files(session, "bpmn/kaluga.bpmn")
    return Case(db, virtual_clock, "kaluga", "Europe/Moscow")


def begin(case: Case) -> None:
    """Posted and detected on the working (pre-holiday) Saturday afternoon, routed 20 minutes later."""
    case.start(posted="2025-11-01T15:40", detected="2025-11-01T16:00")
    case.at("2025-11-01T16:20")
    case.complete("route_message", "curator", ROUTE)


def draft_review(case: Case, drafted: str = "2025-11-05T10:00", reviewed: str | None = None) -> None:
    case.at(drafted)
    case.complete("draft_answer", EXEC, DRAFT)
    if reviewed:
        case.at(reviewed)
    case.complete("deputy_review", DEPUTY, APPROVE)


def only_violation(case: Case, key: str, due: str, agency: str | None = "klg_roads") -> None:
    assert case.violations() == [("1.3", key, case.local(due))]
    # The decree sets no deadline: a breach of a parameter, never reported as a breach of the decree.
    with case.db.session() as session:
        assert list(session.scalars(select(Violation.basis).where(Violation.instance_id == case.instance_id))) == [
            "parameter"]
    recipient, organisation_key, subject = case.notifications()[-1]
    assert (recipient, organisation_key) == ("supervisor", agency)  # the decree names no one to tell
    assert "параметр процедуры, не срок постановления" in subject
    # The deadline as the diagram names its timer, never the short key (issue 16: no internal names).
    timer = read_diagram((ROOT / "bpmn" / "kaluga.bpmn").read_text(encoding="utf-8")).nodes[f"{key}_deadline"].name
    assert f"«{timer}»" in subject and f"«{key}»" not in subject


# ---- п. 1.2: coordination by the Governor's Administration ---------------------------------------------

def test_clause_1_2_coordinator_routes_the_message_to_the_competent_agency(kaluga) -> None:  # type: ignore[no-untyped-def]
    kaluga.start(posted="2025-10-31T17:10", detected="2025-10-31T17:30")
    task = kaluga.task("route_message")
    assert (task.role, task.organisation_key) == ("curator", None)
    # Agencies do not route: that is the coordinator's step.
    for login in (EXEC, DEPUTY):
        with pytest.raises(Forbidden):
            kaluga.complete("route_message", login, ROUTE)
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("route_message", "curator", {"agency": "orb_roads"})
    assert "agency" in error.value.errors
    kaluga.complete("route_message", "curator", {"agency": "klg_health"})
    assert kaluga.open_elements() == ["draft_answer"]
    assert kaluga.task("draft_answer").organisation_key == "klg_health"


def test_clause_1_2_happy_path_ends_the_case_without_violations(kaluga) -> None:  # type: ignore[no-untyped-def]
    kaluga.start(posted="2025-11-05T09:10", detected="2025-11-05T09:30")
    kaluga.at("2025-11-05T10:00")
    kaluga.complete("route_message", "curator", ROUTE)
    draft_review(kaluga, drafted="2025-11-05T12:00", reviewed="2025-11-05T12:30")
    kaluga.at("2025-11-05T12:45")
    kaluga.complete("publish_answer", EXEC, PUBLISH)
    assert kaluga.instance().status == "completed"
    assert kaluga.open_elements() == []
    kaluga.at("2025-11-28T10:00")  # long after every deadline: nothing was left armed
    assert kaluga.violations() == [] and kaluga.notifications() == []
    assert kaluga.message().status == "closed"
    kinds = kaluga.audit_kinds()
    assert kinds[0] == "started" and kinds.count("completed") == 4 and kinds[-1] == "instance_completed"


# ---- п. 1.3: every deadline is a parameter with a stated default ----------------------------------------

def test_clause_1_3_routing_hours_default_1_working_hour_from_detection(kaluga) -> None:  # type: ignore[no-untyped-def]
    kaluga.start(posted="2025-10-31T17:10", detected="2025-10-31T17:30")
    # Fri 17:30–18:00, then the working Saturday 09:00–09:30.
    assert kaluga.due("route_message") == kaluga.local("2025-11-01T09:30")
    kaluga.at("2025-11-01T09:29")
    assert kaluga.violations() == []
    kaluga.at("2025-11-01T09:31")
    only_violation(kaluga, "routing", "2025-11-01T09:30", agency=None)
    kaluga.complete("route_message", "curator", ROUTE)  # non-interrupting: routing still possible
    assert kaluga.open_elements() == ["draft_answer"]


def test_clause_1_3_draft_hours_default_8_working_hours_from_receipt(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)  # routed Sat 01.11 16:20
    # Sat 16:20–17:00 (shortened pre-holiday day) = 40 min; 03.11 and 04.11 off; Wed 09–13 and 14–17:20.
    assert kaluga.due("draft_answer") == kaluga.local("2025-11-05T17:20")
    kaluga.at("2025-11-05T17:19")
    assert kaluga.violations() == []
    kaluga.at("2025-11-05T17:21")
    only_violation(kaluga, "draft", "2025-11-05T17:20")


def test_clause_1_3_review_hours_default_2_working_hours(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)
    kaluga.at("2025-11-05T12:30")
    kaluga.complete("draft_answer", EXEC, DRAFT)
    # 12:30–13:00, lunch, 14:00–15:30.
    assert kaluga.due("deputy_review") == kaluga.local("2025-11-05T15:30")
    kaluga.at("2025-11-05T15:29")
    assert kaluga.violations() == []
    kaluga.at("2025-11-05T15:31")
    only_violation(kaluga, "review", "2025-11-05T15:30")


def test_clause_1_3_rework_hours_default_1_working_hour(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)
    kaluga.at("2025-11-05T12:00")
    kaluga.complete("draft_answer", EXEC, DRAFT)
    kaluga.at("2025-11-05T12:40")
    kaluga.complete("deputy_review", DEPUTY, {"decision": "rework", "comment": "Указать сроки ремонта"})
    # 12:40–13:00, lunch, 14:00–14:40.
    assert kaluga.due("rework_answer") == kaluga.local("2025-11-05T14:40")
    kaluga.at("2025-11-05T14:39")
    assert kaluga.violations() == []
    kaluga.at("2025-11-05T14:41")
    only_violation(kaluga, "rework", "2025-11-05T14:40")


def test_clause_1_3_publication_hours_default_1_working_hour(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)
    draft_review(kaluga, drafted="2025-11-05T16:00", reviewed="2025-11-05T17:30")
    assert kaluga.task("publish_answer").organisation_key == "klg_roads"
    # 17:30–18:00, then Thu 09:00–09:30.
    assert kaluga.due("publish_answer") == kaluga.local("2025-11-06T09:30")
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("publish_answer", EXEC, {"published": True, "answer_url": "стена vk"})
    assert "answer_url" in error.value.errors
    kaluga.at("2025-11-06T09:29")
    assert kaluga.violations() == []
    kaluga.at("2025-11-06T09:31")
    only_violation(kaluga, "publication", "2025-11-06T09:30")


def test_clause_1_3_final_days_default_7_working_days_after_the_interim_answer(kaluga) -> None:  # type: ignore[no-untyped-def]
    kaluga.start(posted="2025-12-26T09:10", detected="2025-12-26T09:30")
    kaluga.at("2025-12-26T09:40")
    kaluga.complete("route_message", "curator", ROUTE)
    kaluga.at("2025-12-26T11:00")
    kaluga.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim",
                                           "answer_text": "Вопрос на контроле, ответим после обследования."})
    kaluga.at("2025-12-26T12:30")
    kaluga.complete("deputy_review", DEPUTY, APPROVE)
    kaluga.at("2025-12-26T14:20")
    kaluga.complete("publish_answer", EXEC, PUBLISH)
    assert kaluga.instance().status == "running"
    assert kaluga.open_elements() == ["draft_final_answer"]
    # Published Fri 26.12 → 7 working days after: 29, 30.12; 31.12–11.01 off; 12, 13, 14, 15, 16.01.
    assert kaluga.due("draft_final_answer") == kaluga.local("2026-01-16T18:00")
    kaluga.at("2026-01-16T17:59")
    assert kaluga.violations() == []
    kaluga.at("2026-01-16T18:01")
    only_violation(kaluga, "final", "2026-01-16T18:00")
    # The final answer also states the measures (п. 2.2) and goes through the deputy head (п. 2.4).
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("draft_final_answer", EXEC, {"answer_kind": "answer", "answer_text": "Яма заделана."})
    assert "measures" in error.value.errors
    kaluga.complete("draft_final_answer", EXEC, {"answer_kind": "answer", "answer_text": "Яма заделана.",
                                                 "measures": "Ямочный ремонт выполнен 16.01."})
    assert kaluga.open_elements() == ["deputy_review"]
    assert kaluga.due("deputy_review") == kaluga.local("2026-01-19T11:00")  # from 18:01 Fri: Mon 09–11
    kaluga.complete("deputy_review", DEPUTY, APPROVE)
    kaluga.complete("publish_answer", EXEC, PUBLISH)
    assert kaluga.instance().status == "completed"
    assert len(kaluga.violations()) == 1


def test_clause_1_3_every_deadline_is_a_parameter_marked_for_the_regulator() -> None:
    root = etree.parse(str(ROOT / "bpmn/kaluga.bpmn")).getroot()
    process = root.find("bpmn:process", NS)
    properties = {p.get("name"): p.get("value") for p in process.findall(
        "bpmn:extensionElements/camunda:properties/camunda:property", NS)}
    assert {n: properties[f"var.{n}"] for n in PARAMETERS} == PARAMETERS
    documentation = process.find("bpmn:documentation", NS).text
    assert "методическ" in documentation and "1.3" in documentation
    for name, default in PARAMETERS.items():
        assert f"var.{name} = {default}" in documentation
    timers = {}
    for event in process.iter(f"{{{NS['bpmn']}}}boundaryEvent"):
        expression = event.find("bpmn:timerEventDefinition/bpmn:timeDate", NS).text
        used = [n for n in PARAMETERS if re.search(rf"\b{n}\b", expression)]
        assert len(used) == 1, (event.get("id"), expression)  # no literal deadline anywhere
        name = event.get("name")
        assert "параметр" in name and "в постановлении срок не установлен" in name
        assert name.split(":", 1)[1].strip().startswith(PARAMETERS[used[0]] + " ")
        assert f"var.{used[0]}" in event.find("bpmn:documentation", NS).text
        timers[used[0]] = event.get("id")
    assert sorted(timers) == sorted(PARAMETERS)


def test_clause_1_3_changed_default_changes_the_deadline_without_code(kaluga, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = Case(db, kaluga.clock, "kaluga", "Europe/Moscow")
    begin(before)
    xml = (ROOT / "bpmn/kaluga.bpmn").read_text(encoding="utf-8")
    changed = xml.replace('name="var.draft_hours" value="8"', 'name="var.draft_hours" value="4"')
    changed = changed.replace('name="var.routing_hours" value="1"', 'name="var.routing_hours" value="2"')
    assert changed.count('value="4"') == 1 and changed != xml
    path = tmp_path / "kaluga.bpmn"
    path.write_text(changed, encoding="utf-8")
    with db.session() as session:
        deployed = deploy(session, [Source.read(Path(path))], "analyst", extra_forms=library_forms())
    assert [(d.process_id, d.version, d.created) for d in deployed] == [("kaluga", 2, True)]
    after = Case(db, kaluga.clock, "kaluga", "Europe/Moscow")
    after.start(posted="2025-11-01T16:10", detected="2025-11-01T16:20")
    # 2 working hours now: Sat 16:20–17:00, then Wed 09:00–10:20.
    assert after.due("route_message") == after.local("2025-11-05T10:20")
    after.complete("route_message", "curator", ROUTE)
    # 4 working hours from Sat 16:20: 40 min, then Wed 09:00–12:20.
    assert after.due("draft_answer") == after.local("2025-11-05T12:20")
    # The case started on version 1 keeps its 8 working hours.
    assert before.due("draft_answer") == before.local("2025-11-05T17:20")
    after.at("2025-11-05T12:21")
    assert after.violations() == [("1.3", "draft", after.local("2025-11-05T12:20"))]
    assert before.violations() == []


# ---- п. 2.2: measures within the agency's competence ---------------------------------------------------

def test_clause_2_2_the_answer_must_state_the_measures_taken(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)
    kaluga.at("2025-11-05T10:00")
    without = {k: v for k, v in DRAFT.items() if k != "measures"}
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("draft_answer", EXEC, without)
    assert "measures" in error.value.errors
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("draft_answer", EXEC, {**without, "measures": ""})
    assert "measures" in error.value.errors
    assert kaluga.open_elements() == ["draft_answer"]
    kaluga.complete("draft_answer", EXEC, DRAFT)
    kaluga.complete("deputy_review", DEPUTY, {"decision": "rework", "comment": "Меры не конкретны"})
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("rework_answer", EXEC, without)
    assert "measures" in error.value.errors
    kaluga.complete("rework_answer", EXEC, {**DRAFT, "measures": "Ремонт назначен на 10.11, подрядчик ООО «Дорстрой»."})
    assert kaluga.open_elements() == ["deputy_review"]
    assert kaluga.message().status == "in_progress"


# ---- п. 2.4: the agency's deputy head controls the executors' answers -----------------------------------

def test_clause_2_4_only_the_deputy_head_of_that_agency_approves(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)
    kaluga.at("2025-11-05T10:00")
    kaluga.complete("draft_answer", EXEC, DRAFT)
    task = kaluga.task("deputy_review")
    assert (task.role, task.organisation_key) == ("deputy_head", "klg_roads")
    # Another agency's deputy head, the executor who drafted it, the coordinator, the supervisor: no.
    for login in ("deputy_klg_health", EXEC, "curator", "supervisor"):
        with pytest.raises(Forbidden):
            kaluga.complete("deputy_review", login, APPROVE)
    assert kaluga.open_elements() == ["deputy_review"]
    kaluga.complete("deputy_review", DEPUTY, APPROVE)
    assert kaluga.open_elements() == ["publish_answer"]
    assert kaluga.violations() == []


def test_clause_2_4_rework_loop_back_to_the_deputy_head_twice(kaluga) -> None:  # type: ignore[no-untyped-def]
    begin(kaluga)
    kaluga.at("2025-11-05T11:00")
    kaluga.complete("draft_answer", EXEC, DRAFT)
    # (deputy returns at, rework due, executor resubmits at, review due again); the second straddles lunch.
    rounds = [("11:10", "12:10", "11:50", "14:50"), ("12:15", "14:15", "14:10", "16:10")]
    for round_, (back, due, again, review_due) in enumerate(rounds, start=1):
        kaluga.at(f"2025-11-05T{back}")
        kaluga.complete("deputy_review", DEPUTY, {"decision": "rework", "comment": f"Доработать {round_}"})
        assert kaluga.open_elements() == ["rework_answer"]
        assert kaluga.task("rework_answer").organisation_key == "klg_roads"
        assert kaluga.due("rework_answer") == kaluga.local(f"2025-11-05T{due}")
        kaluga.at(f"2025-11-05T{again}")
        kaluga.complete("rework_answer", EXEC, {**DRAFT, "answer_text": f"Версия {round_ + 1}"})
        assert kaluga.open_elements() == ["deputy_review"]
        assert kaluga.due("deputy_review") == kaluga.local(f"2025-11-05T{review_due}")
    with pytest.raises(InvalidSubmission) as error:
        kaluga.complete("deputy_review", DEPUTY, {"decision": "rework"})
    assert "comment" in error.value.errors
    kaluga.complete("deputy_review", DEPUTY, APPROVE)
    kaluga.complete("publish_answer", EXEC, PUBLISH)
    assert kaluga.instance().status == "completed"
    assert kaluga.violations() == []


def test_clause_2_4_the_deputy_heads_sign_off_is_a_parameter_control_not_necessarily_approval(kaluga) -> None:  # type: ignore[no-untyped-def]
    # п. 2.4: «осуществляющих контроль за подготовкой … ответов» — a sign-off by default, a parameter.
    root = etree.parse(str(ROOT / "bpmn/kaluga.bpmn")).getroot()
    process = root.find("bpmn:process", NS)
    assert "var.deputy_review = True" in process.find("bpmn:documentation", NS).text
    deploy_mutant(kaluga.db, "bpmn/kaluga.bpmn", prop("kaluga", "var.deputy_review", "False"))
    begin(kaluga)
    kaluga.at("2025-11-05T10:00")
    kaluga.complete("draft_answer", EXEC, DRAFT)
    assert kaluga.open_elements() == ["publish_answer"]  # no deputy_review: the executor publishes
    assert kaluga.due("publish_answer") == kaluga.local("2025-11-05T11:00")
    kaluga.complete("publish_answer", EXEC, PUBLISH)
    assert kaluga.instance().status == "completed"
    assert kaluga.violations() == []
