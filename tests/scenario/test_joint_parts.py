"""Joint answers in every order the parts can arrive (Smolensk п. 10, Orenburg п. 14).

A co-executor may send its part before the main agency sends its own: SpiffWorkflow's Camunda
parser wrote each part back into ``co_agencies`` and the join of the two branches then failed
(engine.spiff.multi_instance). Whatever the order, the answer's author gets every part, the list of
co-executors stays the list the curator ticked, and the case goes on to the answer.
"""
from __future__ import annotations

from typing import Any

import pytest

from engine.views import message_card as cardview
from engine.views import task as taskview
from tests.scenario.test_orenburg import DRAFT, PUBLISH
from tests.scenario.test_orenburg import EXEC as ORB_EXEC
from tests.scenario.test_orenburg import begin as orb_begin
from tests.scenario.test_smolensk import EXEC, accept, begin, smolensk  # noqa: F401


@pytest.fixture
def smo(db, request):  # type: ignore[no-untyped-def]
    """The Smolensk scenario driver (tests/scenario/test_smolensk.py's fixture)."""
    return request.getfixturevalue("smolensk")


SMOLENSK_PARTS = {
    "smo_roads": "Яма будет отремонтирована 20.11",
    "smo_health": "Травмпункт работает круглосуточно",
    "smo_edu": "Школа № 5 предупреждена",
}


def _compose_page(case: Any, login: str) -> taskview.TaskView:
    compose = case.task("compose_joint_answer")
    with case.db.session() as session:
        return taskview.task_view(session, compose.id, login)


def _card_parts(case: Any) -> dict[str | None, str]:
    with case.db.session() as session:
        card = cardview.message_card(session, case.message().id, "curator")
        return {part.organisation_key: part.text for part in card.parts}


def _send_smolensk(case: Any, agency: str) -> None:
    if agency == "smo_roads":
        case.complete("prepare_own_part", EXEC, {"part_text": SMOLENSK_PARTS[agency]})
    else:
        case.complete("prepare_part", f"exec_{agency}", {"part_text": SMOLENSK_PARTS[agency]}, agency)


@pytest.mark.parametrize("order", [
    ("smo_roads", "smo_health", "smo_edu"),  # the main agency's own part first
    ("smo_health", "smo_edu", "smo_roads"),  # every co-executor before it
    ("smo_health", "smo_roads", "smo_edu"),  # interleaved
    ("smo_edu", "smo_roads", "smo_health"),  # interleaved, the other co-executor first
], ids="-".join)
def test_smolensk_joint_answer_gets_every_part_in_any_order(smo, order) -> None:  # type: ignore[no-untyped-def]
    begin(smo, co_agencies=["smo_health", "smo_edu"])
    accept(smo)
    for agency in order[:-1]:
        _send_smolensk(smo, agency)
        assert "compose_joint_answer" not in smo.open_elements()  # the curator waits for every part
    _send_smolensk(smo, order[-1])
    assert smo.open_elements() == ["compose_joint_answer"]
    view = _compose_page(smo, "curator")
    own = {item.key: item.value for item in view.case_items}["part_text"]
    parts = {part.item: part.items[0].value for part in view.parts}
    assert own == SMOLENSK_PARTS["smo_roads"]
    assert parts == {"smo_health": SMOLENSK_PARTS["smo_health"], "smo_edu": SMOLENSK_PARTS["smo_edu"]}
    # The co-executors ticked by the curator stay a list of agencies, as Camunda 7 keeps a collection.
    assert view.context["co_agencies"] == ["smo_health", "smo_edu"]
    assert _card_parts(smo) == SMOLENSK_PARTS
    smo.complete("compose_joint_answer", "curator",
                      {"answer_text": "Общий ответ трёх органов", "answer_url": "https://vk.com/wall-1_1?reply=2"})
    assert smo.instance().status == "completed"


