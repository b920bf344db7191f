"""Deployment checks: everything wrong with a diagram, one line per problem.

Run before anything is stored. Each :class:`Problem` names the file, the element id and
what to change, because the reader is an analyst with Camunda Modeler open.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from engine import clock
from engine.bpmn.conventions import STEPS, steps_in
from engine.bpmn.namespaces import BPMNDI, MODELER, NS, ZEEBE, bpmn, camunda, is_bpmn, local_name
from engine.bpmn.reader import FLOW_NODES, VARIABLE_PREFIX, lanes_of, read_diagram
from engine.bpmn.reader import properties as _properties
from engine.bpmn.template_parameters import Parameter, declared_parameters, is_template, source_of
from engine.bpmn.timer_bounds import is_known, known_value, timer_value_problem, working_time_problems
from engine.bpmn.timer_template import FUNCTION, same_timer, template_expression
from engine.bpmn.timer_template import FUNCTIONS as TEMPLATE_FUNCTIONS
from engine.bpmn.xmlsafe import UnsafeXml, parse
from engine.calendar.regions import REGIONS
from engine.deployment.contract import contract_problems
from engine.deployment.dataflow import timer_variable_findings
from engine.deployment.palette import REFUSED, answer_for
from engine.deployment.service_topics import error_boundary_problems, topic_problems
from engine.deployment.structure import (
    ISO_DATE,
    dangling_flows,
    duplicate_ids,
    palette_findings,
    xml_dump_id,
    xsd_problems,
)
from engine.deployment.template_constraints import template_findings
from engine.directory.roles import TASK_ROLES, lane_role
from engine.errors import Problem
from engine.expressions.language import BASE_FUNCTIONS, ISO_DURATION, ExpressionError, check, evaluate
from engine.forms import FormDefinition
from engine.spiff.script_engine import catalogue_names
from engine.texts import Text, t

MAX_PARTICIPANTS = 50  # parallel participants of one multi-instance step
MAX_PROCESS_ID = 64  # the deployment table's column

# Flow nodes the palette refuses whatever they carry (engine.bpmn.reader.REFUSED_NODES names the same
# ones); events are answered by their trigger.
UNSUPPORTED = tuple(local for local in FLOW_NODES
                    if not local.endswith("Event") and answer_for(f"bpmn:{local}").answer == REFUSED)


@dataclass
class DiagramInfo:
    """What the deployment needs to know about a valid diagram."""

    process_id: str = ""
    name: str = ""
    region: str = ""
    form_refs: set[str] = field(default_factory=set)
    variables: dict[str, str] = field(default_factory=dict)  # name → default (an expression)
    constructs: dict[str, int] = field(default_factory=dict)  # palette key → how often it occurs
    warnings: list[Problem] = field(default_factory=list)  # accepted, but something is ignored (palette)
    kind: str = "procedure"  # or "template": deployed, never run (engine.bpmn.template_parameters)
    template: tuple[str, int] | None = None  # a generated procedure's template.source and template.version
    parameters: list[Parameter] = field(default_factory=list)  # param.* declarations, defaults from var.*


class _Checker:
    def __init__(self, filename: str, forms: Mapping[str, FormDefinition]) -> None:
        self.filename = filename
        self.forms = forms
        self.problems: list[Problem] = []
        self.info = DiagramInfo()
        self.functions = catalogue_names()
        self.template_broken: set[str | None] = set()  # elements whose template fields are refused already

    def problem(self, element: str | None, message: str | Text) -> None:
        self.problems.append(Problem(self.filename, element, message))

    def expression(self, element: str | None, text: str | None, what: Text) -> bool:
        """Check one expression; whether it is clean."""
        if not text or not text.strip():
            self.problem(element, t("validation.expression_empty", what=what))
            return False
        try:
            check(text.strip(), self.functions)
        except ExpressionError as error:
            self.problem(element, t("validation.expression_problem", what=what, problem=_text(error)))
            return False
        if ISO_DURATION.match(text.strip()):
            return True
        # The working-time amounts and starts the diagram fixes (literals, variable defaults).
        found = working_time_problems(text, self.info.variables, clock.now())
        for problem in found:
            self.problem(element, t("validation.expression_problem", what=what, problem=problem))
        return not found

    # -- whole document ---------------------------------------------------------------
    def run(self, data: bytes) -> None:
        try:
            tree = parse(data)
        except UnsafeXml as error:
            self.problem(None, _text(error))
            return
        root = tree.getroot()
        if not self.platform(root):
            return
        # Two elements with one id first: the XSD would only say "'x' is not a valid value of the atomic type 'xs:ID'".
        if invalid := duplicate_ids(root) or xsd_problems(tree):
            self.problems += [Problem(self.filename, where, text) for where, text in invalid]
            return
        found = palette_findings(root)
        self.problems += [Problem(self.filename, eid, text) for eid, text in found.problems + error_boundary_problems(root)]
        self.info.warnings = [Problem(self.filename, eid, text) for eid, text in found.warnings]
        self.info.constructs = found.constructs
        for finding in template_findings(root):
            self.problem(finding.element, finding.text)
            self.template_broken.add(finding.element)
        processes = root.findall(bpmn("process"))
        executable = [p for p in processes if p.get("isExecutable") == "true"]
        if len(executable) != 1:
            self.problem(None, t("validation.executable_count", count=len(executable)))
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
            self.problem(None, t("validation.zeebe"))
            return False
        if root.tag != bpmn("definitions"):
            self.problem(None, t("validation.root_not_definitions"))
            return False
        if platform != "Camunda Platform":
            self.problem(None, t("validation.platform"))
        return True

    # -- the process ------------------------------------------------------------------
    def process(self, process: etree._Element) -> None:
        pid = process.get("id")
        if not pid:
            # The XSD allows a process without an id; nothing could be deployed under it.
            self.problem(None, t("validation.process_no_id"))
            return
        if len(pid) > MAX_PROCESS_ID:
            self.problem(pid[:MAX_PROCESS_ID] + "…", t("validation.process_id_too_long", limit=MAX_PROCESS_ID))
        self.info.process_id = pid
        self.info.name = process.get("name") or pid
        properties = _properties(process)
        self.info.kind = "template" if is_template(properties) else "procedure"
        self.info.template, self.info.parameters = source_of(properties), declared_parameters(properties)[0]
        # The territory it serves is declared, never guessed from the process id (a free name).
        region = properties.get("region") or ""  # left empty: None
        known = ", ".join(sorted(REGIONS))  # the database's territories (engine.calendar.live)
        if not region and self.info.kind == "template":
            pass  # a template serves no territory: its adopters declare theirs
        elif not region:
            self.problem(pid, t("territory.diagram_undeclared", process=pid, known=known))
        elif region not in REGIONS:
            self.problem(pid, t("validation.unknown_region", regions=known))
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
            if local == "userTask":
                self.user_task(element, lanes.get(eid or ""))  # no id: in no lane
            elif local == "serviceTask":
                self.service_task(element)
            elif local == "timerEventDefinition":
                self.timer(element)
            elif local == "conditionExpression":
                self.expression(_owner_id(element), element.text, t("validation.what.condition"))
            elif local == "completionCondition":
                self.expression(_owner_id(element, 2), element.text, t("validation.what.completion_condition"))
            elif local == "multiInstanceLoopCharacteristics":
                self.multi_instance(element)
            if local in FLOW_NODES and (mapping := element.find("bpmn:extensionElements/camunda:inputOutput", NS)) is not None:
                self.input_output(element, local, mapping)
        self.gateways(process)
        self.problems += [Problem(self.filename, eid, text) for eid, text in dangling_flows(process)]

    def variable(self, pid: str, name: str, value: str | None) -> None:
        if not name.isidentifier() or name.startswith("_"):
            self.problem(pid, t("validation.variable_name", property=VARIABLE_PREFIX + name, name=name))
            return
        # expression() is True only for a non-empty text: the None test is for the type checker.
        if self.expression(pid, value, t("validation.what.variable_default", name=name)) and value is not None:
            try:
                # Computed when a case starts, from literals and the plain functions only.
                evaluate(value.strip(), {}, BASE_FUNCTIONS)
            except ExpressionError as error:
                self.problem(pid, t("validation.variable_default_not_value", name=name, error=_text(error)))
        self.info.variables[name] = (value or "").strip()

    def user_task(self, task: etree._Element, lane_id: str | None) -> None:
        eid = task.get("id")
        groups = [g.strip() for g in (task.get(camunda("candidateGroups")) or "").split(",") if g.strip()]
        if len(groups) != 1:
            self.problem(eid, t("validation.role_count", roles=", ".join(TASK_ROLES)))
        elif groups[0] not in TASK_ROLES:
            self.problem(eid, t("validation.role_unknown", role=groups[0], roles=", ".join(TASK_ROLES)))
        else:
            role = lane_role(lane_id) if lane_id else None
            if role is None:
                self.problem(eid, t("validation.task_not_in_lane", role=groups[0]))
            elif role != groups[0]:
                self.problem(eid, t("validation.role_lane_mismatch", role=groups[0], lane=lane_id))
            organisation = _properties(task).get("organisation")
            if organisation is not None:
                self.expression(eid, organisation, t("validation.what.organisation"))
            elif groups[0] in ("executor", "last_executor"):
                self.problem(eid, t("validation.executor_needs_organisation"))
        unknown = sorted(steps_in(_properties(task)) - STEPS)
        if unknown:
            self.problem(eid, t("validation.step_unknown", step=unknown[0], steps=", ".join(sorted(STEPS))))
        form_ref = task.get(camunda("formRef"))
        if task.get(camunda("formKey")) or task.find(".//camunda:formData", NS) is not None:
            self.problem(eid, t("validation.embedded_forms"))
        if not form_ref:
            self.problem(eid, t("validation.form_ref_missing"))
        elif form_ref not in self.forms:
            self.problem(eid, t("validation.form_ref_unknown", ref=form_ref))
        else:
            self.info.form_refs.add(form_ref)

    def service_task(self, task: etree._Element) -> None:
        eid = task.get("id")
        if task.get(camunda("type")) != "external":
            self.problem(eid, t("validation.service_not_external"))
            return
        organisation = _properties(task).get("organisation")
        if organisation is not None:
            self.expression(eid, organisation, t("validation.what.organisation"))
        for problem in topic_problems(task):  # an Otklik handler's, or declared a worker's (service_topics)
            self.problem(eid, problem)

    def timer(self, definition: etree._Element) -> None:
        event = definition.getparent()
        assert event is not None  # the XSD puts a timer definition inside an event
        eid = event.get("id")
        if eid in self.template_broken:
            return  # "field «…» is empty" says it; the expression built from it would only add a syntax error
        if definition.find("bpmn:timeCycle", NS) is not None:
            self.problem(eid, t("validation.timer_cycle"))
            return
        node = definition.find("bpmn:timeDate", NS)
        if node is None:
            node = definition.find("bpmn:timeDuration", NS)
        text = node.text if node is not None else None
        built = template_expression(_properties(event))
        typed = text.strip() if text and text.strip() else None
        if built is not None:
            if (_properties(event).get(FUNCTION) or "").strip() not in TEMPLATE_FUNCTIONS:
                self.problem(eid, t("validation.template_function", functions=", ".join(TEMPLATE_FUNCTIONS)))
                return
            if typed is not None and not same_timer(typed, built):
                self.problem(eid, t("validation.template_conflict", typed=typed, built=built))
                return
            what = t("validation.what.timer_template")
            if self.expression(eid, built, what):
                self.timer_value(eid, built, what)
            return
        if typed is None:
            self.problem(eid, t("validation.timer_empty"))
            return
        if ISO_DATE.fullmatch(typed):
            self.problem(eid, t("validation.timer_date_unquoted", date=typed))
            return
        if self.expression(eid, text, t("validation.what.timer")):
            self.timer_value(eid, typed, t("validation.what.timer"))

    def timer_value(self, eid: str | None, text: str, what: Text) -> None:
        """A timer the diagram fixes (a date, a duration, a variable's default) is due within the window."""
        text = text.strip()
        duration = bool(ISO_DURATION.match(text))
        value = text if duration else known_value(text, _body(text), self.info.variables)
        if is_known(value) and (problem := timer_value_problem(value, duration, clock.now())):
            self.problem(eid, t("validation.expression_problem", what=what, problem=problem))

    def multi_instance(self, loop: etree._Element) -> None:
        eid = _owner_id(loop)
        collection, element = loop.get(camunda("collection")), loop.get(camunda("elementVariable"))
        for value, what in ((collection, "camunda:collection"), (element, "camunda:elementVariable")):
            if not value or not value.isidentifier() or value.startswith("_"):
                self.problem(eid, t("validation.variable_name_required", what=what, value=repr(value)))
        outputs = loop.getparent().iterfind("bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter", NS)  # type: ignore[union-attr]
        if collection and collection in {element, *(o.get("name") for o in outputs)}:  # Camunda 7 only reads it
            self.problem(eid, t("validation.collection_written", name=collection))
        default = known_value(collection, _body(collection), self.info.variables) \
            if collection is not None and collection in self.info.variables else None
        if isinstance(default, (list, tuple, set, dict)) and len(default) > MAX_PARTICIPANTS:
            self.problem(eid, t("validation.too_many_participants", name=collection, count=len(default),
                                limit=MAX_PARTICIPANTS))
        if loop.find("bpmn:loopCardinality", NS) is not None:
            # SpiffWorkflow would start that many tasks, or read the text as a variable name.
            self.problem(eid, t("validation.loop_cardinality"))

    def input_output(self, element: etree._Element, local: str, mapping: etree._Element) -> None:
        """Output parameters of user tasks set case variables when the task is completed,
        e.g. ``received_at`` = ``now()``: the instant a later deadline counts from."""
        eid = element.get("id")
        if local != "userTask":
            self.problem(eid, t("validation.io_user_tasks_only"))
            return
        if mapping.find("camunda:inputParameter", NS) is not None:
            self.problem(eid, t("validation.input_parameters"))
        for output in mapping.findall("camunda:outputParameter", NS):
            name = output.get("name") or ""
            if not name.isidentifier() or name.startswith("_"):
                self.problem(eid, t("validation.output_name", name=name))
            elif len(output):
                self.problem(eid, t("validation.output_not_expression", name=name))
            else:
                self.expression(eid, output.text, t("validation.what.output_parameter", name=name))

    def gateways(self, process: etree._Element) -> None:
        flows = {f.get("id"): f for f in process.iter(bpmn("sequenceFlow"))}
        for gateway in process.iter(bpmn("exclusiveGateway"), bpmn("inclusiveGateway")):
            outgoing = [flows[o.text] for o in gateway.findall(bpmn("outgoing")) if o.text in flows]
            if len(outgoing) < 2:
                continue
            default = gateway.get("default")
            for flow in outgoing:
                if flow.get("id") != default and flow.find(bpmn("conditionExpression")) is None:
                    self.problem(flow.get("id"), t("validation.flow_needs_condition", gateway=gateway.get("id")))

    def diagram_interchange(self, root: etree._Element, process: etree._Element) -> None:
        shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
        edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
        if not shapes and not edges:
            self.problem(None, t("validation.no_layout"))
            return
        for element in process.iter(*(bpmn(n) for n in FLOW_NODES)):
            if element.get("id") not in shapes:
                self.problem(element.get("id"), t("validation.no_shape"))
        for flow in process.iter(bpmn("sequenceFlow")):
            if flow.get("id") not in edges:
                self.problem(flow.get("id"), t("validation.no_edge"))


def _owner_id(element: etree._Element, up: int = 1) -> str | None:
    """The id of the element ``up`` levels above ``element`` (a condition's flow, a loop's task)."""
    owner: etree._Element | None = element
    for _ in range(up):
        owner = owner.getparent() if owner is not None else None
    return owner.get("id") if owner is not None else None


def _text(error: Exception) -> Text | str:
    """An error's own Text when it has one (rendered in the reader's language with the problem
    around it), else its English message."""
    text = getattr(error, "text", None)
    return text if isinstance(text, Text) else str(error)


def _body(text: str) -> ast.expr:
    return ast.parse(text.strip(), mode="eval").body


def check_diagram(filename: str, data: bytes, forms: Mapping[str, FormDefinition]) -> tuple[list[Problem], DiagramInfo]:
    """Every problem of one diagram, and what a clean diagram is (process id, region, forms)."""
    checker = _Checker(filename, forms)
    checker.run(data)
    checker.problems += contract_problems(filename, data, forms)  # the declared names (engine.deployment.contract)
    if not checker.problems:  # what timers read, on the paths to them (engine.deployment.dataflow)
        found = timer_variable_findings(filename, read_diagram(data), forms)
        checker.problems += found.problems
        checker.info.warnings += found.warnings
    return checker.problems, checker.info


def parse_spec_problems(filename: str, data: bytes, process_id: str,
                        parse_spec: Callable[[bytes, str], object]) -> list[Problem]:
    """SpiffWorkflow's own parse, as the last check. The palette and the checks above refuse what
    it cannot load first; should something slip through, the analyst reads the element's id and
    where to look, never the XML dump SpiffWorkflow puts into its NotImplementedError."""
    try:
        parse_spec(data, process_id)
    except Exception as error:  # noqa: BLE001 - any parser failure is a finding, not a crash
        element = getattr(error, "id", None) or getattr(error, "name", None)
        if (dumped := xml_dump_id(error)) is not None:
            return [Problem(filename, element or dumped or None, t("validation.spiff_unsupported"))]
        return [Problem(filename, element, t("validation.spiff_cannot_load", error=_text(error)))]
    return []

