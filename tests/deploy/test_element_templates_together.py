"""Every kind of element template applied to one copy of bpmn/orenburg.bpmn at once, the way Camunda
Modeler applies them: the result deploys and passes bpmnlint (each template alone:
test_element_templates_apply.py)."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from tests.deploy.test_element_templates import CAMUNDA, _role_templates, _user_task_templates, bound, template_named
from tests.deploy.test_element_templates_apply import (
    apply_template,
    deploys,
    event_properties,
    orenburg,
    set_timer,
    timer_expression,
)


def _everything_applied() -> etree._Element:
    root = orenburg()
    hours, minutes, days = (template_named(f"Срок в рабочих {unit}") for unit in ("часах", "минутах", "днях"))
    for event_id, template, fields in [
        ("routing_deadline", minutes, {"timer.amount": "30", "timer.since": "detected_at"}),
        ("return_deadline", minutes, {"timer.amount": "30"}),
        ("draft_deadline", hours, {"timer.amount": "8", "timer.since": "received_at"}),
        ("answer_deadline", hours, {"timer.amount": "answer_hours", "timer.since": "detected_at"}),
        ("final_deadline", days, {"timer.amount": "7", "timer.since": "posted_at"}),
    ]:
        event = apply_template(root, event_id, template, fields)
        set_timer(event, timer_expression(event_properties(event)))
    moment = next(t for t in _user_task_templates() if t["name"].startswith("Запомнить момент")
                  and bound(t, "camunda:candidateGroups")["value"] == "curator")
    apply_template(root, "route_message", moment, {"camunda:formRef": "orenburg_routing"})
    apply_template(root, "reroute_message", _role_templates()["curator"], {"camunda:formRef": "orenburg_routing"})
    apply_template(root, "draft_answer", _role_templates()["executor"])
    apply_template(root, "compose_joint_answer", _role_templates()["last_executor"])
    apply_template(root, "record_routing_violation", template_named("Зафиксировать нарушение срока"),
                   {"clause": "6", "deadline": "routing"})
    apply_template(root, "record_final_violation", template_named("Зафиксировать нарушение срока"),
                   {"clause": "13", "deadline": "final", "organisation": "agency"})
    apply_template(root, "forward_threat", template_named("Уведомить"),
                   {"recipient": "authorities", "subject": "Угроза: сообщение направлено в госорганы (п. 17)"})
    return root


def test_all_templates_together_deploy() -> None:
    root = _everything_applied()
    templated = {e.get(f"{{{CAMUNDA}}}modelerTemplate") for e in root.iter() if isinstance(e.tag, str)} - {None}
    assert len(templated) == 9
    deploys(root)


def test_templated_diagram_passes_bpmnlint(tmp_path: Path) -> None:
    from tests.deploy.test_bpmnlint import lint  # skips when bpmnlint is not installed

    path = tmp_path / "orenburg.bpmn"
    path.write_bytes(etree.tostring(_everything_applied(), xml_declaration=True, encoding="UTF-8"))
    result = lint(path)
    assert result.returncode == 0, result.stdout + result.stderr
