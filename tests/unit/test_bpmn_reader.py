"""The one diagram reader (engine.bpmn.reader): namespaces by URI whatever the prefix, one parse per
content, one clause parser, and what the read models ask of an element."""
from __future__ import annotations

import re

import pytest

from engine.bpmn import namespaces
from engine.bpmn.reader import REFUSED_NODES, clause_of, clauses_in, read, read_diagram
from engine.bpmn.xmlsafe import UnsafeXml
from engine.deployment import validation
from tests.factories import ROOT

BODY = """
  <{p}collaboration id="collab"><{p}participant id="pool" processRef="proc"/></{p}collaboration>
  <{p}process id="proc" name="Проверка  обращения" isExecutable="true">
    <{p}documentation>Порядок, п. 3</{p}documentation>
    <{p}extensionElements><camunda:properties>
      <camunda:property name="region" value="orenburg"/><camunda:property name="var.answer_hours" value="8"/>
    </camunda:properties></{p}extensionElements>
    <{p}laneSet id="lanes"><{p}lane id="lane_curator" name="Куратор">
      <{p}flowNodeRef>start</{p}flowNodeRef><{p}flowNodeRef>route</{p}flowNodeRef>
    </{p}lane></{p}laneSet>
    <{p}startEvent id="start"><{p}outgoing>f1</{p}outgoing></{p}startEvent>
    <{p}userTask id="route" name="Направить  сообщение" camunda:candidateGroups="curator" camunda:formRef="route">
      <{p}documentation>пп. 6–7 и 9: куратор направляет</{p}documentation>
      <{p}extensionElements><camunda:inputOutput>
        <camunda:outputParameter name="received_at">now()</camunda:outputParameter>
      </camunda:inputOutput></{p}extensionElements>
      <{p}incoming>f1</{p}incoming><{p}outgoing>f2</{p}outgoing>
    </{p}userTask>
    <{p}boundaryEvent id="late" name="30 минут, п. 6" attachedToRef="route" cancelActivity="false">
      <{p}timerEventDefinition id="t"><{p}timeDuration> PT30M </{p}timeDuration></{p}timerEventDefinition>
    </{p}boundaryEvent>
    <{p}endEvent id="end"><{p}incoming>f2</{p}incoming><{p}terminateEventDefinition id="x"/></{p}endEvent>
    <{p}sequenceFlow id="f1" sourceRef="start" targetRef="route"/>
    <{p}sequenceFlow id="f2" name="дальше" sourceRef="route" targetRef="end">
      <{p}conditionExpression> approved </{p}conditionExpression>
    </{p}sequenceFlow>
  </{p}process>
"""


def written(prefix: str, declaration: str) -> str:
    return (f'<{prefix}definitions {declaration} xmlns:camunda="{namespaces.CAMUNDA}" id="d">'
            + BODY.format(p=prefix) + f"</{prefix}definitions>")


SPELLINGS = {
    "bpmn:": written("bpmn:", f'xmlns:bpmn="{namespaces.BPMN}"'),
    "bpmn2:": written("bpmn2:", f'xmlns:bpmn2="{namespaces.BPMN}"'),
    "default namespace": written("", f'xmlns="{namespaces.BPMN}"'),
}


def facts(xml: str) -> tuple[object, ...]:
    diagram = read_diagram(xml)
    return (diagram.process_id, diagram.name, diagram.properties, dict(diagram.nodes), diagram.flows,
            dict(diagram.lanes), diagram.order, dict(diagram.pools))


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_diagram_reads_the_same_whatever_prefix_it_uses(spelling: str) -> None:
    assert facts(SPELLINGS[spelling]) == facts(SPELLINGS["bpmn:"])


def test_namespaces_are_written_once_in_both_spellings() -> None:
    assert namespaces.bpmn("userTask") == "{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask"
    assert namespaces.camunda("formRef") == "{http://camunda.org/schema/1.0/bpmn}formRef"
    assert namespaces.NS["bpmn"] == namespaces.BPMN and namespaces.NS["camunda"] == namespaces.CAMUNDA
    defined = [str(p.relative_to(ROOT)) for folder in ("engine", "web") for p in (ROOT / folder).rglob("*.py")
               if "omg.org/spec/BPMN" in (text := p.read_text("utf-8")) or "camunda.org/schema" in text]
    assert defined == ["engine/bpmn/namespaces.py"]


