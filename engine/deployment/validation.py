"""Deployment checks: everything wrong with a diagram, one line per problem.

Run before anything is stored. Each :class:`Problem` names the file, the element id and
what to change, because the reader is an analyst with Camunda Modeler open.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, cast

from lxml import etree

from engine import clock
from engine.bpmn.namespaces import BPMNDI, MODELER, NS, ZEEBE, bpmn, camunda, is_bpmn, local_name
from engine.bpmn.reader import FLOW_NODES, VARIABLE_PREFIX, lanes_of
from engine.bpmn.reader import properties as _properties
from engine.bpmn.timer_bounds import is_known, known_value, timer_value_problem, working_time_problems
from engine.bpmn.timer_template import FUNCTION, same_timer, template_expression
from engine.bpmn.timer_template import FUNCTIONS as TEMPLATE_FUNCTIONS
from engine.bpmn.xmlsafe import UnsafeXml, parse
from engine.calendar.regions import REGIONS
from engine.directory.roles import TASK_ROLES, lane_role
from engine.errors import Problem
from engine.expressions.language import BASE_FUNCTIONS, ISO_DURATION, ExpressionError, check, evaluate
from engine.forms import FormDefinition
from engine.runtime import services
from engine.spiff.parser import BPMN_XSD
from engine.spiff.script_engine import catalogue_names

MAX_PARTICIPANTS = 50  # parallel participants of one multi-instance step
MAX_PROCESS_ID = 64  # the deployment table's column

# Flow nodes refused, with the reason (engine.bpmn.reader.REFUSED_NODES names the same ones).
UNSUPPORTED = {
    "scriptTask": "script tasks could run arbitrary code; use a service task with a registered topic",
    "businessRuleTask": "DMN decisions are not supported; use an exclusive gateway with conditions",
    "callActivity": "call activities are not supported yet; draw the steps in this diagram",
    "sendTask": "send tasks are not supported; use a service task with topic 'notify'",
    "receiveTask": "receive tasks are not supported; use a user task",
    "complexGateway": "complex gateways are not supported; use exclusive or parallel gateways",
    "manualTask": "manual tasks have no form or owner; use a user task",
}


@dataclass
class DiagramInfo:
    """What the deployment needs to know about a valid diagram."""

    process_id: str = ""
    name: str = ""
    region: str = ""
    form_refs: set[str] = field(default_factory=set)
    variables: dict[str, str] = field(default_factory=dict)  # name → default (an expression)


class _LogEntry(Protocol):
    # What an XSD error entry (lxml's _LogEntry) is read for here.
    line: int
    message: str


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    # The XSD files are our own trusted copies; imports between them are local files.
    return etree.XMLSchema(etree.parse(BPMN_XSD))


class _Checker:
    def __init__(self, filename: str, forms: Mapping[str, FormDefinition]) -> None:
        self.filename = filename
        self.forms = forms
        self.problems: list[Problem] = []
        self.info = DiagramInfo()
        self.functions = catalogue_names()

    def problem(self, element: str | None, message: str) -> None:
        self.problems.append(Problem(self.filename, element, message))

    def expression(self, element: str | None, text: str | None, what: str) -> bool:
        """Check one expression; whether it is clean."""
        if not text or not text.strip():
            self.problem(element, f"{what} is empty; write an expression")
            return False
        try:
            check(text.strip(), self.functions)
        except ExpressionError as error:
            self.problem(element, f"{what}: {error}")
            return False
        if ISO_DURATION.match(text.strip()):
            return True
        # The working-time amounts and starts the diagram fixes (literals, variable defaults).
        found = working_time_problems(text, self.info.variables, clock.now())
        for problem in found:
            self.problem(element, f"{what}: {problem}")
        return not found

    # -- whole document ---------------------------------------------------------------
    def run(self, data: bytes) -> None:
        try:
            tree = parse(data)
        except UnsafeXml as error:
            self.problem(None, str(error))
            return
        root = tree.getroot()
        if not self.platform(root):
            return
        schema = _schema()
        if not schema.validate(tree):
            # lxml-stubs declare _ErrorLog without its members; it iterates _LogEntry objects.
            for entry in list(cast(Iterable[_LogEntry], schema.error_log))[:20]:
                self.problem(f"line {entry.line}", f"not valid BPMN 2.0 (XSD): {entry.message}")
            return
        processes = root.findall(bpmn("process"))
        executable = [p for p in processes if p.get("isExecutable") == "true"]
        if len(executable) != 1:
            self.problem(None, f"expected exactly one executable process, found {len(executable)}; "
                               "tick 'Executable' on the one process to run")
            return
        self.process(executable[0])
        self.diagram_interchange(root, executable[0])

    def platform(self, root: etree._Element) -> bool:
        namespaces = set(root.nsmap.values())
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.startswith(f"{{{ZEEBE}}}"):
                namespaces.add(ZEEBE)
                break
        platform = root.get(f"{{{MODELER}}}executionPlatform")
        if ZEEBE in namespaces or platform == "Camunda Cloud":
            self.problem(None, "this is a Camunda 8 (Zeebe) diagram; Otklik runs Camunda Platform 7 "
                               "diagrams: in Camunda Modeler create a 'Camunda 7' BPMN diagram")
            return False
        if root.tag != bpmn("definitions"):
            self.problem(None, "the root element must be bpmn:definitions")
            return False
        if platform != "Camunda Platform":
            self.problem(None, "modeler:executionPlatform must be 'Camunda Platform' "
                               "(create the diagram in Camunda Modeler as a Camunda 7 diagram)")
        return True

    # -- the process ------------------------------------------------------------------
    def process(self, process: etree._Element) -> None:
        pid = process.get("id")
        if not pid:
            # The XSD allows a process without an id; nothing could be deployed under it.
            self.problem(None, "the process has no id; set the process Id in Camunda Modeler (e.g. the region key)")
            return
        if len(pid) > MAX_PROCESS_ID:
            self.problem(pid[:MAX_PROCESS_ID] + "…", f"the process id is longer than {MAX_PROCESS_ID} characters; shorten it")
        self.info.process_id = pid
        self.info.name = process.get("name") or pid
        properties = _properties(process)
        region = properties.get("region", pid if pid in REGIONS else "") or ""  # left empty: None
        if region not in REGIONS:
            self.problem(pid, "unknown region: set the process property 'region' to one of "
                              + ", ".join(sorted(REGIONS)))
        self.info.region = region
        for name, value in properties.items():
            if name and name.startswith(VARIABLE_PREFIX):
                self.variable(pid, name[len(VARIABLE_PREFIX):], value)
        lanes = {node: lane_id for node, (lane_id, _) in lanes_of(process).items()}
        for element in process.iter():
            if not is_bpmn(element):
                continue
            local = local_name(element)
            eid = element.get("id")
            if local in UNSUPPORTED:
                self.problem(eid, UNSUPPORTED[local])
            elif local == "userTask":
                self.user_task(element, lanes.get(eid or ""))  # no id: in no lane
            elif local == "serviceTask":
                self.service_task(element)
            elif local == "timerEventDefinition":
                self.timer(element)
            elif local == "conditionExpression":
                self.expression(_owner_id(element), element.text, "condition")
            elif local == "completionCondition":
                self.expression(_owner_id(element, 2), element.text, "completion condition")
            elif local == "multiInstanceLoopCharacteristics":
                self.multi_instance(element)
            if local in FLOW_NODES and (mapping := element.find("bpmn:extensionElements/camunda:inputOutput", NS)) is not None:
                self.input_output(element, local, mapping)
        self.gateways(process)

    def variable(self, pid: str, name: str, value: str | None) -> None:
        if not name.isidentifier() or name.startswith("_"):
            self.problem(pid, f"process property '{VARIABLE_PREFIX}{name}': '{name}' is not a variable name")
            return
        # expression() is True only for a non-empty text: the None test is for the type checker.
        if self.expression(pid, value, f"default of variable '{name}'") and value is not None:
            try:
                # Computed when a case starts, from literals and the plain functions only.
                evaluate(value.strip(), {}, BASE_FUNCTIONS)
            except ExpressionError as error:
                self.problem(pid, f"default of variable '{name}': {error}; a default is a value such as 8 or 'answer'")
        self.info.variables[name] = (value or "").strip()

    def user_task(self, task: etree._Element, lane_id: str | None) -> None:
        eid = task.get("id")
        groups = [g.strip() for g in (task.get(camunda("candidateGroups")) or "").split(",") if g.strip()]
        if len(groups) != 1:
            self.problem(eid, "set camunda:candidateGroups to exactly one role: " + ", ".join(TASK_ROLES))
        elif groups[0] not in TASK_ROLES:
            self.problem(eid, f"unknown role '{groups[0]}' in candidateGroups; use one of: " + ", ".join(TASK_ROLES))
        else:
            role = lane_role(lane_id) if lane_id else None
            if role is None:
                self.problem(eid, f"put the task in the lane of its role (lane id 'lane_{groups[0]}')")
            elif role != groups[0]:
                self.problem(eid, f"candidateGroups '{groups[0]}' disagrees with its lane '{lane_id}'; "
                                  f"move the task to lane 'lane_{groups[0]}' or change candidateGroups")
            organisation = _properties(task).get("organisation")
            if organisation is not None:
                self.expression(eid, organisation, "property 'organisation'")
            elif groups[0] in ("executor", "last_executor"):
                self.problem(eid, "an executor task needs the property 'organisation' (e.g. agency) "
                                  "saying which agency's executors may do it")
        form_ref = task.get(camunda("formRef"))
        if task.get(camunda("formKey")) or task.find(".//camunda:formData", NS) is not None:
            self.problem(eid, "embedded/generated forms are not supported; link a Camunda Form with camunda:formRef")
        if not form_ref:
            self.problem(eid, "set camunda:formRef to the id of a .form file in forms/")
        elif form_ref not in self.forms:
            self.problem(eid, f"camunda:formRef '{form_ref}' matches no valid form in forms/; "
                              "create forms/<name>.form with that id or fix the reference")
        else:
            self.info.form_refs.add(form_ref)

    def service_task(self, task: etree._Element) -> None:
        eid = task.get("id")
        if task.get(camunda("type")) != "external":
            self.problem(eid, "service tasks must be external tasks: set Implementation to "
                              "'External' (camunda:type=\"external\") with a topic")
            return
        topic = task.get(camunda("topic"))
        organisation = _properties(task).get("organisation")
        if organisation is not None:
            self.expression(eid, organisation, "property 'organisation'")
        if topic not in services.topics():
            self.problem(eid, f"unknown topic '{topic}'; registered topics: " + ", ".join(sorted(services.topics())))

    def timer(self, definition: etree._Element) -> None:
        event = definition.getparent()
        assert event is not None  # the XSD puts a timer definition inside an event
        eid = event.get("id")
        if definition.find("bpmn:timeCycle", NS) is not None:
            self.problem(eid, "cycle timers are not supported; use a date or duration timer")
            return
        node = definition.find("bpmn:timeDate", NS)
        if node is None:
            node = definition.find("bpmn:timeDuration", NS)
        text = node.text if node is not None else None
        built = template_expression(_properties(event))
        typed = text.strip() if text and text.strip() else None
        if built is not None:
            if (_properties(event).get(FUNCTION) or "").strip() not in TEMPLATE_FUNCTIONS:
                self.problem(eid, "deadline template: timer.function must be one of " + ", ".join(TEMPLATE_FUNCTIONS))
                return
            if typed is not None and not same_timer(typed, built):
                self.problem(eid, f"the Timer field says '{typed}' but the deadline template's fields make "
                                  f"'{built}'; clear the Timer field or change the template's fields")
                return
            if self.expression(eid, built, "timer (from the deadline template)"):
                self.timer_value(eid, built, "timer (from the deadline template)")
            return
        if typed is None:
            self.problem(eid, "the timer has no expression; set e.g. working_hours(8) or PT30M")
            return
        if self.expression(eid, text, "timer"):
            self.timer_value(eid, typed, "timer")

    def timer_value(self, eid: str | None, text: str, what: str) -> None:
        """A timer the diagram fixes (a date, a duration, a variable's default) is due within the window."""
        text = text.strip()
        duration = bool(ISO_DURATION.match(text))
        value = text if duration else known_value(text, _body(text), self.info.variables)
        if is_known(value) and (problem := timer_value_problem(value, duration, clock.now())):
            self.problem(eid, f"{what}: {problem}")

    def multi_instance(self, loop: etree._Element) -> None:
        eid = _owner_id(loop)
        collection = loop.get(camunda("collection"))
        element = loop.get(camunda("elementVariable"))
        for value, what in ((collection, "camunda:collection"), (element, "camunda:elementVariable")):
            if not value or not value.isidentifier() or value.startswith("_"):
                self.problem(eid, f"{what} must be a variable name (got {value!r})")
        default = known_value(collection, _body(collection), self.info.variables) \
            if collection is not None and collection in self.info.variables else None
        if isinstance(default, (list, tuple, set, dict)) and len(default) > MAX_PARTICIPANTS:
            self.problem(eid, f"the default of '{collection}' lists {len(default)} participants; "
                              f"a multi-instance step runs at most {MAX_PARTICIPANTS} in parallel")
        if loop.find("bpmn:loopCardinality", NS) is not None:
            # SpiffWorkflow would start that many tasks, or read the text as a variable name.
            self.problem(eid, "loop cardinality is not supported; clear 'Loop cardinality' and list the "
                              "participants in camunda:collection (e.g. co_agencies) with camunda:elementVariable")

    def input_output(self, element: etree._Element, local: str, mapping: etree._Element) -> None:
        """Output parameters of user tasks set case variables when the task is completed,
        e.g. ``received_at`` = ``now()``: the instant a later deadline counts from."""
        eid = element.get("id")
        if local != "userTask":
            self.problem(eid, "inputs/outputs are supported on user tasks only; move the output "
                              "parameter to the user task that precedes this element")
            return
        if mapping.find("camunda:inputParameter", NS) is not None:
            self.problem(eid, "input parameters are not supported; use an output parameter (it sets a "
                              "case variable when the task is completed)")
        for output in mapping.findall("camunda:outputParameter", NS):
            name = output.get("name") or ""
            if not name.isidentifier() or name.startswith("_"):
                self.problem(eid, f"output parameter '{name}' is not a variable name")
            elif len(output):
                self.problem(eid, f"output parameter '{name}': lists, maps and scripts are not supported; "
                                  "type an expression such as now()")
            else:
                self.expression(eid, output.text, f"output parameter '{name}'")

    def gateways(self, process: etree._Element) -> None:
        flows = {f.get("id"): f for f in process.iter(bpmn("sequenceFlow"))}
        for gateway in process.iter(bpmn("exclusiveGateway"), bpmn("inclusiveGateway")):
            outgoing = [flows[o.text] for o in gateway.findall(bpmn("outgoing")) if o.text in flows]
            if len(outgoing) < 2:
                continue
            default = gateway.get("default")
            for flow in outgoing:
                if flow.get("id") != default and flow.find(bpmn("conditionExpression")) is None:
                    self.problem(flow.get("id"), f"a flow leaving gateway '{gateway.get('id')}' needs a "
                                                 "condition, or mark it as the default flow")

    def diagram_interchange(self, root: etree._Element, process: etree._Element) -> None:
        shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
        edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
        if not shapes and not edges:
            self.problem(None, "the diagram has no layout (BPMN DI); open and save it in Camunda Modeler")
            return
        for element in process.iter(*(bpmn(n) for n in FLOW_NODES)):
            if element.get("id") not in shapes:
                self.problem(element.get("id"), "has no shape in the diagram layout; draw it in Camunda Modeler")
        for flow in process.iter(bpmn("sequenceFlow")):
            if flow.get("id") not in edges:
                self.problem(flow.get("id"), "has no edge in the diagram layout; draw it in Camunda Modeler")


def _owner_id(element: etree._Element, up: int = 1) -> str | None:
    """The id of the element ``up`` levels above ``element`` (a condition's flow, a loop's task)."""
    owner: etree._Element | None = element
    for _ in range(up):
        owner = owner.getparent() if owner is not None else None
    return owner.get("id") if owner is not None else None


def _body(text: str) -> ast.expr:
    return ast.parse(text.strip(), mode="eval").body


def check_diagram(filename: str, data: bytes, forms: Mapping[str, FormDefinition]) -> tuple[list[Problem], DiagramInfo]:
    """Every problem of one diagram, and what a clean diagram is (process id, region, forms)."""
    checker = _Checker(filename, forms)
    checker.run(data)
    return checker.problems, checker.info


def parse_spec_problems(filename: str, data: bytes, process_id: str,
                        parse_spec: Callable[[bytes, str], object]) -> list[Problem]:
    """SpiffWorkflow's own parse, as the last check (it catches e.g. dangling flows)."""
    try:
        parse_spec(data, process_id)
    except Exception as error:  # noqa: BLE001 - any parser failure is a finding, not a crash
        element = getattr(error, "id", None) or getattr(error, "name", None)
        return [Problem(filename, element, f"SpiffWorkflow cannot load the process: {error}")]
    return []

