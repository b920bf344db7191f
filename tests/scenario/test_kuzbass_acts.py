"""Kuzbass, resolution 65 as amended by 170, read against the published act (issue 15).

* Only п. 13 sets a deadline (1 working hour for the draft); approval, rework, publication and the final
  answer are parameters of the procedure: their breaches are recorded with basis "parameter" and claim no
  clause of the act.
* Who is told: the act names the ЦУР Кузбасса as the body that monitors the agencies (п. 2-1 of 170,
  п. 3 of the Положение); the Governor and his deputy get the monthly summary (п. 25), not each breach.
* п. 25: the monthly dynamics by topic come from the topic the curator records when routing.
* п. 4: Одноклассники, ВКонтакте and blogs only.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from engine.bpmn.reader import read_diagram
from engine.errors import InvalidSubmission
from engine.reports.summary import build_summary
from engine.runtime import registration
from engine.runtime.cases import MessageInput
from tests.factories import ROOT
from tests.scenario.test_kuzbass import CURATOR, ROUTE, begin, draft, kuzbass, recorded  # noqa: F401


@pytest.fixture
def kuz(db, request):  # type: ignore[no-untyped-def]
    """The Kuzbass scenario driver (tests/scenario/test_kuzbass.py's fixture)."""
    return request.getfixturevalue("kuzbass")



def _violation_tasks(path: str) -> dict[str, dict[str, str | None]]:
    diagram = read_diagram((ROOT / path).read_bytes())
    return {n.id: dict(n.properties) for n in diagram.nodes.values()
            if n.tag == "serviceTask" and n.topic == "record_violation"}


def test_only_clause_13_is_the_acts_deadline_the_others_are_parameters_claiming_no_clause() -> None:
    tasks = _violation_tasks("bpmn/kuzbass.bpmn")
    assert {(p["deadline"], p.get("basis"), p.get("clause")) for p in tasks.values()} == {
        ("draft", "act", "13"),
        ("approval", "parameter", None), ("rework", "parameter", None), ("publication", "parameter", None),
        ("curator_publication", "parameter", None), ("final", "parameter", None)}
    # п. 2-1: the ЦУР monitors the agencies; the act orders no one else to be told of a breach.
    assert {p.get("recipient") for p in tasks.values()} == {"supervisor"}


def test_smolensk_clause_13_breaches_go_to_the_supervising_deputy_governor_and_15_to_the_governor() -> None:
    tasks = _violation_tasks("bpmn/smolensk.bpmn")
    assert {p.get("recipient") for p in tasks.values()} == {"deputy_governor"}
    assert {p.get("basis", "act") for p in tasks.values()} == {"act"}
    diagram = read_diagram((ROOT / "bpmn/smolensk.bpmn").read_bytes())
    notify = [n for n in diagram.nodes.values() if n.tag == "serviceTask" and n.topic == "notify"]
    # п. 15 to the Governor; п. 13 also tells the deputy governor when an agency lets the 8 hours of п. 6 pass idle.
    assert sorted((n.properties.get("recipient"), "п. 15" in (n.properties.get("subject") or "")) for n in notify) == [
        ("deputy_governor", False), ("governor", True)]


def test_a_late_interim_draft_is_clause_13_and_the_late_final_answer_is_not(kuz) -> None:  # type: ignore[no-untyped-def]
    begin(kuz, day="2025-10-31")  # routed Fri 10:00: the draft (here interim) due 11:00 (п. 13)
    kuz.at("2025-10-31T11:01")
    draft(kuz, "2025-10-31T11:05", kind="interim")
    kuz.complete("approve_answer", CURATOR, {"decision": "approve"})
    kuz.complete("publish_by_executor", "exec_kuz_roads", {"published": True, "answer_url": "https://vk.com/wall-1_1?r=2"})
    kuz.at("2025-11-12T18:01")  # the final answer's parameter (7 working days) passed too
    assert [v[:2] for v in kuz.violations()] == [("13", "draft"), ("", "final")]
    assert recorded(kuz) == [("draft", "act", "kuz_roads"), ("final", "parameter", "kuz_roads")]


def test_clause_25_the_monthly_dynamics_by_topic_come_from_the_routing(kuz) -> None:  # type: ignore[no-untyped-def]
    for day, topic in (("2025-11-10", "roads_transport"), ("2025-11-11", "healthcare"), ("2025-11-12", "healthcare")):
        kuz.start(posted=f"{day}T09:30", detected=f"{day}T09:50")
        kuz.complete("route_message", CURATOR, {**ROUTE, "topic": topic})
    kuz.start(posted="2025-11-13T09:00", detected="2025-11-13T09:10")  # not routed yet: no topic
    with pytest.raises(InvalidSubmission) as error:  # the curator must say what the message is about
        kuz.complete("route_message", CURATOR, {"agency": "kuz_roads"})
    assert "topic" in error.value.errors
    with kuz.db.session() as session:
        summary = build_summary(session, "kuzbass", "2025-11")
    assert summary.messages == 4
    assert summary.by_topic == Counter({"healthcare": 2, "roads_transport": 1, "—": 1})


def _message(network: str) -> MessageInput:
    at = datetime.fromisoformat("2025-11-10T09:30+07:00")
    return MessageInput(region="kuzbass", network=network, url="https://example.org/post/1", author="Иван Петров",
                        text="Яма на дороге у школы № 5", posted_at=at, detected_at=at)


@pytest.mark.parametrize("network, listed", [("ok", True), ("vk", True), ("blog", True), ("telegram", False),
                                              ("facebook", False), ("site", False)])
def test_clause_4_only_odnoklassniki_vkontakte_and_blogs(kuz, network, listed) -> None:  # type: ignore[no-untyped-def]
    kuz.at("2025-11-10T10:00")
    with kuz.db.session() as session:
        assert registration.accepted_networks(session, "kuzbass") == ("ok", "vk", "blog")
        assert registration.registration_problems(session, _message(network)) == (
            {} if listed else {"network": "not_listed"})
        if listed:
            assert registration.register_message(session, _message(network), CURATOR).status == "running"
        else:
            with pytest.raises(InvalidSubmission):
                registration.register_message(session, _message(network), CURATOR)


def test_a_breach_reaches_the_supervisors_of_the_tsur_in_app(kuz) -> None:  # type: ignore[no-untyped-def]
    """п. 2-1: ЦУР Кузбасса monitors the agencies — the late draft (п. 13) reaches its supervisor's centre."""
    from sqlalchemy import select

    from engine.models import Delivery, Notification, User

    begin(kuz, routed="12:30")
    kuz.at("2025-11-10T14:31")  # п. 13 due 14:30
    with kuz.db.session() as session:
        told = set(session.execute(
            select(Notification.recipient, Delivery.channel, User.login).join(Delivery, Delivery.notification_id == Notification.id)
            .outerjoin(User, User.id == Delivery.user_id).where(Notification.instance_id == kuz.instance_id)))
    assert ("supervisor", "in_app", "kuz_supervisor") in told
    assert {recipient for recipient, _, _ in told} == {"supervisor"}
