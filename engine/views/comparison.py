"""The regions' procedures side by side: the table "How the procedures differ", built from the diagrams.

The regulations digest has that table written by hand; this module derives it from what is actually
deployed, so a changed diagram changes the table and a regulator sees where a region departs from
its act. Each cell is classified by the diagrams' own conventions (docs/analyst-guide.md):

* a ``record_violation`` service task says which deadline it guards (property ``deadline``, one of
  engine.bpmn.conventions.DEADLINES, which gives its row) and which clause (``clause``); the timer
  that reaches it is a boundary timer (its host is the step) or an intermediate timer on a parallel
  branch (a whole-case deadline);
* who approves, publishes or composes a joint answer is the lane of the user task that declares
  it with the property ``step`` (``approval``, ``publication``, both for a step that publishes or
  returns, ``joint``); a final answer's deadline counted from the start of a step declared
  ``final`` entered only after an interim answer counts from the interim answer; a gateway choosing
  the publisher by a ``var.*`` parameter is followed with the parameter's default;
* ``notify`` tasks with recipient ``authorities`` / ``governor``, end events declaring
  ``outcome`` = ``no_answer``, and the process property ``summary``.

Every name read is declared in the diagram (engine.bpmn.conventions; checked at deployment by
engine.deployment.contract); none is an element id, form id or form key of a procedure.

A cell is marked ``is_parameter`` when its deadline or performer comes from a diagram parameter
(``var.*`` with a default) rather than from the act. A variable a form sets during the case
(the curator may shorten a deadline) is not a parameter; pass the
procedure's forms so the two can be told apart.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from engine.bpmn import conventions
from engine.bpmn.conventions import steps_in
from engine.bpmn.reader import Diagram, Node, clauses_in, read_diagram
from engine.expressions.deadline_words import expression_names
from engine.expressions.language import ExpressionError, evaluate
from engine.surges.rule import describe, surge_rule
from engine.texts import Text, t
from engine.views.comparison_adopted import Adopted, adopted_from
from engine.views.procedure_card import case_value_names, timer_words, variable_labels

__all__ = ["COMMON_STEPS", "Adopted", "Cell", "Comparison", "EMPTY", "compare", "mark_departures"]

# The rows, in order; each label a Text in the reader's language (engine/texts/views.py).
COMMON_STEPS: Mapping[str, Text] = MappingProxyType({key: t(f"compare.row.{key}") for key in (
    "routing", "return", "draft", "approval", "rework", "publication", "whole_answer", "interim_final",
    "agencies", "threats", "summary", "escalation", "surge")})

_STEP_START = "с начала шага"  # engine.expressions.deadline_words' phrase (its words are Russian), replaced in kind
DASH = "—"


def declared_steps(node: Node) -> set[str]:
    """The steps a user task declares (engine.bpmn.conventions)."""
    return steps_in(node.properties)


@dataclass(frozen=True)
class Cell:
    text: str  # the deadline in words and/or who, or "—"
    element_ids: tuple[str, ...] = ()  # diagram elements to highlight
    is_parameter: bool = False  # the deadline or performer is a diagram parameter (var.*), not the act's
    clause: str = ""  # "6", "8, 13"
    parameters: tuple[str, ...] = ()  # the var.* names behind is_parameter
    parameter_labels: tuple[str, ...] = ()  # what people call them (declared labels; never a variable name)
    # An adopted procedure's cell that departs from its template (engine.views.comparison_adopted):
    differs: tuple[str, ...] = ()  # the parameters set differently from the template's defaults
    differs_labels: tuple[str, ...] = ()  # … as people read them (the template's declared labels)
    template_text: str | None = None  # the template's own cell, when this one departs from it


EMPTY = Cell(DASH)


@dataclass(frozen=True)
class Comparison:
    regions: list[str]  # column order: region keys
    titles: dict[str, str]  # region → the process name
    cells: dict[str, dict[str, Cell]]  # region → step key (COMMON_STEPS) → cell
    process_ids: dict[str, str] = field(default_factory=dict)  # region → process id
    versions: dict[str, int] = field(default_factory=dict)  # region → deployment version (from the database)
    missing: list[str] = field(default_factory=list)  # regions without a deployed procedure
    adopted: dict[str, Adopted] = field(default_factory=dict)  # region → the template its procedure follows

    def cell(self, region: str, step: str) -> Cell:
        return self.cells.get(region, {}).get(step, EMPTY)

    def rows(self) -> list[tuple[str, Text, list[Cell]]]:
        """(step key, label, a cell per region in column order) for each common step."""
        return [(key, label, [self.cell(r, key) for r in self.regions]) for key, label in COMMON_STEPS.items()]


@dataclass(frozen=True)
class _Deadline:
    key: str  # record_violation "deadline"
    clause: str
    timer: Node
    host: Node | None
    violation: Node
    words: str
    parameters: tuple[str, ...]


def _timer_before(diagram: Diagram, node_id: str) -> Node | None:
    """The nearest timer upstream of a node (through gateways and events only, as the conventions draw it)."""
    queue, seen = deque([node_id]), {node_id}
    while queue:
        for flow in diagram.incoming.get(queue.popleft(), ()):
            source = diagram.nodes.get(flow.source)
            if source is None or flow.source in seen:
                continue
            seen.add(flow.source)
            if source.timer is not None:
                return source
            if source.tag not in ("userTask", "serviceTask"):
                queue.append(flow.source)
    return None


class _Reader:
    """One region's column."""

    def __init__(self, diagram: Diagram, case_values: frozenset[str], labels: Mapping[str, str]) -> None:
        self.diagram, self.case_values, self.labels = diagram, case_values, labels
        self.order = diagram.flow_order()
        self.rank = {node_id: index for index, node_id in enumerate(self.order)}
        self.deadlines: dict[str, list[_Deadline]] = {}
        for violation in self._ordered(n for n in diagram.nodes.values() if n.topic == "record_violation"):
            key = violation.properties.get(conventions.DEADLINE_PROPERTY, "")
            timer = _timer_before(diagram, violation.id)
            step = conventions.deadline_row(key)
            if timer is None or step is None:
                continue
            host = diagram.nodes.get(timer.attached_to or "")
            words, used = timer_words(diagram, timer, case_values, labels)
            self.deadlines.setdefault(step, []).append(
                _Deadline(key, violation.properties.get("clause", ""), timer, host, violation, words, used))

    def _ordered(self, nodes: Iterable[Node]) -> list[Node]:
        return sorted(nodes, key=lambda n: self.rank.get(n.id, len(self.rank)))

    def _tasks(self, step: str, only: bool = False) -> list[Node]:
        """User tasks declaring ``step`` (``only``: and no other step), in flow order."""
        return self._ordered(n for n in self.diagram.nodes.values() if n.tag == "userTask"
                             and step in (declared := declared_steps(n)) and (not only or declared == {step}))

    @staticmethod
    def _who(node: Node) -> str:
        return node.lane_name or node.role or node.id

    def _cell(self, parts: list[str], deadlines: list[_Deadline], extra_ids: Iterable[str] = (),
              clause: str = "", parameters: Iterable[str] = ()) -> Cell:
        text = ", ".join(p for p in parts if p)
        if not text:
            return EMPTY
        ids: list[str] = list(extra_ids)
        for deadline in deadlines:
            ids += [deadline.timer.id, *([deadline.host.id] if deadline.host else []), deadline.violation.id]
        names = tuple(sorted({*parameters, *(n for d in deadlines for n in d.parameters)}))
        clauses = clause or ", ".join(dict.fromkeys(d.clause for d in deadlines if d.clause))
        shown = tuple(self.labels[n] for n in names if self.labels.get(n))
        return Cell(text, tuple(dict.fromkeys(ids)), bool(names), clauses, names, shown)

    def _words(self, deadlines: list[_Deadline]) -> str:
        return "; ".join(dict.fromkeys(d.words for d in deadlines))

    # -- the rows -----------------------------------------------------------------------------
    def deadline_only(self, step: str) -> Cell:
        deadlines = self.deadlines.get(step, [])
        return self._cell([self._words(deadlines)], deadlines)

    def interim_final(self) -> Cell:
        deadlines = self.deadlines.get("interim_final", [])
        words = [self._interim_start(d) for d in deadlines]
        return self._cell(["; ".join(dict.fromkeys(words))], deadlines)

    def _interim_start(self, deadline: _Deadline) -> str:
        """'с начала шага' of a step declared ``final`` (entered only after an interim answer is
        published) says so."""
        host = deadline.host
        if host is None or _STEP_START not in deadline.words or "final" not in declared_steps(host):
            return deadline.words
        return deadline.words.replace(_STEP_START, "с момента промежуточного ответа", 1)

    def approval(self) -> Cell:
        deadlines = self.deadlines.get("approval", [])
        hosts = [d.host for d in deadlines if d.host is not None]
        task = hosts[0] if hosts else next(iter(self._tasks("approval")), None)
        if task is None:
            return self._cell([self._words(deadlines)], deadlines)
        clause = "" if deadlines else next(iter(clauses_in(task.documentation, task.name)), "")
        return self._cell([self._who(task), self._words(deadlines)], deadlines, [task.id], clause)

    def _approval_task_ids(self) -> set[str]:
        hosts = {d.host.id for d in self.deadlines.get("approval", []) if d.host is not None}
        return hosts or {t.id for t in self._tasks("approval", only=True)[:1]}

    def publication(self) -> Cell:
        publishers = self._tasks("publication")
        if not publishers:
            return self.deadline_only("publication")
        chosen, gateway, parameter = self._publisher_by_parameter(publishers)
        task = chosen or publishers[0]
        deadlines = [d for d in self.deadlines.get("publication", []) if chosen is None or d.host is chosen]
        who = self._who(task) + (f" {self._parameter_words(parameter)}" if parameter else "")
        words = self._words(deadlines)
        if not words and (task.id in self._approval_task_ids() or "approval" in declared_steps(task)):
            words = str(t("compare.with_approval"))  # the same step publishes or returns
        ids = [*([gateway.id] if gateway else []), task.id]
        clause = "" if deadlines else next(iter(clauses_in(task.documentation, task.name)), "")
        return self._cell([who, words], deadlines, ids, clause, [parameter] if parameter else [])

    def _parameter_words(self, name: str) -> str:
        """«(параметр «Кто размещает ответ»)»: a parameter by its declared label, never its variable name."""
        label = self.labels.get(name)
        return str(t("compare.publisher_parameter", name=label) if label else t("compare.publisher_by_parameter"))

    def _publisher_by_parameter(self, publishers: list[Node]) -> tuple[Node | None, Node | None, str | None]:
        """A gateway choosing among publishing tasks by a var.* parameter: the branch its default takes."""
        if len({p.role for p in publishers}) < 2:
            return None, None, None
        variables = self.diagram.variables
        values: dict[str, Any] = {}
        for name, default in variables.items():
            try:
                values[name] = evaluate(default, {}, {})
            except ExpressionError:
                continue
        ids = {p.id for p in publishers}
        for gateway in self._ordered(n for n in self.diagram.nodes.values() if n.tag == "exclusiveGateway"):
            flows = self.diagram.outgoing.get(gateway.id, ())
            read = {n for f in flows if f.condition for n in expression_names(f.condition)}
            parameter = next((n for n in sorted(read) if n in variables and n not in self.case_values), None)
            if parameter is None:
                continue
            reached = {f.id: self._first_of(f.target, ids) for f in flows}
            if len({t.id for t in reached.values() if t}) < 2:
                continue
            taken = next((f for f in flows if f.condition and self._true(f.condition, values)), None)
            taken = taken or next((f for f in flows if f.is_default), None)
            if taken is not None and reached.get(taken.id) is not None:
                return reached[taken.id], gateway, parameter
        return None, None, None

    @staticmethod
    def _true(condition: str, values: Mapping[str, Any]) -> bool:
        try:
            return bool(evaluate(condition, values, {}))
        except ExpressionError:
            return False

    def _first_of(self, start: str, wanted: set[str]) -> Node | None:
        """The first of the wanted nodes reached going downstream from start (breadth-first)."""
        queue, seen = deque([start]), {start}
        while queue:
            current = queue.popleft()
            if current in wanted:
                return self.diagram.nodes[current]
            for flow in self.diagram.outgoing.get(current, ()):
                if flow.target not in seen:
                    seen.add(flow.target)
                    queue.append(flow.target)
        return None

    def agencies(self) -> Cell:
        deadlines = self.deadlines.get("agencies", [])
        parts = [d for d in deadlines if d.key != conventions.JOINT_DRAFT]
        joint = [d for d in deadlines if d.key == conventions.JOINT_DRAFT]
        nodes = self.diagram.nodes.values()
        multi = self._ordered(n for n in nodes if n.tag == "userTask" and n.multi_instance)
        composer = next(iter(self._tasks("joint")), None)
        if not (deadlines or multi or composer):
            return EMPTY
        text = [str(t("compare.parts", words=self._words(parts) or t("compare.no_deadline")))] if parts or multi else []
        if composer is not None:
            text.append(str(t("compare.joint", who=", ".join(w for w in (self._who(composer), self._words(joint)) if w))))
        ids = [n.id for n in multi] + ([composer.id] if composer else [])
        return self._cell(["; ".join(text)], deadlines, ids)

    def _notify(self, recipient: str) -> list[Node]:
        return self._ordered(n for n in self.diagram.nodes.values()
                             if n.topic == "notify" and n.properties.get(conventions.RECIPIENT_PROPERTY) == recipient)

    def threats(self) -> Cell:
        forwarded = self._notify(conventions.RECIPIENT_AUTHORITIES)
        ends = [n for n in self._ordered(self.diagram.nodes.values()) if n.tag == "endEvent"
                and n.properties.get(conventions.OUTCOME_PROPERTY) == conventions.NO_ANSWER]
        if not forwarded and not ends:
            return EMPTY
        text = str(t("compare.no_answer_forwarded" if forwarded else "compare.no_answer"))
        first = (forwarded or ends)[0]
        clause = next(iter(clauses_in(first.documentation, first.name)), "")
        return Cell(text, tuple(n.id for n in [*forwarded, *ends]), False, clause)

    def summary(self) -> Cell:
        text = (self.diagram.properties.get("summary") or "").strip()
        if not text:
            return EMPTY
        return Cell(text, (self.diagram.process_id,), False, ", ".join(clauses_in(text)))

    def escalation(self) -> Cell:
        notified = self._notify(conventions.RECIPIENT_GOVERNOR)
        if not notified:
            return EMPTY
        clause = next(iter(clauses_in(notified[0].documentation, notified[0].name)), "")
        return Cell(str(t("compare.governor")), tuple(n.id for n in notified), False, clause)

    def surge(self) -> Cell:
        rule = surge_rule(self.diagram.properties)  # process properties surge.* (engine.surges.rule), in words
        return EMPTY if rule is None else Cell(str(describe(rule)), (self.diagram.process_id,), False, rule.clause)

    def column(self) -> dict[str, Cell]:
        return {
            "routing": self.deadline_only("routing"),
            "return": self.deadline_only("return"),
            "draft": self.deadline_only("draft"),
            "approval": self.approval(),
            "rework": self.deadline_only("rework"),
            "publication": self.publication(),
            "whole_answer": self.deadline_only("whole_answer"),
            "interim_final": self.interim_final(),
            "agencies": self.agencies(),
            "threats": self.threats(),
            "summary": self.summary(),
            "escalation": self.escalation(),
            "surge": self.surge(),
        }


