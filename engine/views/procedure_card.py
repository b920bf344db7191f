"""The procedure card: a diagram read back as the steps people act on, in the order a case meets them.

The regulator and the officials check a procedure against its act without Camunda Modeler: who does
each step, by when (in words, engine.expressions.deadline_words) and which clause it implements. Everything is
read from the diagram's own conventions (docs/analyst-guide.md): lanes ``lane_<role>``, candidate
groups, boundary and intermediate timers, ``var.*`` process properties, "п. N" in documentation.
Pure functions over the XML text, read once by engine.bpmn.reader (:class:`Diagram`), as the comparison does.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.bpmn.reader import Diagram, Flow, Node, clauses_in, read_diagram
from engine.bpmn.template_parameters import PARAM_PREFIX
from engine.calendar.regions import REGIONS
from engine.calendar.zone_words import zone_words
from engine.expressions.deadline_words import deadline_in_words, expression_names
from engine.forms import FormError, parse_form
from engine.runtime.repeat_rule import describe as describe_repeats
from engine.runtime.repeat_rule import read_rule
from engine.surges.rule import describe, surge_rule
from engine.texts import Text
from engine.views.comparison_adopted import shown_value, with_unit

# Diagram, Flow, Node, clauses_in and read_diagram live in engine.bpmn.reader (one reader, one
# clause parser); they are named here too because the card is where readers of the code look.
__all__ = ["CardDeadline", "CardParameter", "CardStep", "Diagram", "Flow", "Node", "ProcedureCard", "case_value_names", "clauses_in",
           "procedure_card", "read_diagram", "timer_words"]

_GATEWAYS = frozenset({"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway"})


def variable_labels(forms: Mapping[str, str] | None, diagram: Diagram) -> dict[str, str]:
    """Variable → what people call it: a template parameter's declared ``param.<name>.label``, else the
    label of the form field that sets it. The card and the comparison say a deadline's parameter
    so, never by its variable name (issue 16)."""
    labels: dict[str, str] = {}
    for text in (forms or {}).values():
        try:
            labels.update({f.key: f.label for f in parse_form(text).fields if f.key and f.label})
        except FormError:
            continue
    prefix = PARAM_PREFIX
    for key, value in diagram.properties.items():
        if key.startswith(prefix) and key.endswith(".label") and value and value.strip():
            labels[key[len(prefix):-len(".label")]] = value.strip()
    return labels


def case_value_names(forms: Mapping[str, str] | None, diagram: Diagram | None = None) -> frozenset[str]:
    """Variables the case sets as it runs: keys of the input fields of the procedure's forms (a
    person sets them) and the diagram's output parameters (a step computes them, e.g. Orenburg's
    draft_hours from the term the curator chose) — not parameters the diagram leaves open."""
    names: set[str] = {name for node in diagram.nodes.values() for name in node.outputs} if diagram else set()
    for text in (forms or {}).values():
        try:
            names.update(f.key for f in parse_form(text).fields)
        except FormError:
            continue  # a broken form was refused at deployment; it sets nothing here
    return frozenset(names)


@dataclass(frozen=True)
class CardStep:
    element_id: str
    kind: str  # user_task, service_task, timer, gateway, start, end
    name: str
    role: str | None  # role key: curator, executor, … (system for lane_system)
    lane: str  # the lane's name, what people read
    deadline_words: str  # "" when the step has no deadline
    deadline_element_id: str | None  # the timer (for a task: its first boundary timer)
    clauses: tuple[str, ...]
    documentation: str
    organisation: str | None  # the executor task's organisation expression (agency, part)
    expression: str | None = None  # a timer's expression, as written
    is_parameter: bool = False  # the deadline reads a diagram parameter (var.*)
    parameters: tuple[str, ...] = ()  # which ones
    host_id: str | None = None  # a boundary timer's task
    form_id: str | None = None  # a user task's camunda:formRef
    multi_instance: bool = False
    parameter_labels: tuple[str, ...] = ()  # the parameters as people call them (declared labels only)

    @property
    def is_task(self) -> bool:
        """A step people (or the system, telling someone) act on: what the card lists as a step."""
        return self.kind in ("user_task", "service_task")


@dataclass(frozen=True)
class CardDeadline:
    """A deadline as the card lists it, apart from the steps: on which step, by when, which clause."""
    element_id: str  # the timer (the viewer highlights it)
    step: str  # the step it guards, by name; a timer on no step (the whole case, a branch): its own name
    words: str  # engine.expressions.deadline_words, naming no variable
    clauses: tuple[str, ...]
    is_parameter: bool
    parameter_labels: tuple[str, ...]


@dataclass(frozen=True)
class CardParameter:
    """A parameter the diagram declares (``param.<name>.label``), as people read it."""
    label: str
    value: str  # yes/no, a number, a choice in the help's words (engine.views.comparison_adopted.shown_value)


@dataclass(frozen=True)
class ProcedureCard:
    process_id: str
    name: str
    region: str
    documentation: str
    parameters: dict[str, str]  # var.<name> → default, as written in the diagram
    summary: str | None
    steps: list[CardStep]
    surge: Text | None = None  # the surge rule in words (engine.surges.rule.describe), None: none declared
    declared: tuple[CardParameter, ...] = ()  # the parameters people set (a template's, an adopted procedure's)
    repeat: Text | None = None  # repeat detection in words (engine.runtime.repeat_rule), None: none declared

    @property
    def tasks(self) -> list[CardStep]:
        """The steps people read: user and service tasks — never a timer, a gateway or an event."""
        return [step for step in self.steps if step.is_task]

    def deadlines(self) -> list[CardDeadline]:
        """Every timer, once, on the step it guards, its clause from its own name where it cites one."""
        names = {step.element_id: step.name for step in self.steps}
        rows: list[CardDeadline] = []
        for step in self.steps:
            if step.kind != "timer":
                continue
            host = names.get(step.host_id or "", "") or step.name  # a timer on no step: its name as drawn
            clauses = clauses_in(step.name) or step.clauses
            rows.append(CardDeadline(step.element_id, host, step.deadline_words, clauses, step.is_parameter,
                                     step.parameter_labels))
        return rows

    def step(self, element_id: str) -> CardStep:
        for step in self.steps:
            if step.element_id == element_id:
                return step
        raise KeyError(element_id)


def timer_words(diagram: Diagram, timer: Node, case_values: frozenset[str],
                labels: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """A timer's deadline in words (naming no variable: a parameter by its label) and the diagram
    parameters it reads."""
    expression = timer.timer or ""
    variables = diagram.variables
    used = tuple(sorted(n for n in expression_names(expression) if n in variables and n not in case_values))
    shown = labels if labels is not None else variable_labels(None, diagram)
    return deadline_in_words(expression, variables, case_values, shown), used


def _kind(node: Node) -> str | None:
    """The card's kind for a node, or None when the node is not a step people act on or wait for."""
    if node.tag == "startEvent":
        return "start"
    if node.tag == "userTask":
        return "user_task"
    if node.tag == "serviceTask" and node.topic == "notify":
        return "service_task"
    if node.timer is not None and node.tag in ("boundaryEvent", "intermediateCatchEvent"):
        return "timer"
    if node.tag in _GATEWAYS and node.name:
        return "gateway"
    if node.tag == "endEvent" and node.terminate:
        return "end"
    return None


