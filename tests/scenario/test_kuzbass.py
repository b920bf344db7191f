"""Kuzbass, resolution No. 65 as amended by No. 170: one scenario per clause, on a virtual clock (Asia/Novokuznetsk).

Only the amended clauses of No. 65 are published. Clause 13 (draft within 1 working hour of receipt) is the
act's own deadline; approval, rework, publication (and who publishes) and the final answer after an interim
answer are PARAMETERS of the diagram (process properties var.*). The "clause 65" tests check their defaults
and that another value in the diagram moves the deadline without any Python change.

Working day 09:00–18:00, lunch 13:00–14:00; 2025: Saturday 01.11 is a working day shortened to 17:00
(pre-holiday), 03.11 is a transferred day off, 04.11 a holiday.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from lxml import etree
from sqlalchemy import select

from engine.deployment.deployer import Source, deploy, library_forms
from engine.errors import Forbidden
from engine.models import Violation
from tests.factories import deploy_files, official, organisation
from tests.scenario.driver import Case

ROOT = Path(__file__).resolve().parents[2]
DIAGRAM = ROOT / "bpmn" / "kuzbass.bpmn"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"

CURATOR, SUPERVISOR, EXEC, OTHER_EXEC = "kuz_curator", "kuz_supervisor", "exec_kuz_roads", "exec_kuz_health"
ROUTE = {"agency": "kuz_roads", "topic": "roads_transport"}
DRAFT = {"answer_kind": "answer", "answer_text": "Яму заделают до 14 ноября."}
PUBLISH = {"published": True, "answer_url": "https://vk.com/wall-1_1?reply=2"}
PARAMETERS = {"approval_hours": "1", "rework_hours": "1", "publisher": "'executor'", "publication_hours": "1",
              "final_days": "7"}


@pytest.fixture
def kuzbass(db, virtual_clock):  # type: ignore[no-untyped-def]
    """ЦУР Кузбасса (curator and supervisor), two agencies with an executor each, the deployed procedure."""
    with db.session() as session:
        centre = organisation(session, "kuz_cur", "curator", "kuzbass", "ЦУР Кузбасса")
        official(session, CURATOR, centre, "curator")
        official(session, SUPERVISOR, centre, "supervisor")
        for key, name in (("kuz_roads", "Министерство дорожного хозяйства"), ("kuz_health", "Министерство здравоохранения")):
            official(session, f"exec_{key}", organisation(session, key, "agency", "kuzbass", name), "executor")
        deploy_files(session, "bpmn/kuzbass.bpmn")
    return Case(db, virtual_clock, "kuzbass", "Asia/Novokuznetsk")


def deploy_variant(case: Case, tmp_path: Path, **values: str):  # type: ignore[no-untyped-def]
    """What an analyst does: change a var.* property of the diagram and deploy it as the next version."""
    text = DIAGRAM.read_text(encoding="utf-8")
    for name, value in values.items():
        old = f'name="var.{name}" value={quoteattr(PARAMETERS[name])}'
        assert text.count(old) == 1, old
        text = text.replace(old, f'name="var.{name}" value={quoteattr(value)}')
    path = tmp_path / "kuzbass_variant.bpmn"
    path.write_text(text, encoding="utf-8")
    with case.db.session() as session:
        deployed = deploy(session, [Source.read(path)], "analyst", extra_forms=library_forms())
    assert [(d.process_id, d.version, d.created) for d in deployed] == [("kuzbass", 2, True)]


def begin(case: Case, day: str = "2025-11-10", detected: str = "09:50", routed: str = "10:00") -> None:
    case.start(posted=f"{day}T09:30", detected=f"{day}T{detected}")
    case.at(f"{day}T{routed}")
    case.complete("route_message", CURATOR, ROUTE)


def draft(case: Case, at: str, kind: str = "answer") -> None:
    case.at(at)
    case.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": kind})


def recorded(case: Case) -> list[tuple[str, str, str | None]]:
    """(deadline, basis, organisation charged) of each violation: a parameter's breach is never the act's."""
    with case.db.session() as session:
        return [(v.deadline, v.basis, v.organisation_key) for v in session.scalars(
            select(Violation).where(Violation.instance_id == case.instance_id).order_by(Violation.id))]


# ---- п. 6: the curator detects, routes, approves -----------------------------------------------------------

def test_clause_6_curator_routes_approves_and_the_case_ends_without_violations(kuzbass) -> None:  # type: ignore[no-untyped-def]
    kuzbass.start(posted="2025-11-10T09:30", detected="2025-11-10T09:50")
    assert kuzbass.open_elements() == ["route_message"]
    route = kuzbass.task("route_message")
    assert (route.role, route.due_at) == ("curator", None)  # the act sets no routing deadline
    kuzbass.at("2025-11-10T11:00")
    kuzbass.complete("route_message", CURATOR, ROUTE)
    assert kuzbass.task("draft_answer").organisation_key == "kuz_roads"
    # The message went to the roads ministry only: another agency's executor cannot answer it.
    with pytest.raises(Forbidden):
        kuzbass.complete("draft_answer", OTHER_EXEC, DRAFT)
    draft(kuzbass, "2025-11-10T11:40")
    approve = kuzbass.task("approve_answer")
    assert (approve.role, approve.organisation_key) == ("curator", None)
    with pytest.raises(Forbidden):  # approval is the curator's (п. 6), not the executor's
        kuzbass.complete("approve_answer", EXEC, {"decision": "approve"})
    kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    kuzbass.complete("publish_by_executor", EXEC, PUBLISH)
    assert kuzbass.instance().status == "completed"
    assert kuzbass.open_elements() == []
    kuzbass.at("2025-11-28T10:00")  # long after every deadline: nothing was left armed
    assert kuzbass.violations() == []
    assert kuzbass.notifications() == []
    message = kuzbass.message()
    assert (message.status, message.network) == ("closed", "vk")  # п. 4: the source network is kept


# ---- п. 13: the draft within 1 working hour of receipt --------------------------------------------------------

def test_clause_13_draft_within_1_working_hour_of_receipt_across_lunch(kuzbass) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass, routed="12:30")
    # Received 12:30: 30 minutes before lunch, 30 after → 14:30 Novokuznetsk time (07:30 UTC).
    assert kuzbass.due("draft_answer") == kuzbass.local("2025-11-10T14:30")
    assert kuzbass.due("draft_answer").utcoffset().total_seconds() == 7 * 3600
    kuzbass.at("2025-11-10T14:29")
    assert kuzbass.violations() == []
    kuzbass.at("2025-11-10T14:31")
    assert kuzbass.violations() == [("13", "draft", kuzbass.local("2025-11-10T14:30"))]
    assert recorded(kuzbass) == [("draft", "act", "kuz_roads")]  # the act's own deadline
    # Non-interrupting: the late draft still goes to the curator.
    kuzbass.complete("draft_answer", EXEC, DRAFT)
    assert kuzbass.open_elements() == ["approve_answer"]


def test_clause_13_draft_deadline_runs_over_the_weekend(kuzbass) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass, day="2025-11-07", detected="17:20", routed="17:30")
    assert kuzbass.due("draft_answer") == kuzbass.local("2025-11-10T09:30")
    kuzbass.at("2025-11-09T12:00")
    assert kuzbass.violations() == []
    kuzbass.at("2025-11-10T09:31")
    assert kuzbass.violations() == [("13", "draft", kuzbass.local("2025-11-10T09:30"))]


def test_clause_13_draft_deadline_on_the_shortened_working_saturday_before_the_holiday(kuzbass) -> None:  # type: ignore[no-untyped-def]
    # Saturday 01.11.2025 is a working day ending at 17:00; 03.11 is a day off, 04.11 a holiday.
    begin(kuzbass, day="2025-11-01", detected="16:20", routed="16:30")
    assert kuzbass.due("draft_answer") == kuzbass.local("2025-11-05T09:30")
    kuzbass.at("2025-11-05T09:29")
    assert kuzbass.violations() == []
    kuzbass.at("2025-11-05T09:30")
    assert kuzbass.violations() == [("13", "draft", kuzbass.local("2025-11-05T09:30"))]


# ---- parameters of the unpublished resolution 65 ---------------------------------------------------------------

def test_clause_65_parameters_are_marked_for_the_regulator() -> None:
    tree = etree.parse(str(DIAGRAM), etree.XMLParser(resolve_entities=False, no_network=True))
    process = tree.find(f"{BPMN}process")
    props = {p.get("name"): p.get("value") for p in process.iter(f"{CAMUNDA}property")
             if p.get("name", "").startswith("var.")}
    assert {k[4:]: v for k, v in props.items() if k[4:] in PARAMETERS} == PARAMETERS
    documentation = process.findtext(f"{BPMN}documentation")
    assert "№ 65" in documentation and "не опубликован" in documentation
    for name in props:  # every var.* property is explained, each parameter with its default
        assert name in documentation, name
    for name, value in PARAMETERS.items():
        assert f"var.{name} ({value})" in documentation, name
    timers = {e.get("id"): e for e in process.iter(f"{BPMN}boundaryEvent")}
    parameter_timers = {"approval_deadline": "approval_hours", "rework_deadline": "rework_hours",
                        "publication_deadline": "publication_hours",
                        "curator_publication_deadline": "publication_hours", "final_deadline": "final_days"}
    for timer_id, parameter in parameter_timers.items():
        timer = timers[timer_id]
        assert "параметр процедуры" in timer.get("name") and "№ 65 не опубликован" in timer.get("name"), timer_id
        assert not re.search(r"п\. \d+", timer.get("name")), timer_id  # claims no clause of the act
        assert parameter in timer.find(f".//{BPMN}timeDate").text, timer_id
        assert f"var.{parameter}" in timer.findtext(f"{BPMN}documentation"), timer_id
    # The act's own deadline (п. 13) is not a parameter.
    assert "параметр" not in timers["draft_deadline"].get("name")
    assert timers["draft_deadline"].find(f".//{BPMN}timeDate").text == "working_hours(1)"


def test_clause_65_approval_parameter_default_1_working_hour(kuzbass) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass, routed="12:00")
    draft(kuzbass, "2025-11-10T12:40")
    # 12:40 + 1 working hour: 20 minutes before lunch, 40 after → 14:40.
    assert kuzbass.due("approve_answer") == kuzbass.local("2025-11-10T14:40")
    kuzbass.at("2025-11-10T14:39")
    assert kuzbass.violations() == []
    kuzbass.at("2025-11-10T14:41")
    assert kuzbass.violations() == [("", "approval", kuzbass.local("2025-11-10T14:40"))]
    assert recorded(kuzbass) == [("approval", "parameter", None)]  # no act clause: the act sets no such deadline


def test_clause_65_rework_parameter_default_1_working_hour_twice(kuzbass) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass)
    draft(kuzbass, "2025-11-10T10:30")
    # (curator returns at, rework due, executor resubmits at); the second round straddles lunch.
    for round_, (back, due, again) in enumerate([("10:45", "11:45", "11:30"), ("12:20", "14:20", "14:10")], start=1):
        kuzbass.at(f"2025-11-10T{back}")
        kuzbass.complete("approve_answer", CURATOR, {"decision": "rework", "comment": f"Уточнить сроки ({round_})"})
        assert kuzbass.task("rework_answer").organisation_key == "kuz_roads"
        assert kuzbass.due("rework_answer") == kuzbass.local(f"2025-11-10T{due}")
        kuzbass.at(f"2025-11-10T{again}")
        kuzbass.complete("rework_answer", EXEC, {**DRAFT, "answer_text": f"Версия {round_ + 1}"})
        assert kuzbass.open_elements() == ["approve_answer"]
    kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    kuzbass.complete("publish_by_executor", EXEC, PUBLISH)
    assert kuzbass.instance().status == "completed"
    assert kuzbass.violations() == []


def test_clause_65_late_rework_is_a_violation(kuzbass) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass)
    draft(kuzbass, "2025-11-10T10:30")
    kuzbass.at("2025-11-10T17:30")
    kuzbass.complete("approve_answer", CURATOR, {"decision": "rework", "comment": "Приложить фото"})
    # Returned 17:30 (the approval itself was late: due 11:30) → rework due next morning 09:30.
    assert kuzbass.due("rework_answer") == kuzbass.local("2025-11-11T09:30")
    kuzbass.at("2025-11-11T09:31")
    assert kuzbass.violations() == [("", "approval", kuzbass.local("2025-11-10T11:30")),
                                    ("", "rework", kuzbass.local("2025-11-11T09:30"))]
    assert recorded(kuzbass) == [("approval", "parameter", None), ("rework", "parameter", "kuz_roads")]


def test_clause_65_publication_by_the_executor_default_1_working_hour(kuzbass) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass)
    draft(kuzbass, "2025-11-10T10:30")
    kuzbass.at("2025-11-10T17:20")
    kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    publish = kuzbass.task("publish_by_executor")
    assert (publish.role, publish.organisation_key) == ("executor", "kuz_roads")
    # Approved 17:20: 40 minutes today, 20 tomorrow → 09:20.
    assert kuzbass.due("publish_by_executor") == kuzbass.local("2025-11-11T09:20")
    kuzbass.at("2025-11-11T09:21")
    assert kuzbass.violations()[-1] == ("", "publication", kuzbass.local("2025-11-11T09:20"))
    assert recorded(kuzbass)[-1] == ("publication", "parameter", "kuz_roads")
    kuzbass.complete("publish_by_executor", EXEC, PUBLISH)
    assert kuzbass.instance().status == "completed"


def test_clause_65_publisher_parameter_curator_publishes(kuzbass, tmp_path) -> None:  # type: ignore[no-untyped-def]
    deploy_variant(kuzbass, tmp_path, publisher="'curator'")
    begin(kuzbass)
    draft(kuzbass, "2025-11-10T10:30")
    kuzbass.at("2025-11-10T10:40")
    kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    assert kuzbass.open_elements() == ["publish_by_curator"]
    assert kuzbass.task("publish_by_curator").role == "curator"
    assert kuzbass.due("publish_by_curator") == kuzbass.local("2025-11-10T11:40")
    with pytest.raises(Forbidden):
        kuzbass.complete("publish_by_curator", EXEC, PUBLISH)
    kuzbass.at("2025-11-10T11:41")
    assert kuzbass.violations() == [("", "curator_publication", kuzbass.local("2025-11-10T11:40"))]
    assert recorded(kuzbass) == [("curator_publication", "parameter", None)]
    kuzbass.complete("publish_by_curator", CURATOR, PUBLISH)
    assert kuzbass.instance().status == "completed"


@pytest.mark.parametrize("kind", ["interim", "clarification"])
def test_clause_65_final_answer_within_7_working_days_of_the_interim_answer(kuzbass, kind) -> None:  # type: ignore[no-untyped-def]
    begin(kuzbass, day="2025-10-31")
    draft(kuzbass, "2025-10-31T10:40", kind=kind)
    kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    kuzbass.at("2025-10-31T11:00")
    kuzbass.complete("publish_by_executor", EXEC, PUBLISH)
    assert kuzbass.instance().status == "running"
    assert kuzbass.open_elements() == ["draft_final_answer"]
    assert kuzbass.task("draft_final_answer").organisation_key == "kuz_roads"
    # Published Fri 31.10 → 7 working days after: Sat 01.11 (working), 05, 06, 07, 10, 11, 12.11 → 12.11 18:00.
    assert kuzbass.due("draft_final_answer") == kuzbass.local("2025-11-12T18:00")
    kuzbass.at("2025-11-12T17:59")
    assert kuzbass.violations() == []
    kuzbass.at("2025-11-12T18:01")
    # Not п. 13 (its 1 working hour is for the first draft): a parameter's breach, the agency's.
    assert kuzbass.violations() == [("", "final", kuzbass.local("2025-11-12T18:00"))]
    assert recorded(kuzbass) == [("final", "parameter", "kuz_roads")]
    # The final answer is approved by the curator and published like the first one.
    kuzbass.complete("draft_final_answer", EXEC, {**DRAFT, "answer_kind": "answer"})
    assert kuzbass.open_elements() == ["approve_answer"]
    kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    kuzbass.complete("publish_by_executor", EXEC, PUBLISH)
    assert kuzbass.instance().status == "completed"
    assert kuzbass.open_elements() == []


@pytest.mark.parametrize("values, element, moment, due, violation", [
    ({"approval_hours": "3"}, "approve_answer", "draft", "2025-11-10T16:40", ("", "approval")),
    ({"rework_hours": "2"}, "rework_answer", "rework", "2025-11-10T15:40", ("", "rework")),
    ({"publication_hours": "4"}, "publish_by_executor", "approved", "2025-11-10T17:40", ("", "publication")),
    ({"final_days": "3"}, "draft_final_answer", "interim", "2025-11-13T18:00", ("", "final")),
    ({"publisher": "'curator'", "publication_hours": "2"}, "publish_by_curator", "approved", "2025-11-10T15:40",
     ("", "curator_publication")),
], ids=["approval_hours", "rework_hours", "publication_hours", "final_days", "publisher"])
def test_clause_65_changing_a_parameter_in_the_diagram_changes_the_deadline(  # type: ignore[no-untyped-def]
        kuzbass, tmp_path, values, element, moment, due, violation) -> None:
    deploy_variant(kuzbass, tmp_path, **values)
    begin(kuzbass, routed="12:00")
    draft(kuzbass, "2025-11-10T12:40", kind="interim" if moment == "interim" else "answer")
    if moment == "rework":
        kuzbass.complete("approve_answer", CURATOR, {"decision": "rework", "comment": "Уточнить"})
    elif moment in ("approved", "interim"):
        kuzbass.complete("approve_answer", CURATOR, {"decision": "approve"})
    if moment == "interim":
        kuzbass.complete("publish_by_executor", EXEC, PUBLISH)
    # From 12:40 on Mon 10.11 (20 minutes before lunch): 3 h → 16:40; 2 h → 15:40; 4 h → 17:40;
    # 3 working days after the 10th → 13.11 18:00.
    assert kuzbass.due(element) == kuzbass.local(due)
    expected = (*violation, kuzbass.local(due))
    # The deadline really is the new one: no violation a minute before it, one a minute after.
    kuzbass.at((datetime.fromisoformat(due) - timedelta(minutes=1)).isoformat(timespec="minutes"))
    assert [v for v in kuzbass.violations() if v[:2] == violation] == []  # the default would have fired by now
    kuzbass.at((datetime.fromisoformat(due) + timedelta(minutes=1)).isoformat(timespec="minutes"))
    assert expected in kuzbass.violations()