def compare(diagrams: Mapping[str, str], forms: Mapping[str, Mapping[str, str]] | None = None,
            templates: Mapping[str, tuple[str, str, int]] | None = None) -> Comparison:
    """The comparison table of the diagrams (region → BPMN XML), columns in the mapping's order.

    ``forms`` (region → form id → .form JSON) lets variables that people set in a case be told from
    diagram parameters; without it every ``var.*`` a deadline reads counts as a parameter.
    ``templates`` (region → (template XML, template process id, version)) names the template an
    adopted procedure was generated from: its column says so and marks where it departs from it.
    """
    regions: list[str] = []
    titles: dict[str, str] = {}
    cells: dict[str, dict[str, Cell]] = {}
    process_ids: dict[str, str] = {}
    adopted: dict[str, Adopted] = {}
    for region, xml in diagrams.items():
        diagram = read_diagram(xml)
        case_values = case_value_names((forms or {}).get(region), diagram)
        labels = variable_labels((forms or {}).get(region), diagram)
        regions.append(region)
        titles[region] = diagram.name
        process_ids[region] = diagram.process_id
        cells[region] = _Reader(diagram, case_values, labels).column()
        if templates and region in templates:
            template_xml, template, version = templates[region]
            adopted[region] = adopted_from(template_xml, xml, template, version)
            template_diagram = read_diagram(template_xml)
            template_labels = {**labels, **variable_labels(None, template_diagram)}
            template_cells = _Reader(template_diagram, case_values, template_labels).column()
            cells[region] = mark_departures(cells[region], template_cells, adopted[region])
    return Comparison(regions, titles, cells, process_ids, adopted=adopted)


def mark_departures(cells: Mapping[str, Cell], template_cells: Mapping[str, Cell], adopted: Adopted) -> dict[str, Cell]:
    """An adopted procedure's column with each cell that departs from the template's marked: the
    parameters behind it set differently, and the template's own cell beside it. A cell is compared
    by what it says as well, so a departure no parameter of the cell names (a choice of performer
    drawn as a branch) is still marked."""
    marked = {}
    for key, cell in cells.items():
        template_cell = template_cells.get(key, EMPTY)
        names = tuple(n for n in cell.parameters if n in adopted.names)
        if names or cell.text != template_cell.text:
            differs = names or tuple(sorted(adopted.names))
            cell = replace(cell, differs=differs, differs_labels=tuple(adopted.label(n) for n in differs),
                           template_text=template_cell.text)
        marked[key] = cell
    return marked
