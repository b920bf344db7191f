"""Camunda Platform 7 diagrams → SpiffWorkflow specs, keeping what Otklik needs.

SpiffWorkflow's ``CamundaParser`` ignores ``candidateGroups``, ``formRef`` and the
external-task ``topic``; the subclasses below copy them into ``task_spec.extensions`` so
the runtime can route tasks and the deployment checks can read them from one place.
"""
from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH, full_tag
from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent, IntermediateCatchEvent, ServiceTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import (
    CamundaBoundaryEventParser,
    CamundaEventDefinitionParser,
    CamundaIntermediateCatchEventParser,
)
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser, UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import UserTask

from engine.bpmn.conventions import declared_external
from engine.bpmn.namespaces import CAMUNDA as CAMUNDA_NS  # the namespaces are written once, in engine.bpmn
from engine.bpmn.timer_template import template_expression
from engine.bpmn.xmlsafe import parse as parse_xml
from engine.expressions.language import ISO_DURATION
from engine.spiff.multi_instance import ParallelPartsTask, SequentialPartsTask, parts_key

BPMN_XSD = XSD_PATH  # the BPMN 2.0 XSD that ships with SpiffWorkflow

# Attributes of a userTask that the runtime reads (Camunda name → extensions key).
USER_TASK_ATTRIBUTES = {
    "candidateGroups": "candidate_groups",
    "candidateUsers": "candidate_users",
    "assignee": "assignee",
    "dueDate": "due_date",
    "formRef": "form_ref",
    "formRefBinding": "form_ref_binding",
    "formKey": "form_key",
}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _properties(parser: CamundaTaskParser) -> dict[str, str]:
    return {
        node.get("name"): node.get("value")
        for node in parser.xpath("./bpmn:extensionElements/camunda:properties/camunda:property")
    }


def _output_parameters(parser: CamundaTaskParser) -> dict[str, str]:
    """``camunda:outputParameter`` name → expression (Properties panel → Outputs)."""
    return {
        node.get("name"): (node.text or "").strip()
        for node in parser.xpath("./bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter")
    }


class _CollectionIsInput(CamundaTaskParser):
    """``camunda:collection`` read as Camunda 7 reads it: the list the instances run over, never their
    output (SpiffWorkflow's own parser writes each instance's element variable back into it; see
    engine.spiff.multi_instance)."""

    def _add_multiinstance_task(self, loop_characteristics: Any) -> None:
        collection = self.attribute("collection", "camunda", loop_characteristics)
        if collection is None:  # refused by the deployment checks first; SpiffWorkflow says why
            super()._add_multiinstance_task(loop_characteristics)
            return
        element = self.attribute("elementVariable", "camunda", loop_characteristics)
        item = TaskDataReference(element) if element is not None else None
        cardinality = first(self.xpath("./bpmn:multiInstanceLoopCharacteristics/bpmn:loopCardinality"))
        condition = first(self.xpath("./bpmn:multiInstanceLoopCharacteristics/bpmn:completionCondition"))
        original = self.spec.task_specs.pop(self.bpmn_id)  # the task parsed so far, its loop aside
        kind = SequentialPartsTask if loop_characteristics.get("isSequential") == "true" else ParallelPartsTask
        self.task = kind(
            self.spec, original.name, "",
            # A cardinality is refused at deployment; one deployed before is evaluated, and the script
            # engine refuses it then (engine.spiff.script_engine), rather than silently ignored.
            cardinality=cardinality.text if cardinality is not None else None,
            data_input=TaskDataReference(collection) if cardinality is None else None,
            data_output=TaskDataReference(parts_key(original.name)), input_item=item, output_item=item,
            condition=condition.text if condition is not None else None)
        self._copy_task_attrs(original, loop_characteristics)


