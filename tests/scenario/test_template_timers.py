"""Timers built from the «Срок в рабочих …» element templates show everywhere like typed ones.

The documented way (docs/analyst-guide.md): pick the template on a timer event, type the amount,
leave the Timer field empty. The engine builds ``working_hours(8)`` from the fields
(engine.bpmn.timer_template); the procedure card, the comparison, the inbox and the message card
must read that same deadline, not an empty timer.
"""
from __future__ import annotations

from lxml import etree

from engine.deployment.deployer import Source, deploy, library_forms
from engine.views.comparison import compare
from engine.views.message_card import message_card
from engine.views.procedure_card import procedure_card
from tests.deploy.test_element_templates import NS, ORENBURG, template_named
from tests.deploy.test_element_templates_apply import apply_template
from tests.factories import orenburg_people
from tests.scenario.driver import Case

ROUTE = {"category": "ordinary", "topic": "roads_transport", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}


def _template_built() -> bytes:
    """Orenburg with the routing and approval deadlines made from the templates, Timer left empty."""
    root = etree.fromstring(ORENBURG)
    for event_id, name, fields in (
            ("routing_deadline", "Срок в рабочих минутах", {"timer.amount": "30", "timer.since": "detected_at"}),
            ("approval_deadline", "Срок в рабочих минутах", {"timer.amount": "30"})):
        event = apply_template(root, event_id, template_named(name), fields)
        definition = event.find("bpmn:timerEventDefinition", NS)
        for old in list(definition):
            definition.remove(old)  # a new timer event, as the Modeler creates it
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _typed() -> bytes:
    return ORENBURG if isinstance(ORENBURG, bytes) else ORENBURG.encode()


def test_the_procedure_card_reads_a_template_built_deadline() -> None:
    built, typed = procedure_card(_template_built().decode()), procedure_card(_typed().decode())
    for element_id in ("routing_deadline", "approval_deadline", "route_message", "approve_answer"):
        assert built.step(element_id).deadline_words, element_id
        assert built.step(element_id).deadline_words == typed.step(element_id).deadline_words


def test_the_comparison_reads_a_template_built_deadline() -> None:
    built = compare({"orenburg": _template_built().decode()})
    typed = compare({"orenburg": _typed().decode()})
    for row in ("routing", "approval"):
        assert built.cell("orenburg", row).text not in ("", "—"), row
        assert built.cell("orenburg", row) == typed.cell("orenburg", row)


def test_the_inbox_and_the_card_show_a_template_built_deadline(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        orenburg_people(session)
        deploy(session, [Source("orenburg.bpmn", _template_built())], "analyst", extra_forms=library_forms())
    case = Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    assert case.due("route_message") == case.local("2025-11-10T10:30")  # the inbox's deadline
    with db.session() as session:
        card = message_card(session, case.message().id, "curator")
    assert [d.due_at for d in card.deadlines if d.due_at == case.local("2025-11-10T10:30")]
    case.at("2025-11-10T10:31")
    assert case.violations() == [("6", "routing", case.local("2025-11-10T10:30"))]
