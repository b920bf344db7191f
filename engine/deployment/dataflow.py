"""A timer reads only variables the case holds when the timer is armed, on every path there.

A deadline counted ``since=registered_at`` crashes the case ("unknown name") if some path arms
the timer before any step has set ``registered_at`` — or if the very step that sets it carries
the timer: a boundary timer is armed when its task *starts*, and a task's output parameters and
form fields are set when it *completes*. Deployment refuses such a diagram naming the timer,
the variable and where it is set, instead of the case failing weeks later.

The check is the classic definite-assignment analysis on the sequence flows: a variable is set
on entry to a node when every incoming path has set it (all branches of a parallel join),
and it is set on exit when the node sets it or it was set on entry. What sets a variable:
the case's start (:data:`engine.bpmn.conventions.START_VARIABLES` and ``var.*`` declarations),
a step's output parameters, and the fields of a user task's form — except in a multi-instance
step, whose instances keep their fields to themselves (only output parameters reach the case).
An embedded subprocess starts with what its host had on entry and ends with what all of its
end events agree on.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.bpmn.conventions import START_VARIABLES
from engine.bpmn.reader import Diagram, Node
from engine.errors import Problem
from engine.expressions.deadline_words import expression_names
from engine.expressions.language import BASE_FUNCTIONS, ExpressionError, evaluate
from engine.forms import FormDefinition
from engine.spiff.script_engine import catalogue_names
from engine.texts import t

__all__ = ["Findings", "timer_variable_findings"]

# Guards the fixed-point loop: each round can only shrink some node's set, so a diagram of N
# nodes settles within N × variables rounds; deploy bounds diagrams far below this.
_MAX_ROUNDS = 10_000

Names = frozenset[str]


def _sets(node: Node, forms: Mapping[str, FormDefinition]) -> Names:
    """The variables a node sets when it completes."""
    names = set(node.outputs)
    form = forms.get(node.form_ref or "") if node.tag == "userTask" and not node.multi_instance else None
    if form is not None:
        names.update(f.key for f in form.fields)
    return frozenset(names)


def _dead_flows(diagram: Diagram, sets: Mapping[str, Names]) -> frozenset[str]:
    """Flows no case of this deployment can take: a gateway's condition that reads only declared
    parameters no step changes (``var.*``, e.g. a template's ``use_reception``) and is false, or
    a default flow beside such a condition that is true."""
    written = frozenset().union(*sets.values()) | START_VARIABLES
    constants: dict[str, Any] = {}
    for name, expression in diagram.variables.items():
        if name not in written:
            try:
                constants[name] = evaluate(expression, {}, BASE_FUNCTIONS)
            except ExpressionError:
                continue
    dead: set[str] = set()
    for flows in diagram.outgoing.values():
        certain = False
        for flow in flows:
            if not flow.condition or not expression_names(flow.condition) <= constants.keys():
                continue
            try:
                taken = bool(evaluate(flow.condition, constants, BASE_FUNCTIONS))
            except ExpressionError:
                continue
            if taken:
                certain = True
            else:
                dead.add(flow.id)
        if certain:
            dead.update(f.id for f in flows if f.is_default)
    return frozenset(dead)


class _Analysis:
    """``must``: set on every path (greatest fixed point); else set on some path (least)."""

    def __init__(self, diagram: Diagram, forms: Mapping[str, FormDefinition], must: bool = True) -> None:
        self.diagram, self.must = diagram, must
        self.start = START_VARIABLES | frozenset(diagram.variables)
        self.sets = {node_id: _sets(node, forms) for node_id, node in diagram.nodes.items()}
        # None is "not reached yet" (everything): the greatest fixed point, so loops do not lose names.
        self.entry: dict[str, Names | None] = dict.fromkeys(diagram.nodes)
        self.exit: dict[str, Names | None] = dict.fromkeys(diagram.nodes)
        self.dead = _dead_flows(diagram, self.sets)
        self.ends: dict[str, list[str]] = {}
        for node in diagram.nodes.values():
            if node.parent is not None and node.tag == "endEvent":
                self.ends.setdefault(node.parent, []).append(node.id)

    def _on_entry(self, node: Node) -> Names | None:
        if node.tag == "startEvent" or (node.tag != "boundaryEvent" and not self.diagram.incoming.get(node.id)):
            return self.start if node.parent is None else self.entry.get(node.parent)
        if node.tag == "boundaryEvent":
            return self.entry.get(node.attached_to or "")  # armed when its host starts
        arriving = [self.exit[f.source] for f in self.diagram.incoming[node.id]
                    if f.source in self.exit and f.id not in self.dead]
        if not self.must:
            reached = [names for names in arriving if names is not None]
            return frozenset().union(*reached) if reached else None
        if node.tag == "parallelGateway" and len(arriving) > 1:
            if any(names is None for names in arriving):
                return None  # every branch arrives: what any of them set is set
            return frozenset().union(*(names for names in arriving if names is not None))
        reached = [names for names in arriving if names is not None]
        return frozenset.intersection(*reached) if reached else None

    def _on_exit(self, node: Node, entry: Names | None) -> Names | None:
        if entry is None:
            return None
        own = self.sets[node.id]
        if node.tag == "subProcess" and not node.multi_instance:
            ends = [self.exit[e] for e in self.ends.get(node.id, [])]
            reached = [names for names in ends if names is not None]
            if reached:
                own = own | (frozenset.intersection(*reached) if self.must else frozenset().union(*reached))
        return entry | own

    def run(self) -> None:
        for _ in range(_MAX_ROUNDS):
            changed = False
            for node in self.diagram.nodes.values():
                entry = self._on_entry(node)
                exit_ = self._on_exit(node, entry)
                if entry != self.entry[node.id] or exit_ != self.exit[node.id]:
                    self.entry[node.id], self.exit[node.id] = entry, exit_
                    changed = True
            if not changed:
                return

    def setters(self, name: str) -> list[str]:
        return [self.diagram.nodes[node_id].name or node_id for node_id, names in self.sets.items() if name in names]


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)  # the case would certainly fail
    warnings: list[Problem] = field(default_factory=list)  # some drawn path arms it unset


def timer_variable_findings(filename: str, diagram: Diagram, forms: Mapping[str, FormDefinition]) -> Findings:
    """Refuse a timer reading a variable no step sets, or only the step it is attached to sets,
    or that no path to it sets; warn when some drawn path reaches it unset.

    Why a warning there: a path may be drawn that no case can take (two gateways testing the same
    parameter, e.g. a template's ``use_reception``), which sequence flows alone cannot tell, so the
    analyst is told which variable and where it is set, and decides."""
    found = Findings()
    timers = [n for n in diagram.nodes.values() if n.timer and n.tag in ("boundaryEvent", "intermediateCatchEvent")]
    if not timers:
        return found
    every, some = _Analysis(diagram, forms, must=True), _Analysis(diagram, forms, must=False)
    every.run()
    some.run()
    functions = catalogue_names()
    for node in timers:
        held = every.entry.get(node.id)
        if held is None:
            continue  # unreachable: the structure checks say so
        for name in sorted(expression_names(node.timer or "") - functions - held):
            setters = ", ".join(f"«{s}»" for s in every.setters(name))
            if not setters:
                found.problems.append(Problem(filename, node.id, t("dataflow.timer_never_set", name=name)))
            elif node.tag == "boundaryEvent" and name in every.sets.get(node.attached_to or "", frozenset()) \
                    and name not in (some.entry.get(node.id) or frozenset()):
                found.problems.append(Problem(filename, node.id, t("dataflow.timer_set_by_host", name=name, setters=setters)))
            elif name not in (some.entry.get(node.id) or frozenset()):
                found.problems.append(Problem(filename, node.id, t("dataflow.timer_unset_on_every_path", name=name,
                                                                   setters=setters)))
            else:
                found.warnings.append(Problem(filename, node.id, t("dataflow.timer_unset_on_a_path", name=name,
                                                                   setters=setters)))
    return found
