"""What changed between two versions of a procedure, element by element.

A regulator reviewing a new version asks "which deadline moved, which step appeared"; the
content hash only says "something". Elements are matched by id (Camunda Modeler keeps ids
stable across edits), and each one is reduced to the aspects that change how cases run —
name, documentation, deadline, role, lane, form, condition, properties, outputs, default flow,
wiring — so moving a shape on the canvas is not a change, while editing a linked form is.
Pure XML in, data out: no database, no Flask.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.bpmn.reader import VARIABLE_PREFIX, Diagram, Flow, Node, read
from engine.texts import t

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
MARKERS = {ADDED: "marker-added", REMOVED: "marker-removed", CHANGED: "marker-changed"}
FORM_CHANGED = t("diff.form_changed")
_MAX_SHOWN = 160  # a value longer than this is cut in the reason; the table must stay readable

# Reasons are written in the reader's language when the diff is made (the request's, the console's:
# engine.texts); each aspect key is named by its text engine/texts/diff.py "diff.aspect.<key>".
# Aspects whose text is long: say that it changed instead of quoting both versions.
_SUMMARISED = {"documentation"}


@dataclass(frozen=True)
class Change:
    """One element that differs: ``kind`` is added/removed/changed, ``reasons`` say how."""

    element_id: str
    kind: str
    element_type: str  # BPMN local name: userTask, sequenceFlow, lane …
    name: str
    reasons: tuple[str, ...] = ()

    @property
    def marker(self) -> str:
        return MARKERS[self.kind]


@dataclass(frozen=True)
class DiagramDiff:
    added: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    process: tuple[str, ...] = ()  # process-level reasons: name, documentation, var.* parameters
    process_id: str = ""

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.changed + self.added + self.removed

    @property
    def empty(self) -> bool:
        return not (self.changes or self.process)

    def old_markers(self) -> dict[str, str]:
        """For the old version's viewer: what disappeared and what changed."""
        return {c.element_id: c.marker for c in self.removed + self.changed}

    def new_markers(self) -> dict[str, str]:
        """For the new version's viewer: what appeared and what changed."""
        return {c.element_id: c.marker for c in self.added + self.changed}


@dataclass
class _Element:
    element_id: str
    element_type: str
    name: str
    aspects: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    form_ref: str | None = None


def _describe(diagram: Diagram, flows: Mapping[str, Flow], eid: str) -> _Element:
    """The aspects of one element that change how cases run, as the reader read them."""
    if eid in diagram.lanes:
        lane = diagram.lanes[eid]
        return _Element(eid, "lane", lane.written_name,
                        {"type": "lane", "name": lane.written_name, "documentation": lane.documentation})
    flow = flows.get(eid)
    if flow is not None:
        return _Element(eid, "sequenceFlow", flow.written_name, {
            "type": "sequenceFlow", "name": flow.written_name, "documentation": flow.documentation,
            "source": flow.source, "target": flow.target, "condition": " ".join((flow.condition or "").split())})
    node = diagram.nodes[eid]
    item = _Element(eid, node.tag, node.written_name)
    aspects = item.aspects
    aspects.update(type=node.tag, name=node.written_name, documentation=node.documentation, lane=node.lane_id or "",
                   timer=_timer(node), event=", ".join(sorted(node.events)), default=node.default or "",
                   role=node.candidate_groups or "", topic=node.topic or "", attached=node.attached_to or "")
    if node.tag == "boundaryEvent":
        aspects["interrupting"] = "нет" if node.cancel_activity == "false" else "да"
    if node.multi_instance:
        aspects.update(collection=node.collection or "", element_variable=node.element_variable or "",
                       completion=node.completion)
    item.form_ref = node.form_ref
    aspects["form"] = item.form_ref or ""
    item.properties = dict(node.properties)
    # Lists, maps and scripts are refused at deployment; their text is still compared.
    item.outputs = {name: " ".join(value.split()) for name, value in node.outputs.items()}
    return item


def _timer(node: Node) -> str:
    if node.timer_kind is None:
        return ""
    if not node.timer_kind:
        return "(без выражения)"
    # Date and Duration mean the same to the engine (it decides by the result), so only the
    # expression counts; a cycle is flagged because it is refused.
    return ("цикл " if node.timer_kind == "timeCycle" else "") + " ".join((node.timer or "").split())


@dataclass
class _Diagram:
    process_id: str
    process_name: str
    documentation: str
    properties: Mapping[str, str]
    elements: dict[str, _Element]  # in document order


def _read(xml: str | bytes) -> _Diagram:
    diagram = read(xml)  # engine.bpmn.reader: parsed once per content, shared with the other pages
    if not diagram.has_process:
        return _Diagram("", "", "", {}, {})
    flows = {f.id: f for f in diagram.flows}
    elements = {eid: _describe(diagram, flows, eid) for eid in diagram.order
                if eid in diagram.nodes or eid in diagram.lanes or eid in flows}
    return _Diagram(diagram.process_id, diagram.written_name, diagram.documentation, diagram.properties, elements)


