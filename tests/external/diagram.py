"""A test copy of Orenburg's diagram whose threat step (п. 17) is served by an external worker
(issue 17): the service task's topic ``threat_registry`` is declared external, and a boundary
error event ``not_a_threat`` on it ends the case another way. Never a region's shipped procedure."""
from __future__ import annotations

import re
from pathlib import Path

from engine.deployment.deployer import Source, deploy, library_forms

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "threat_registry"
TASK = "forward_threat"
ERROR_CODE = "not_a_threat"
ROUTE = {"category": "threat", "topic": "public_safety", "location": "Оренбург, ул. Советская",
         "importance": "normal", "answer_hours": 9, "agency": "orb_roads", "co_agencies": []}

_TASK_OPEN = ('<bpmn:serviceTask id="forward_threat" name="Направить в госорганы по компетенции" '
              'camunda:type="external" camunda:topic="notify">')
_PROPERTY = '<camunda:property name="recipient" value="authorities" />'
_BOUNDARY = """<bpmn:boundaryEvent id="threat_doubted" name="Не угроза" attachedToRef="forward_threat">
      <bpmn:outgoing>to_threat_doubted_end</bpmn:outgoing>
      <bpmn:errorEventDefinition id="threat_doubted_error" errorRef="error_not_a_threat" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="threat_doubted_end" name="Не угроза">
      <bpmn:incoming>to_threat_doubted_end</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="to_threat_doubted_end" sourceRef="threat_doubted" targetRef="threat_doubted_end" />
  </bpmn:process>"""
_ERROR = '<bpmn:error id="error_not_a_threat" name="Не угроза" errorCode="not_a_threat" />\n  <bpmn:process '
_DI = """<bpmndi:BPMNShape id="threat_doubted_di" bpmnElement="threat_doubted">
        <dc:Bounds x="702" y="142" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="threat_doubted_end_di" bpmnElement="threat_doubted_end">
        <dc:Bounds x="702" y="182" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="to_threat_doubted_end_di" bpmnElement="to_threat_doubted_end">
        <di:waypoint x="720" y="178" />
        <di:waypoint x="720" y="182" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>"""


_TIMEOUT = """<bpmn:boundaryEvent id="threat_unanswered" name="1 час" attachedToRef="forward_threat">
      <bpmn:outgoing>to_threat_unanswered_end</bpmn:outgoing>
      <bpmn:timerEventDefinition id="threat_unanswered_timer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="threat_unanswered_end" name="Реестр не ответил">
      <bpmn:incoming>to_threat_unanswered_end</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="to_threat_unanswered_end" sourceRef="threat_unanswered" targetRef="threat_unanswered_end" />
  </bpmn:process>"""
_TIMEOUT_DI = """<bpmndi:BPMNShape id="threat_unanswered_di" bpmnElement="threat_unanswered">
        <dc:Bounds x="762" y="142" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="threat_unanswered_end_di" bpmnElement="threat_unanswered_end">
        <dc:Bounds x="762" y="182" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="to_threat_unanswered_end_di" bpmnElement="to_threat_unanswered_end">
        <di:waypoint x="780" y="178" />
        <di:waypoint x="780" y="182" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>"""


def worker_diagram(*, boundary: bool = True, external: bool = True, topic: str = TOPIC,
                   timeout: bool = False) -> bytes:
    text = (ROOT / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")
    assert _TASK_OPEN in text and _PROPERTY in text
    start = text.index(_TASK_OPEN)
    end = text.index("</bpmn:serviceTask>", start)
    task = text[start:end].replace('camunda:topic="notify"', f'camunda:topic="{topic}"')
    if topic != "notify":  # recipient and subject are notify's
        task = re.sub(r'\s*<camunda:property name="(recipient|subject)" value="[^"]*" />', "", task)
    if external:
        task = task.replace("<camunda:properties>", '<camunda:properties>\n          '
                                                    '<camunda:property name="external" value="true" />')
    text = text[:start] + task + text[end:]
    if boundary:
        text = text.replace("</bpmn:process>", _BOUNDARY, 1).replace("<bpmn:process ", _ERROR, 1)
        text = text.replace("</bpmndi:BPMNPlane>", _DI, 1)
    if timeout:  # an interrupting timer: after an hour the case goes on without the worker
        text = text.replace("</bpmn:process>", _TIMEOUT, 1).replace("</bpmndi:BPMNPlane>", _TIMEOUT_DI, 1)
    return text.encode("utf-8")


def deploy_worker_diagram(session, **options: bool) -> None:  # type: ignore[no-untyped-def]
    deploy(session, [Source("orenburg_worker.bpmn", worker_diagram(**options))], "analyst",
           extra_forms=library_forms())