def _step(diagram: Diagram, node: Node, kind: str, case_values: frozenset[str], labels: Mapping[str, str]) -> CardStep:
    words = ""
    used: tuple[str, ...] = ()
    deadline_id: str | None = None
    if kind == "timer":
        words, used = timer_words(diagram, node, case_values, labels)
        deadline_id = node.id
    elif kind == "user_task":
        timers = [diagram.nodes[b] for b in diagram.boundaries.get(node.id, ()) if diagram.nodes[b].timer is not None]
        described = [timer_words(diagram, t, case_values, labels) for t in timers]
        words = "; ".join(dict.fromkeys(w for w, _ in described))
        used = tuple(sorted({n for _, names in described for n in names}))
        deadline_id = timers[0].id if timers else None
    return CardStep(
        parameter_labels=tuple(labels[n] for n in used if labels.get(n)),
        element_id=node.id, kind=kind, name=node.name, role=node.role, lane=node.lane_name,
        deadline_words=words, deadline_element_id=deadline_id, clauses=node.clauses,
        documentation=node.documentation, organisation=node.properties.get("organisation"),
        expression=node.timer if kind == "timer" else None, is_parameter=bool(used), parameters=used,
        host_id=node.attached_to, form_id=node.form_ref, multi_instance=node.multi_instance,
    )


def procedure_card(bpmn_xml: str, forms: Mapping[str, str] | None = None) -> ProcedureCard:
    """The card of a diagram; ``forms`` (form id → .form JSON) tell case values from diagram parameters."""
    diagram = read_diagram(bpmn_xml)
    case_values = case_value_names(forms, diagram)
    labels = variable_labels(forms, diagram)
    steps = []
    for node_id in diagram.flow_order():
        node = diagram.nodes[node_id]
        kind = _kind(node)
        if kind is not None:
            steps.append(_step(diagram, node, kind, case_values, labels))
    return ProcedureCard(
        process_id=diagram.process_id, name=diagram.name, region=diagram.region,
        documentation=_zones_in_words(diagram.documentation, diagram.region), parameters=diagram.variables,
        summary=diagram.properties.get("summary") or None, steps=steps,
        surge=describe(rule) if (rule := surge_rule(diagram.properties)) else None,
        declared=_declared(diagram),
        repeat=describe_repeats(repeat) if (repeat := read_rule(diagram.properties)) else None,
    )


def _declared(diagram: Diagram) -> tuple[CardParameter, ...]:
    """The parameters the diagram declares with a label, each with its value in words."""
    properties, variables = diagram.properties, diagram.variables
    found = []
    for name in sorted(variables):
        label = (properties.get(f"{PARAM_PREFIX}{name}.label") or "").strip()
        if label:
            value = with_unit(shown_value(variables[name], properties.get(f"{PARAM_PREFIX}{name}.help") or ""),
                              properties.get(f"{PARAM_PREFIX}{name}.type") or "")
            found.append(CardParameter(label, value))
    return tuple(found)


def _zones_in_words(text: str, region: str) -> str:
    """The analyst's text with the territory's IANA zone («Asia/Yekaterinburg») written as people
    read it («время: Оренбургская область, UTC+5»): the words are the diagram's, the zone name is not."""
    territory = REGIONS.get(region) if region else None
    if territory is None or territory.timezone not in text:
        return text
    return text.replace(territory.timezone, str(zone_words(region)))
