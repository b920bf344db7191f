"""What is drawn, checked before anything is run or parsed: ids, flows, and the palette's answers.

These refusals replace messages analysts could not act on: the XSD's "'x' is not a valid value of
the atomic type 'xs:ID'" for two elements with one id, SpiffWorkflow's "perhaps a form has the
same ID?" for a flow whose end is missing, and silence for a construct that never runs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, cast

from lxml import etree

from engine.bpmn.namespaces import BPMN, BPMNDI, CAMUNDA, bpmn, local_name
from engine.deployment.palette import answer_for, survey
from engine.spiff.parser import BPMN_XSD
from engine.texts import Text, t

_PREFIXES = {BPMN: "bpmn", BPMNDI: "bpmndi", CAMUNDA: "camunda"}
_SHOWN_IDS = 5  # a warning names this many elements, then "…"
# A date typed as a timer without quotes: 2026-12-10 is arithmetic (2004), 2026-12-08 a syntax error.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?")
# SpiffWorkflow's NotImplementedError carries the element's XML (b'<bpmn:boundaryEvent id="x" …').
_XML_DUMP = re.compile(r"b['\"]<")
_DUMPED_ID = re.compile(r"""\bid=\\?["']([^"'\\]+)""")


@dataclass
class Findings:
    """(element id, text) pairs: refusals and warnings; ``constructs`` counts the palette keys."""

    problems: list[tuple[str | None, Text]] = field(default_factory=list)
    warnings: list[tuple[str | None, Text]] = field(default_factory=list)
    constructs: dict[str, int] = field(default_factory=dict)


class _LogEntry(Protocol):
    # What an XSD error entry (lxml's _LogEntry) is read for here.
    line: int
    message: str


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    # The XSD files are our own trusted copies; imports between them are local files.
    return etree.XMLSchema(etree.parse(BPMN_XSD))


def xsd_problems(tree: etree._ElementTree) -> list[tuple[str | None, Text]]:
    """The BPMN 2.0 XSD's findings, the first 20, each at its line."""
    schema = _schema()
    if schema.validate(tree):
        return []
    # lxml-stubs declare _ErrorLog without its members; it iterates _LogEntry objects.
    return [(f"line {entry.line}", t("validation.xsd_invalid", message=entry.message))
            for entry in list(cast(Iterable[_LogEntry], schema.error_log))[:20]]


def described(element: etree._Element) -> str:
    """``bpmn:userTask «Согласовать ответ»``: an element as the Modeler shows it."""
    prefix = _PREFIXES.get(etree.QName(element).namespace or "", "")
    kind = f"{prefix}:{local_name(element)}" if prefix else local_name(element)
    name = element.get("name")
    return f"{kind} «{name}»" if name else kind


def duplicate_ids(root: etree._Element) -> list[tuple[str | None, Text]]:
    """Two elements with one id, each pair named as the Modeler shows them."""
    first: dict[str, etree._Element] = {}
    found: list[tuple[str | None, Text]] = []
    for element in root.iter():
        eid = element.get("id") if isinstance(element.tag, str) else None
        if not eid:
            continue
        if eid in first:
            found.append((eid, t("validation.duplicate_id", id=eid, first=described(first[eid]),
                                 second=described(element))))
        else:
            first[eid] = element
    return found


def dangling_flows(process: etree._Element) -> list[tuple[str | None, Text]]:
    """A flow joins two elements of its own (sub)process; name the flow and its missing end."""
    found: list[tuple[str | None, Text]] = []
    for flow in process.iter(bpmn("sequenceFlow")):
        container = flow.getparent()
        ids = {e.get("id") for e in container} if container is not None else set()
        for end in ("source", "target"):
            ref = flow.get(f"{end}Ref")
            if ref not in ids:
                found.append((flow.get("id"), t("validation.flow_dangling", flow=flow.get("id"), target=ref,
                                                end=t(f"validation.flow_end.{end}"))))
    return found


def palette_findings(root: etree._Element) -> Findings:
    """Refuse what does not run, warn about what is ignored (engine.deployment.palette): one
    problem per refused occurrence, one warning per ignored construct naming where it is."""
    seen = survey(root)
    findings = Findings(constructs=dict(sorted(seen.seen.items())))
    for element, key in seen.refused:
        code = answer_for(key).text
        # validation.unsupported.* say it in a sentence of their own; the palette's texts say what to draw.
        findings.problems.append((element, t(code) if code.startswith("validation.")
                                  else t("palette.refused", construct=key, instead=t(code))))
    for key, where in seen.warned.items():
        ids = sorted({w for w in where if w})
        shown = ", ".join(ids[:_SHOWN_IDS]) + (", …" if len(ids) > _SHOWN_IDS else "")
        findings.warnings.append((shown or None, t("palette.warning", construct=key, why=t(answer_for(key).text))))
    return findings


def xml_dump_id(error: Exception) -> str | None:
    """For a SpiffWorkflow failure that dumps the element's XML (its NotImplementedError for an
    event it cannot run): the element's id ("" when the dump has none); None for other failures,
    whose message is readable as it is."""
    message = str(error)
    if not isinstance(error, NotImplementedError) and not _XML_DUMP.search(message):
        return None
    found = _DUMPED_ID.search(message)
    return found.group(1) if found else ""
