"""The diagram contract at deployment: every declaration the engine reads is there and makes sense.

The names are declared in engine.bpmn.conventions (and listed in docs/analyst-guide.md section 2);
here a diagram is refused when one is missing or wrong, each problem naming the element and the
declaration. The ``step`` values are checked with the user task in engine.deployment.validation.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from engine.bpmn import conventions as c
from engine.bpmn.reader import Diagram, read_diagram
from engine.bpmn.template_parameters import declared_parameters
from engine.bpmn.xmlsafe import UnsafeXml
from engine.deployment.report_rules import report_problems
from engine.deployment.surge_rules import surge_problems
from engine.errors import Problem
from engine.expressions.deadline_words import expression_names
from engine.expressions.language import ExpressionError, check
from engine.forms import FormDefinition
from engine.runtime.cases import NETWORKS
from engine.runtime.repeat_rule import rule_problems as repeat_problems
from engine.spiff.script_engine import catalogue_names
from engine.texts import Text, t

__all__ = ["contract_problems", "set_variables"]


def set_variables(diagram: Diagram, forms: Mapping[str, FormDefinition]) -> frozenset[str]:
    """Variables the case can hold: fields of the forms its user tasks open, output parameters,
    ``var.*`` process properties."""
    names = set(diagram.variables)
    for node in diagram.nodes.values():
        names.update(node.outputs)
        form = forms.get(node.form_ref or "") if node.tag == "userTask" else None
        if form is not None:
            names.update(f.key for f in form.fields)
    return frozenset(names)


def contract_problems(filename: str, data: bytes, forms: Mapping[str, FormDefinition]) -> list[Problem]:
    """The contract's problems of one diagram (none when the XML itself cannot be read: the
    other checks say why)."""
    try:
        diagram = read_diagram(data)
    except (UnsafeXml, ValueError, SyntaxError):
        return []
    return [Problem(filename, element, message) for element, message in _problems(diagram, forms)]


def _problems(diagram: Diagram, forms: Mapping[str, FormDefinition]) -> Iterator[tuple[str | None, Text]]:
    pid = diagram.process_id
    declared = diagram.properties
    known = set_variables(diagram, forms)
    fields = sorted({f.key for n in diagram.nodes.values() if (form := forms.get(n.form_ref or "")) for f in form.fields})
    for name in sorted(k for k in declared if k.startswith(c.ANSWER_PREFIX) and k not in c.DECLARED):
        yield pid, t("contract.unknown", name=name, known=", ".join(sorted(c.DECLARED)))
    for name in c.REQUIRED:
        if not (declared.get(name) or "").strip():
            yield pid, t("contract.missing", name=name, meaning=t(f"contract.meaning.{name}"))
    if any(n.tag == "userTask" and n.multi_instance for n in diagram.nodes.values()) \
            and not (declared.get(c.ANSWER_PART) or "").strip():
        yield pid, t("contract.part_missing")
    for name in c.ANSWER_VARIABLES:
        value = c.answer_variable(declared, name)
        if value is None:
            continue
        if not value.isidentifier():
            yield pid, t("contract.not_variable", name=name, value=value)
        elif value not in known:
            yield pid, t("contract.unset", name=name, value=value, fields=", ".join(fields) or "—")
    yield from _published(diagram, known)
    yield from _networks(diagram)
    yield from _elements(diagram)
    # A template's parameters (param.* with their var.* defaults): engine.bpmn.template_parameters.
    yield from ((pid, problem) for problem in declared_parameters(declared)[1])
    yield from surge_problems(diagram)  # surge.* (Orenburg п. 21, Smolensk п. 15)
    yield from report_problems(diagram)  # report.* (Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25, Kaluga п. 1.1)
    yield from ((pid, problem) for problem in repeat_problems(declared))  # repeat.* (Orenburg п. 15, Kalmanka п. 9)


def _networks(diagram: Diagram) -> Iterator[tuple[str | None, Text]]:
    """``networks``: the sources the act lists; registration refuses any other (engine.runtime.registration)."""
    listed = c.networks_in(diagram.properties)
    if listed is None:
        return
    known = ", ".join(NETWORKS)
    if not listed:
        yield diagram.process_id, t("contract.networks_empty", known=known)
    for key in listed:
        if key not in NETWORKS:
            yield diagram.process_id, t("contract.networks_unknown", value=key, known=known)


def _published(diagram: Diagram, known: frozenset[str]) -> Iterator[tuple[str | None, Text]]:
    expression = (diagram.properties.get(c.ANSWER_PUBLISHED) or "").strip()
    if not expression:
        return  # said by "missing"
    try:
        check(expression, catalogue_names())
    except ExpressionError as error:
        problem = error.text if isinstance(getattr(error, "text", None), Text) else str(error)
        yield diagram.process_id, t("contract.published_problem", problem=problem)
        return
    for name in sorted(expression_names(expression) - known):
        yield diagram.process_id, t("contract.published_unset", value=name)


def _names(diagram: Diagram) -> Iterator[tuple[str | None, Text]]:
    """Every property name is one the engine reads, where it reads it: a typo is never ignored."""
    elements = ", ".join(sorted(c.ELEMENT_PROPERTIES))
    process = ", ".join(sorted(c.PROCESS_PROPERTIES))
    for name in diagram.properties:
        if name in c.ELEMENT_PROPERTIES:
            yield diagram.process_id, t("contract.property_misplaced", name=name, places=_places(name))
        elif name not in c.PROCESS_PROPERTIES and not name.startswith((c.VARIABLE_PREFIX, c.ANSWER_PREFIX,
                                                                            c.PARAM_PREFIX)):
            yield diagram.process_id, t("contract.property_unknown", name=name, process=process, elements=elements)
    for node in diagram.nodes.values():
        for name in node.properties:
            place = c.ELEMENT_PROPERTIES.get(name)
            if place is None:
                yield node.id, t("contract.property_unknown", name=name, process=process, elements=elements)
            elif node.tag not in place.split() and f"{node.tag}:{node.topic}" not in place.split():
                yield node.id, t("contract.property_misplaced", name=name, places=_places(name))


def _places(name: str) -> str:
    return ", ".join(place.replace(":", " ") for place in c.ELEMENT_PROPERTIES[name].split())


def _elements(diagram: Diagram) -> Iterator[tuple[str | None, Text]]:
    yield from _names(diagram)
    deadlines = ", ".join(c.DEADLINES)
    for node in diagram.nodes.values():
        outcome = node.properties.get(c.OUTCOME_PROPERTY)
        if outcome is not None and outcome not in c.OUTCOMES:
            yield node.id, t("contract.outcome_unknown", value=outcome, known=", ".join(sorted(c.OUTCOMES)))
        if node.tag == "serviceTask" and node.topic == "record_violation":
            key = (node.properties.get(c.DEADLINE_PROPERTY) or "").strip()
            if not key:
                yield node.id, t("contract.deadline_missing", known=deadlines)
            elif key not in c.DEADLINES:
                yield node.id, t("contract.deadline_unknown", value=key, known=deadlines)
            basis = node.properties.get(c.BASIS_PROPERTY)
            if basis is not None and basis.strip() not in c.BASES:
                yield node.id, t("contract.basis_unknown", value=basis, known=", ".join(sorted(c.BASES)))
        if node.tag == "serviceTask" and node.topic in ("notify", "record_violation"):
            yield from _recipients(node.id, node.properties.get(c.RECIPIENT_PROPERTY))


def _recipients(element: str, value: str | None) -> Iterator[tuple[str | None, Text]]:
    """``recipient``: space-separated keys of RECIPIENTS (engine.notifications.resolution says whom each
    means); absent is the supervisor, present but empty or unknown is refused — an escalation the act
    orders must not go nowhere because of a typo."""
    if value is None:
        return
    known = ", ".join(sorted(c.RECIPIENTS))
    keys = value.split()
    if not keys:
        yield element, t("contract.recipient_empty", known=known)
    for key in keys:
        if key not in c.RECIPIENTS:
            yield element, t("contract.recipient_unknown", value=key[:64], known=known)