def test_an_element_carries_what_the_read_models_ask() -> None:
    diagram = read_diagram(SPELLINGS["bpmn:"])
    assert (diagram.process_id, diagram.name, diagram.region, diagram.variables) == (
        "proc", "Проверка обращения", "orenburg", {"answer_hours": "8"})
    route = diagram.nodes["route"]
    assert (route.tag, route.name, route.written_name, route.lane_id, route.lane_name, route.role) == (
        "userTask", "Направить сообщение", "Направить  сообщение", "lane_curator", "Куратор", "curator")
    assert route.documentation == "пп. 6–7 и 9: куратор направляет" and route.clauses == ("6–7", "9")
    assert route.form_ref == "route" and dict(route.outputs) == {"received_at": "now()"}
    late = diagram.nodes["late"]
    assert (late.timer, late.timer_kind, late.attached_to, late.cancel_activity, late.events) == (
        "PT30M", "timeDuration", "route", "false", ("timerEventDefinition",))
    assert diagram.nodes["end"].terminate and diagram.timer_hosts() == {"late": "route"}
    assert [f.id for f in diagram.outgoing["route"]] == ["f2"] and diagram.flows[1].condition == "approved"
    assert diagram.boundaries["route"] == ("late",) and diagram.flow_order() == ["start", "route", "late", "end"]
    assert dict(diagram.pools) == {"proc": "pool"} and {"pool", "collab", "t", "f1"} <= diagram.ids


def test_a_diagram_is_parsed_once_per_content() -> None:
    text = SPELLINGS["bpmn:"]
    first = read(text)
    assert read(text.encode("utf-8")) is first  # str or bytes: the same content
    assert read("".join(list(text))) is first  # another string with the same text
    assert read(SPELLINGS["bpmn2:"]) is not first  # other content, other entry
    with pytest.raises(TypeError):
        first.nodes["route"] = first.nodes["start"]  # type: ignore[index]  # shared, so read-only


def test_unsafe_xml_is_refused_every_time_not_cached() -> None:
    hostile = '<!DOCTYPE d [<!ENTITY x "y">]><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>'
    for _ in range(2):
        with pytest.raises(UnsafeXml):
            read(hostile)


def test_a_document_without_a_process_is_read_but_has_no_diagram() -> None:
    empty = f'<definitions xmlns="{namespaces.BPMN}" id="only"/>'
    assert not read(empty).has_process and read(empty).ids == frozenset({"only"})
    with pytest.raises(ValueError, match="no process"):
        read_diagram(empty)


def test_one_clause_parser_for_cards_and_timer_names() -> None:
    assert clauses_in("п. 6: куратор …") == ("6",)
    assert clauses_in("п. 4, 6: выявление", "п. 2.4 заместитель") == ("4", "6", "2.4")
    assert clauses_in("пп. 4–17 и 21; п. 10") == ("4–17", "21", "10")
    assert clauses_in("пост. № 65, п. 25.") == ("25",)
    assert clause_of("9 рабочих часов с выявления, п. 8") == "8"
    assert clause_of("Срок ответа (п. 2.4), затем п. 12") == "12"
    assert clause_of("срок без ссылки") is None and clause_of("") is None


def test_validation_refuses_exactly_the_nodes_the_reader_calls_refused() -> None:
    assert set(validation.UNSUPPORTED) == set(REFUSED_NODES)


def test_the_shipped_diagrams_cite_the_same_clause_as_the_message_cards_former_regex() -> None:
    # The message card had a second clause regex; on every name of the shipped diagrams the one
    # parser reads what it read, so the deadlines on the cards keep their clauses.
    former = re.compile(r"п\.\s*(\d+(?:\.\d+)*)")
    names = [n.name for path in sorted((ROOT / "bpmn").rglob("*.bpmn"))
             for n in read_diagram(path.read_bytes()).nodes.values()]
    assert len(names) > 100
    for name in names:
        assert clause_of(name) == (former.findall(name) or [None])[-1], name