def test_smolensk_one_co_executor_before_the_main_agency(smo) -> None:  # type: ignore[no-untyped-def]
    """The demo's crash: the only co-executor answers first, then the main agency."""
    begin(smo, co_agencies=["smo_edu"])
    accept(smo)
    _send_smolensk(smo, "smo_edu")
    _send_smolensk(smo, "smo_roads")
    assert smo.open_elements() == ["compose_joint_answer"]
    view = _compose_page(smo, "curator")
    assert {part.item: part.items[0].value for part in view.parts} == {"smo_edu": SMOLENSK_PARTS["smo_edu"]}
    assert {item.key: item.value for item in view.case_items}["part_text"] == SMOLENSK_PARTS["smo_roads"]


ORENBURG_PARTS = {"orb_health": "Поликлиника работает", "orb_housing": "УК уведомлена"}


@pytest.mark.parametrize("order", [("orb_health", "orb_housing"), ("orb_housing", "orb_health")], ids="-".join)
def test_orenburg_joint_answer_gets_every_part_in_any_order(orenburg, order) -> None:  # type: ignore[no-untyped-def]
    orb_begin(orenburg, co_agencies=["orb_health", "orb_housing"])
    orenburg.complete("prepare_part", f"exec_{order[0]}", {"part_text": ORENBURG_PARTS[order[0]]}, order[0])
    assert orenburg.open_elements() == ["prepare_part"]
    orenburg.complete("prepare_part", f"exec_{order[1]}", {"part_text": ORENBURG_PARTS[order[1]]}, order[1])
    assert orenburg.open_elements() == ["compose_joint_answer"]
    view = _compose_page(orenburg, ORB_EXEC)
    assert {part.item: part.items[0].value for part in view.parts} == ORENBURG_PARTS
    assert view.context["co_agencies"] == ["orb_health", "orb_housing"]
    assert _card_parts(orenburg) == ORENBURG_PARTS
    orenburg.complete("compose_joint_answer", ORB_EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    orenburg.complete("publish_answer", ORB_EXEC, PUBLISH)
    assert orenburg.instance().status == "completed"


def _as_saved_before_the_fix(case: Any) -> None:
    """Save the case as SpiffWorkflow's Camunda parser left it: each part written into ``co_agencies``
    in place of its key, nothing gathered apart."""
    from engine.models import Instance
    from engine.runtime import store
    from engine.spiff.multi_instance import PARTS_PREFIX
    from engine.spiff.serializer import dump_state

    with case.db.session() as session:
        instance = session.get_one(Instance, case.instance_id)
        workflow = store.load(session, instance, for_update=True)
        rewritten = 0
        for task in workflow.tasks.values():
            for key in [k for k in task.data if k.startswith(PARTS_PREFIX)]:
                parts = {part["item"]: part for part in task.data.pop(key)}
                task.data["co_agencies"] = [parts.get(agency, agency) for agency in task.data["co_agencies"]]
                rewritten += 1
        assert rewritten  # the state did hold gathered parts to write back
        instance.state = dump_state(workflow)


@pytest.mark.parametrize("sent", [(), ("smo_edu",), ("smo_edu", "smo_health")],
                         ids=["step-started", "step-running", "step-done"])
def test_a_case_saved_before_the_fix_goes_on(smo, sent) -> None:  # type: ignore[no-untyped-def]
    begin(smo, co_agencies=["smo_health", "smo_edu"])
    accept(smo)
    for agency in sent:
        _send_smolensk(smo, agency)
    _as_saved_before_the_fix(smo)
    for agency in [a for a in ("smo_edu", "smo_health", "smo_roads") if a not in sent]:
        _send_smolensk(smo, agency)
    assert smo.open_elements() == ["compose_joint_answer"]
    view = _compose_page(smo, "curator")
    assert {part.item: part.items[0].value for part in view.parts} == \
        {"smo_health": SMOLENSK_PARTS["smo_health"], "smo_edu": SMOLENSK_PARTS["smo_edu"]}
    assert view.context["co_agencies"] == ["smo_health", "smo_edu"]
