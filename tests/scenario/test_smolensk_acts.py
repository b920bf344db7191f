"""Smolensk, order 519-р/адм, read against the act (issue 15): what the act does NOT oblige is not charged.

* п. 5 obliges a RETURN within 30 minutes when the agency is not competent; an agency that accepts the
  information as its own is bound by п. 6 (8 working hours), not by п. 5.
* The act knows no interim answer: the executor's draft form offers none, and the case closes only on an
  answer on the merits (п. 8) or the joint answer (п. 10).
* п. 14: the monthly figures on the "структуре информации" come from the topic the curator records when
  routing, through the real process (never inserted rows).
* п. 1: the act lists the networks; a message from another one is not registered.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import select

from engine.errors import InvalidSubmission
from engine.models import Task
from engine.reports.summary import build_summary
from engine.runtime import registration
from engine.runtime.cases import MessageInput
from engine.views import task as taskview
from tests.scenario.test_smolensk import DAY, DRAFT, EXEC, PUBLISH, ROUTE, begin, charged, smolensk  # noqa: F401


@pytest.fixture
def smo(db, request):  # type: ignore[no-untyped-def]
    """The Smolensk scenario driver (tests/scenario/test_smolensk.py's fixture)."""
    return request.getfixturevalue("smolensk")



def test_clause_5_a_competent_agency_accepting_at_minute_35_is_not_charged(smo) -> None:  # type: ignore[no-untyped-def]
    begin(smo)  # received 10:00; a return would be due 10:30
    smo.at(f"{DAY}T10:35")
    assert smo.violations() == []
    smo.complete("accept_message", EXEC, {"competent": True})
    smo.at(f"{DAY}T12:00")
    assert smo.violations() == [] and charged(smo) == []
    # Its deadline is п. 6: 8 working hours from receipt (10:00), whenever it accepted.
    assert smo.due("draft_answer") == smo.local("2025-11-18T10:00")


def _task_id(case, element: str) -> str:  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        return session.scalars(select(Task.id).where(Task.instance_id == case.instance_id, Task.element_id == element,
                                                     Task.status == "open")).one()


def test_the_act_knows_no_interim_answer_so_the_draft_form_offers_none(smo) -> None:  # type: ignore[no-untyped-def]
    begin(smo)
    smo.complete("accept_message", EXEC, {"competent": True})
    with smo.db.session() as session:
        view = taskview.task_view(session, _task_id(smo, "draft_answer"), EXEC)
        offered = {option.value for options in view.options.values() for option in options}
        assert view.form is not None and "answer_kind" not in {f.key for f in view.form.fields}
    assert "interim" not in offered and "clarification" not in offered
    # Even a hand-made request for an interim answer is not kept: the draft is an answer on the merits.
    smo.complete("draft_answer", EXEC, {**DRAFT, "answer_kind": "interim"})
    with smo.db.session() as session:
        review = taskview.task_view(session, _task_id(smo, "review_answer"), "curator")
        assert review.context["answer_kind"] == "answer"
    smo.complete("review_answer", "curator", PUBLISH)
    assert smo.instance().status == "completed" and smo.message().status == "closed"


def test_clause_14_the_monthly_structure_comes_from_the_topics_the_curator_records(smo) -> None:  # type: ignore[no-untyped-def]
    for day, topic in (("2025-11-17", "roads_transport"), ("2025-11-18", "roads_transport"), ("2025-11-19", "healthcare")):
        begin(smo, routed=f"{day}T10:00", topic=topic)
    smo.start(posted="2025-11-20T09:00", detected="2025-11-20T09:30")  # not routed yet: no topic
    with pytest.raises(InvalidSubmission) as error:  # the curator must say what the information is about
        smo.complete("route_message", "curator", {k: v for k, v in ROUTE.items() if k != "topic"})
    assert "topic" in error.value.errors
    with smo.db.session() as session:
        summary = build_summary(session, "smolensk", "2025-11")
    assert summary.messages == 4
    assert summary.by_topic == Counter({"roads_transport": 2, "healthcare": 1, "—": 1})


def _message(network: str) -> MessageInput:
    at = datetime.fromisoformat(f"{DAY}T09:30+03:00")
    return MessageInput(region="smolensk", network=network, url="https://example.org/post/1", author="Иван Петров",
                        text="Яма на дороге у школы № 5", posted_at=at, detected_at=at)


@pytest.mark.parametrize("network, listed", [("ok", True), ("vk", True), ("facebook", True), ("twitter", True),
                                              ("instagram", True), ("telegram", False), ("blog", False)])
def test_clause_1_only_the_networks_the_act_lists_are_registered(smo, network, listed) -> None:  # type: ignore[no-untyped-def]
    smo.at(f"{DAY}T10:00")
    with smo.db.session() as session:
        assert registration.accepted_networks(session, "smolensk") == ("ok", "vk", "facebook", "twitter", "instagram")
        problems = registration.registration_problems(session, _message(network))
        assert problems == ({} if listed else {"network": "not_listed"})
        if not listed:
            with pytest.raises(InvalidSubmission) as error:
                registration.register_message(session, _message(network), "curator")
            assert error.value.errors == {"network": "not_listed"}
        else:
            assert registration.register_message(session, _message(network), "curator").status == "running"


def overdue_notices(case) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """(recipient, organisation) of the notices that the information was neither accepted nor returned."""
    from engine.models import Notification

    with case.db.session() as session:
        return [(n.recipient, n.organisation_key) for n in session.scalars(
            select(Notification).where(Notification.instance_id == case.instance_id, Notification.subject.contains("п. 6"),
                                       Notification.subject.contains("не принята")).order_by(Notification.id))]


def test_clause_6_an_agency_that_neither_accepts_nor_returns_is_reported_at_8_hours_and_charged_once(smo) -> None:  # type: ignore[no-untyped-def]
    begin(smo)  # received Mon 10:00 → п. 6: Tue 10:00
    smo.at("2025-11-18T09:59")
    assert overdue_notices(smo) == [] and smo.violations() == []
    smo.at("2025-11-18T10:01")
    # п. 13: the supervising deputy governor of the agency holding it is told at once.
    assert overdue_notices(smo) == [("deputy_governor", "smo_roads")]
    smo.at("2025-11-18T12:00")
    smo.complete("accept_message", EXEC, {"competent": True})  # accepted at last: п. 6 is recorded once, due Tue 10:00
    assert smo.violations() == [("6", "draft", smo.local("2025-11-18T10:00"))]
    smo.at("2025-11-19T12:00")
    assert smo.violations() == [("6", "draft", smo.local("2025-11-18T10:00"))] and charged(smo) == [("6", "smo_roads")]
