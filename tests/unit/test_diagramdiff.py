"""The version diff names what changed in how cases run, element by element, in Russian (and in
English for a reader of English)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.bpmn.diagramdiff import diff_versions
from engine.bpmn.xmlsafe import UnsafeXml
from engine.texts import language

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")
FORMS = {path.stem: path.read_text(encoding="utf-8") for path in (ROOT / "forms").glob("*.form")}

NEW_TASK = ('<bpmn:userTask id="check_spelling" name="Проверить орфографию" camunda:formRef="approve_answer" '
            'camunda:candidateGroups="curator"><bpmn:documentation>п. 10</bpmn:documentation></bpmn:userTask>')


@pytest.fixture(autouse=True)
def _russian() -> Iterator[None]:
    """Russian unless a test says otherwise (the suite writes English by default, tests/conftest.py)."""
    with language("ru"):
        yield


def edited(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def without_task(text: str, task_id: str) -> str:
    start = text.index(f'<bpmn:userTask id="{task_id}"')
    end = text.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    return text[:start] + text[end:]


def by_id(changes):  # type: ignore[no-untyped-def]
    return {c.element_id: c for c in changes}


def test_same_version_has_no_changes() -> None:
    diff = diff_versions(ORENBURG, FORMS, ORENBURG, FORMS)
    assert diff.empty and diff.process_id == "orenburg"
    assert diff.old_markers() == {} and diff.new_markers() == {}


def test_moving_shapes_is_not_a_change() -> None:
    moved = re.sub(r'(<dc:Bounds x=")(\d+)', lambda m: f"{m.group(1)}{int(m.group(2)) + 40}", ORENBURG)
    assert moved != ORENBURG
    assert diff_versions(ORENBURG, FORMS, moved, FORMS).empty


def test_a_changed_timer_removed_task_added_task_and_changed_form() -> None:
    new = edited(ORENBURG, "working_hours(draft_hours, since=detected_at)",
                 "working_hours(draft_hours + 1, since=detected_at)")  # draft_deadline only (first one)
    new = without_task(new, "draft_final_answer")
    new = edited(new, '<bpmn:exclusiveGateway id="category_gateway"', NEW_TASK + '<bpmn:exclusiveGateway id="category_gateway"')
    forms = dict(FORMS, approve_answer=FORMS["approve_answer"].replace("Решение куратора", "Решение куратора (п. 10)"))

    diff = diff_versions(ORENBURG, FORMS, new, forms)

    changed = by_id(diff.changed)
    deadline = [c for c in diff.changed if any(r.startswith("срок:") for r in c.reasons)]
    assert len(deadline) == 1
    assert deadline[0].element_type == "boundaryEvent"
    assert deadline[0].reasons == ("срок: working_hours(draft_hours, since=detected_at) → "
                                   "working_hours(draft_hours + 1, since=detected_at)",)
    assert changed["approve_answer"].reasons == ("форма изменена",)
    assert [(c.element_id, c.element_type, c.name) for c in diff.removed] == [
        ("draft_final_answer", "userTask", "Подготовить окончательный ответ")]
    assert [(c.element_id, c.name) for c in diff.added] == [("check_spelling", "Проверить орфографию")]
    # The lane still lists the removed task, the flows still point at it: neither is a change of
    # those elements (the deployment check reports such a diagram; the diff only compares).
    assert "lane_executor" not in changed

    assert diff.old_markers() == {"draft_final_answer": "marker-removed", deadline[0].element_id: "marker-changed",
                                  "approve_answer": "marker-changed"}
    assert diff.new_markers() == {"check_spelling": "marker-added", deadline[0].element_id: "marker-changed",
                                  "approve_answer": "marker-changed"}


def test_reformatted_form_is_not_a_change() -> None:
    forms = dict(FORMS, approve_answer=json.dumps(json.loads(FORMS["approve_answer"]), indent=8))
    assert diff_versions(ORENBURG, FORMS, ORENBURG, forms).empty


def test_role_lane_form_ref_condition_default_and_outputs() -> None:
    new = edited(ORENBURG, 'id="approve_answer" name="Согласовать проект ответа" camunda:formRef="approve_answer"',
                 'id="approve_answer" name="Согласовать ответ" camunda:formRef="publish_or_return"')
    new = edited(new, "category == 'threat'", "category in ('threat', 'extremism')")
    new = edited(new, 'id="category_gateway" name="Категория сообщения" default="category_answerable"',
                 'id="category_gateway" name="Категория сообщения" default="category_obscene"')
    new = edited(new, '<camunda:property name="organisation" value="part" />',
                 '<camunda:property name="organisation" value="agency" />')
    diff = diff_versions(ORENBURG, FORMS, new, FORMS)
    changed = by_id(diff.changed)
    assert changed["approve_answer"].reasons == ("название: Согласовать проект ответа → Согласовать ответ",
                                                 "форма (formRef): approve_answer → publish_or_return")
    assert changed["category_threat"].reasons == ("условие: category == 'threat' → category in ('threat', 'extremism')",)
    assert changed["category_threat"].element_type == "sequenceFlow"
    assert changed["category_gateway"].reasons == ("поток по умолчанию: category_answerable → category_obscene",)
    assert changed["prepare_part"].reasons == ("свойство organisation: part → agency",)
    assert not diff.added and not diff.removed


def test_candidate_group_and_lane_move() -> None:
    new = edited(ORENBURG, 'camunda:candidateGroups="curator">\n      <bpmn:documentation>п. 4, 10',
                 'camunda:candidateGroups="supervisor">\n      <bpmn:documentation>п. 4, 10')
    new = edited(new, "        <bpmn:flowNodeRef>approve_answer</bpmn:flowNodeRef>\n", "")
    new = edited(new, "<bpmn:flowNodeRef>compose_joint_answer</bpmn:flowNodeRef>",
                 "<bpmn:flowNodeRef>compose_joint_answer</bpmn:flowNodeRef><bpmn:flowNodeRef>approve_answer</bpmn:flowNodeRef>")
    [change] = diff_versions(ORENBURG, FORMS, new, FORMS).changed
    assert change.element_id == "approve_answer"
    assert change.reasons == ("дорожка: lane_curator → lane_last_executor", "роль (candidateGroups): curator → supervisor")


def test_output_parameter_and_documentation() -> None:
    new = edited(ORENBURG, "<bpmn:documentation>п. 13: после промежуточного ответа исполнитель",
                 "<bpmn:documentation>п. 13 (ред. 2025): после промежуточного ответа исполнитель")
    new = edited(new, '<camunda:property name="organisation" value="agency" />\n        </camunda:properties>\n'
                      "      </bpmn:extensionElements>\n      <bpmn:incoming>interim_published",
                 '<camunda:property name="organisation" value="agency" />\n        </camunda:properties>\n'
                 '<camunda:inputOutput><camunda:outputParameter name="final_started_at">now()</camunda:outputParameter>'
                 "</camunda:inputOutput>\n      </bpmn:extensionElements>\n      <bpmn:incoming>interim_published")
    [change] = diff_versions(ORENBURG, FORMS, new, FORMS).changed
    assert change.element_id == "draft_final_answer"
    assert change.reasons == ("описание изменено", "выходной параметр final_started_at: добавлено = now()")


def test_process_parameters() -> None:
    new = edited(ORENBURG, '<camunda:property name="var.answer_hours" value="9" />',
                 '<camunda:property name="var.answer_hours" value="8" /><camunda:property name="var.strict" value="True" />')
    new = edited(new, '<camunda:property name="var.importance" value="\'normal\'" />', "")
    diff = diff_versions(ORENBURG, FORMS, new, FORMS)
    assert diff.process == ("параметр answer_hours: 9 → 8", "параметр importance: удалено (было 'normal')",
                            "параметр strict: добавлено = True")
    assert not diff.changes and not diff.empty


def test_a_declared_parameter_is_named_by_its_label() -> None:
    """A template names its parameters (param.<name>.label): the upgrade panel reads the label."""
    labelled = edited(ORENBURG, '<camunda:property name="var.answer_hours" value="9" />',
                      '<camunda:property name="var.answer_hours" value="9" />'
                      '<camunda:property name="param.answer_hours.label" value="Срок ответа" />')
    new = edited(labelled, '<camunda:property name="var.answer_hours" value="9" />',
                 '<camunda:property name="var.answer_hours" value="8" />')
    assert diff_versions(labelled, FORMS, new, FORMS).process == ("параметр «Срок ответа»: 9 → 8",)


def test_a_new_timer_expression_is_quoted_for_people() -> None:
    text = edited(ORENBURG, "working_hours(answer_hours, since=detected_at)", "working_hours(9, since=detected_at)")
    new = edited(text, "working_hours(9, since=detected_at)", "working_hours(8, since=detected_at)")
    [change] = diff_versions(text, FORMS, new, FORMS).changed
    assert change.element_id == "answer_deadline"
    assert change.reasons == ("срок: working_hours(9, since=detected_at) → working_hours(8, since=detected_at)",)


def test_unsafe_xml_is_refused() -> None:
    evil = ORENBURG.replace("?>", '?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    with pytest.raises(UnsafeXml):
        diff_versions(ORENBURG, FORMS, evil, FORMS)


def test_reasons_are_written_in_the_readers_language() -> None:
    new = edited(ORENBURG, '<camunda:property name="var.answer_hours" value="9" />',
                 '<camunda:property name="var.answer_hours" value="8" />')
    new = edited(new, '<camunda:property name="var.importance" value="\'normal\'" />', "")
    with language("en"):
        diff = diff_versions(ORENBURG, FORMS, new, FORMS)
    assert diff.process == ("parameter answer_hours: 9 → 8", "parameter importance: removed (was 'normal')")
