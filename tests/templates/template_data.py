"""The municipal template (bpmn/templates/municipal.bpmn), a version 2 of it as the model's authors would
publish one, and a Kalmanka case started on whatever Kalmanka runs."""
from __future__ import annotations

from engine.deployment.deployer import Source, deploy, library_forms
from engine.runtime import cases as runtime
from tests.factories import ROOT
from tests.scenario.driver import Case

TEMPLATE_FILE = ROOT / "bpmn" / "templates" / "municipal.bpmn"
TEMPLATE = "municipal_template"
PROCESS = "municipal_template_kalmanka"  # an adoption's default key: <template>_<territory>
OFFICIAL, CLERK, EXEC, ANALYST = "kal_official", "kal_clerk", "exec_kal_roads", "kal_analyst"


def deploy_template(session, text: str | None = None):  # type: ignore[no-untyped-def]
    data = (text if text is not None else TEMPLATE_FILE.read_text(encoding="utf-8")).encode("utf-8")
    [deployed] = deploy(session, [Source("municipal.bpmn", data)], "analyst", extra_forms=library_forms())
    return deployed


def version_2() -> str:
    """The template with the draft deadline one working day longer, a new parameter (notify_days) and
    final_days no longer a parameter (its var.* stays: the deadline keeps reading it)."""
    text = TEMPLATE_FILE.read_text(encoding="utf-8")
    before = len(text)
    text = text.replace(">working_days(draft_days)<", ">working_days(draft_days + 1)<")
    for attribute in ("type", "label", "help", "clause"):
        start = text.index(f'<camunda:property name="param.final_days.{attribute}"')
        text = text[:start] + text[text.index("/>", start) + 2:]
    anchor = '<camunda:property name="var.published" value="False" />'
    text = text.replace(anchor, anchor + '<camunda:property name="var.notify_days" value="3" />'
                        '<camunda:property name="param.notify_days.type" value="days" />'
                        '<camunda:property name="param.notify_days.label" value="Срок уведомления автора" />')
    assert len(text) != before
    return text


def start(case: Case, detected: str = "2025-11-10T10:00") -> int:
    """A Kalmanka message registered at ``detected`` (local time): the instance's id."""
    case.clock.set(case.local(detected))
    with case.db.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="kalmanka", network="ok", url="https://ok.ru/group/1/topic/2", author="Мария Иванова",
            text="На улице Ленина третью неделю не горят фонари", posted_at=case.local(detected),
            detected_at=case.local(detected)), OFFICIAL)
        case.instance_id = instance.id
        return instance.id
