"""The procedure card (engine.views.procedure_card) read from the real diagrams in bpmn/."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.bpmn.xmlsafe import UnsafeXml
from engine.texts import language
from engine.views.procedure_card import clauses_in, procedure_card, read_diagram

ROOT = Path(__file__).resolve().parents[2]
# Every shipped diagram (a new one in bpmn/ is checked without editing this test).
DIAGRAMS = sorted(str(p.relative_to(ROOT / "bpmn").with_suffix("")) for p in (ROOT / "bpmn").glob("**/*.bpmn"))


@pytest.fixture(autouse=True)
def _russian() -> Iterator[None]:
    """These tests read the Russian words (the suite writes English by default, tests/conftest.py);
    the English ones: tests/unit/test_deadline_words.py, test_english_words."""
    with language("ru"):
        yield


def xml(name: str) -> str:
    return (ROOT / "bpmn" / f"{name}.bpmn").read_text(encoding="utf-8")


def forms() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((ROOT / "forms").glob("*.form"))}


def test_orenburg_starts_with_routing_within_30_minutes_of_detection_clause_6() -> None:
    card = procedure_card(xml("orenburg"), forms())
    assert (card.process_id, card.region) == ("orenburg", "orenburg")
    assert card.steps[0].kind == "start" and card.steps[0].element_id == "message_detected"
    first = next(s for s in card.steps if s.kind == "user_task")
    assert first.element_id == "route_message" and card.steps[1] is first
    assert first.role == "curator" and first.lane == "Куратор (министерство)"
    assert first.deadline_words == "30 рабочих минут с момента выявления"
    assert first.deadline_element_id == "routing_deadline"
    assert first.clauses[0] == "6"
    assert first.form_id == "orenburg_routing"
    timer = card.steps[2]
    assert (timer.element_id, timer.kind, timer.host_id) == ("routing_deadline", "timer", "route_message")
    assert timer.clauses == ("6",) and timer.expression == "working_minutes(30, since=detected_at)"
    assert card.summary == "ежемесячно, заместителю министра (п. 20)"
    assert "156-ук" in card.name and "59-ФЗ" in card.documentation


def test_orenburg_steps_people_act_on_only() -> None:
    card = procedure_card(xml("orenburg"), forms())
    ids = [s.element_id for s in card.steps]
    # record_violation tasks, plain ends and unnamed merges are not on the card.
    assert "record_routing_violation" not in ids and "routing_violation_recorded" not in ids
    assert "draft_merge" not in ids and "answer_split" not in ids
    kinds = {s.element_id: s.kind for s in card.steps}
    assert kinds["forward_threat"] == kinds["report_to_governor"] == "service_task"
    assert kinds["answered"] == kinds["no_answer_threat"] == "end"
    assert kinds["category_gateway"] == "gateway"
    # Every boundary timer comes right after its task.
    for index, step in enumerate(card.steps):
        if step.host_id:
            previous = card.steps[index - 1]
            assert previous.element_id == step.host_id or previous.host_id == step.host_id
    # Flow order: routing before drafting, drafting before approval, approval before publication.
    assert ids.index("route_message") < ids.index("draft_answer") < ids.index("approve_answer") < ids.index("publish_answer")
    publish = card.step("publish_answer")
    assert (publish.role, publish.organisation) == ("executor", "agency")
    assert card.step("prepare_part").multi_instance and card.step("prepare_part").organisation == "part"
    assert card.step("compose_joint_answer").role == "last_executor"


def test_orenburg_whole_answer_and_draft_read_the_curators_case_value() -> None:
    card = procedure_card(xml("orenburg"), forms())
    answer = card.step("answer_deadline")
    assert answer.deadline_words.startswith("9 рабочих часов с момента выявления")
    assert not answer.is_parameter  # answer_hours is set on the routing form (п. 6), not a diagram parameter
    # п. 9: the routing step computes draft_hours (answer_hours − 4, or the whole term when it is 4 h or less).
    assert card.step("draft_answer").deadline_words.startswith("5 рабочих часов с момента выявления")
    assert card.step("final_deadline").deadline_words == "7 рабочих дней с момента размещения сообщения"
    assert card.step("final_deadline").clauses == ("13",)
    # Without the forms the card cannot know a person sets it, and says it is a parameter.
    assert procedure_card(xml("orenburg")).step("answer_deadline").parameters == ("answer_hours",)


def test_smolensk_draft_counts_from_receipt_from_the_curator() -> None:
    card = procedure_card(xml("smolensk"), forms())
    draft = card.step("draft_answer")
    assert draft.deadline_words == "8 рабочих часов с момента получения от куратора"
    assert draft.deadline_element_id == "draft_deadline" and draft.clauses[0] == "6"
    review = card.step("review_answer")
    assert (review.role, review.form_id, review.deadline_words) == ("curator", "publish_or_return", "1 рабочий час с начала шага")
    assert card.step("report_to_governor").kind == "service_task"


def test_kaluga_parameters_are_listed_with_defaults() -> None:
    card = procedure_card(xml("kaluga"), forms())
    expected = {"routing_hours": "1", "draft_hours": "8", "review_hours": "2", "rework_hours": "1",
                "publication_hours": "1", "final_days": "7"}
    assert {k: card.parameters[k] for k in expected} == expected
    assert card.summary == "ежеквартально, Губернатору (п. 1.1)"
    draft = card.step("draft_answer")
    assert draft.deadline_words == "8 рабочих часов с начала шага (параметр процедуры, по умолчанию)"
    assert draft.is_parameter and draft.parameters == ("draft_hours",)
    review = card.step("deputy_review")
    assert (review.role, review.lane) == ("deputy_head", "Заместитель руководителя органа (п. 2.4)")
    assert review.deadline_words == "2 рабочих часа с начала шага (параметр процедуры, по умолчанию)"
    timers = [s for s in card.steps if s.kind == "timer"]
    assert timers and all(s.is_parameter for s in timers)


def test_kalmanka_reception_registration_and_same_day_draft() -> None:
    card = procedure_card(xml("kalmanka"), forms())
    assert card.step("register_at_reception").role == "reception"
    assert card.step("answer_deadline").deadline_words == "до конца следующего рабочего дня после регистрации"
    assert card.step("draft_answer").deadline_words == "до конца рабочего дня начала шага"
    assert card.step("not_processed").kind == "end" and card.step("not_processed").clauses == ("11",)
    assert card.summary is None


@pytest.mark.parametrize("name", DIAGRAMS)
def test_every_diagram_has_a_card_with_each_element_once(name: str) -> None:
    card = procedure_card(xml(name), forms())
    ids = [s.element_id for s in card.steps]
    assert len(ids) == len(set(ids)) and card.region == read_diagram(xml(name)).properties["region"] != ""
    user_tasks = [n.id for n in read_diagram(xml(name)).nodes.values() if n.tag == "userTask"]
    assert sorted(s.element_id for s in card.steps if s.kind == "user_task") == sorted(user_tasks)
    assert all(s.role for s in card.steps if s.kind == "user_task")
    assert all(s.deadline_words and not s.deadline_words.startswith("выражение") for s in card.steps if s.kind == "timer")


def test_clause_references() -> None:
    assert clauses_in("п. 6: куратор …") == ("6",)
    assert clauses_in("п. 4, 6: выявление", "п. 2.4 заместитель") == ("4", "6", "2.4")
    assert clauses_in("пп. 4–17 и 21; п. 10") == ("4–17", "21", "10")
    assert clauses_in("пост. № 65, п. 25.") == ("25",)
    assert clauses_in("нет ссылок", "") == ()


def test_the_xml_is_parsed_safely() -> None:
    hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(UnsafeXml):
        procedure_card(hostile)
    with pytest.raises(ValueError):
        procedure_card('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>')