class OtklikUserTaskParser(_CollectionIsInput, UserTaskParser):
    def parse_extensions(self, node: Any = None) -> dict[str, Any]:
        extensions: dict[str, Any] = {"properties": _properties(self), "outputs": _output_parameters(self)}
        for attribute, key in USER_TASK_ATTRIBUTES.items():
            value = self.node.get(f"{{{CAMUNDA_NS}}}{attribute}")
            if value is None:
                continue
            extensions[key] = _split(value) if key.startswith("candidate") else value
        return extensions


class ExternalServiceTask(ServiceTask):
    """A service task whose work is done by an Otklik handler (engine.runtime.services), or, when
    the diagram declares its topic external, by a worker through the external-task REST API.

    The runtime calls an in-process handler from SpiffWorkflow's ``will_complete_task`` hook inside
    the saving transaction; by the time the spec runs, the work is done, so it simply completes.
    A task served by a worker answers None: SpiffWorkflow leaves it STARTED until the worker's
    completion calls ``complete()`` on it (engine.runtime.external_tasks).
    """

    def _run_hook(self, my_task: Any) -> bool | None:
        if declared_external(self.extensions.get("properties") or {}):
            return None
        return True


class ExternalServiceTaskParser(_CollectionIsInput):
    """Service tasks are Camunda external tasks: ``camunda:type="external"`` + a topic."""

    def parse_extensions(self, node: Any = None) -> dict[str, Any]:
        return {
            "properties": _properties(self),
            "type": self.node.get(f"{{{CAMUNDA_NS}}}type"),
            "topic": self.node.get(f"{{{CAMUNDA_NS}}}topic"),
        }


class _TimerByExpression(CamundaEventDefinitionParser):
    """Pick the timer class from what the expression yields, not from the XML tag.

    Camunda Modeler offers "Date" and "Duration"; analysts put ``working_hours(8)`` (an
    instant) in either. A bare ISO duration (``PT30M``) is calendar time from arming; any
    other expression must evaluate to an instant.

    Mixed in before the boundary and intermediate-catch parsers; deriving from their common
    base (which adds nothing to their order of resolution) says where ``node``, ``xpath`` and
    the ``super()`` call come from.
    """

    def parse_timer_event(self, event: Any) -> Any:
        name = self.node.get("name", self.node.get("id"))
        description = self.get_event_description(event)
        # lxml elements without children are falsy, hence the explicit None test.
        node = first(self.xpath(".//bpmn:timeDate"))
        if node is None:
            node = first(self.xpath(".//bpmn:timeDuration"))
        # A deadline element template (engine.bpmn.timer_template) may leave the Timer field empty.
        built = template_expression({p.get("name"): p.get("value") for p in self.xpath(
            "./bpmn:extensionElements/camunda:properties/camunda:property")})
        if built is not None:
            return TimeDateEventDefinition(name, built, description=description)
        if node is None:
            # timeCycle and empty timers are refused by the deployment checks first.
            return super().parse_timer_event(event)
        text = (node.text or "").strip()
        if ISO_DURATION.fullmatch(text):
            return DurationTimerEventDefinition(name, text, description=description)
        return TimeDateEventDefinition(name, text, description=description)


class OtklikBoundaryEventParser(_TimerByExpression, CamundaBoundaryEventParser):
    pass


class OtklikIntermediateCatchEventParser(_TimerByExpression, CamundaIntermediateCatchEventParser):
    pass


class OtklikParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (OtklikUserTaskParser, UserTask),
        full_tag("serviceTask"): (ExternalServiceTaskParser, ExternalServiceTask),
        full_tag("boundaryEvent"): (OtklikBoundaryEventParser, BoundaryEvent),
        full_tag("intermediateCatchEvent"): (OtklikIntermediateCatchEventParser, IntermediateCatchEvent),
    }


def parse_process(data: bytes, process_id: str, filename: str = "diagram.bpmn") -> tuple[Any, dict[str, Any]]:
    """The process spec and its subprocess specs, parsed from hardened XML."""
    parser = OtklikParser()
    parser.add_bpmn_xml(parse_xml(data).getroot(), filename=filename)
    return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