def _shown(value: str) -> str:
    if not value:
        return "—"
    return value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN - 1] + "…"


def _pairs(label: str, old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Reasons for keyed values (properties, outputs): changed, added, removed, by name."""
    reasons = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            reasons.append(str(t("diff.key_removed", label=label, key=key, old=_shown(old[key]))))
        elif key not in old:
            reasons.append(str(t("diff.key_added", label=label, key=key, new=_shown(new[key]))))
        elif old[key] != new[key]:
            reasons.append(f"{label} {key}: {_shown(old[key])} → {_shown(new[key])}")  # no words to translate
    return reasons


def _aspect(key: str) -> str:
    """How a reason names an aspect; an aspect without a text is named by its key."""
    text = t(f"diff.aspect.{key}")
    return key if str(text) == text.code else str(text)


def _canonical_form(text: str | None) -> str | None:
    """A form's JSON without formatting, so re-saving a form unchanged is not a change."""
    if text is None:
        return None
    try:
        return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return text


def _element_reasons(old: _Element, new: _Element, old_forms: Mapping[str, str],
                     new_forms: Mapping[str, str]) -> list[str]:
    reasons = []
    for key in dict.fromkeys([*old.aspects, *new.aspects]):
        before, after = old.aspects.get(key, ""), new.aspects.get(key, "")
        if before == after:
            continue
        label = _aspect(key)
        if key in _SUMMARISED:
            change = "diff.summary_changed" if before and after else ("diff.summary_added" if after else "diff.summary_removed")
            reasons.append(str(t(change, label=label)))
        else:
            reasons.append(f"{label}: {_shown(before)} → {_shown(after)}")
    reasons += _pairs(str(t("diff.kind.property")), old.properties, new.properties)
    reasons += _pairs(str(t("diff.kind.output")), old.outputs, new.outputs)
    if old.form_ref and old.form_ref == new.form_ref:
        if _canonical_form(old_forms.get(old.form_ref)) != _canonical_form(new_forms.get(new.form_ref)):
            reasons.append(str(FORM_CHANGED))
    return reasons


def _process_reasons(old: _Diagram, new: _Diagram) -> list[str]:
    reasons = []
    if old.process_name != new.process_name:
        reasons.append(str(t("diff.process_name", old=_shown(old.process_name), new=_shown(new.process_name))))
    if old.documentation != new.documentation:
        reasons.append(str(t("diff.process_documentation")))
    # var.* are the parameters a municipality tunes (deadlines in hours, who publishes): name
    # them as parameters; the other properties (region, summary) as properties.
    variables = {k for k in set(old.properties) | set(new.properties) if k.startswith(VARIABLE_PREFIX)}

    # A template declares what its parameters are called (param.<name>.label): the upgrade panel says
    # «Срок ответа, рабочих дней» rather than answer_days, which only the drawing knows.
    labels = {**old.properties, **new.properties}

    def shown_name(key: str) -> str:
        name = key[len(VARIABLE_PREFIX):]
        label = labels.get(f"param.{name}.label", "").strip()
        return f"«{label}»" if label else name

    def pick(props: Mapping[str, str], keys: bool) -> dict[str, str]:
        return {(shown_name(k) if keys else k): v for k, v in props.items() if (k in variables) == keys}

    reasons += _pairs(str(t("diff.kind.parameter")), pick(old.properties, True), pick(new.properties, True))
    reasons += _pairs(str(t("diff.kind.process_property")), pick(old.properties, False), pick(new.properties, False))
    return reasons


def diff_versions(old_xml: str | bytes, old_forms: Mapping[str, str],
                  new_xml: str | bytes, new_forms: Mapping[str, str]) -> DiagramDiff:
    """Added, removed and changed elements (reasons in the reader's language) from ``old`` to ``new``.

    ``*_forms`` map form id → the .form JSON deployed with that version, so a task whose
    linked form changed is reported even though the diagram's XML is the same.
    Raises :class:`engine.bpmn.xmlsafe.UnsafeXml` if either document is not acceptable XML.
    """
    old, new = _read(old_xml), _read(new_xml)
    added, removed, changed = [], [], []
    for eid, item in new.elements.items():
        before = old.elements.get(eid)
        if before is None:
            added.append(Change(eid, ADDED, item.element_type, item.name))
            continue
        reasons = _element_reasons(before, item, old_forms, new_forms)
        if reasons:
            changed.append(Change(eid, CHANGED, item.element_type, item.name or before.name, tuple(reasons)))
    for eid, item in old.elements.items():
        if eid not in new.elements:
            removed.append(Change(eid, REMOVED, item.element_type, item.name))
    return DiagramDiff(tuple(added), tuple(removed), tuple(changed), tuple(_process_reasons(old, new)),
                       new.process_id or old.process_id)
