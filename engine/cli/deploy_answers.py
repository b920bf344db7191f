"""What ``otklik deploy`` says about the constructs of a diagram: never a bare "ok".

``--dry-run`` lists every construct a diagram contains with its answer (runs, refused, or
accepted with a warning), then each warning naming the elements; for a refused diagram the same
list comes before the problem lines. A deployment prints the warnings after its result.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine.bpmn.xmlsafe import UnsafeXml, parse
from engine.deployment.deployer import Source
from engine.deployment.palette import answer_for, survey
from engine.deployment.validation import DiagramInfo
from engine.errors import Problem
from engine.texts import t


def _construct_lines(constructs: Mapping[str, int]) -> list[str]:
    return [str(t("palette.cli_line", answer=t(f"palette.answer.{answer_for(key).answer}"), construct=key,
                  count=count)) for key, count in sorted(constructs.items())]


def answer_lines(info: DiagramInfo) -> list[str]:
    """``  runs: bpmn:userTask ×10`` per construct of a clean diagram, then the warnings."""
    return _construct_lines(info.constructs) + warning_lines(info.warnings)


def surveyed_lines(source: Source) -> list[str]:
    """For a refused diagram (there is no plan to read): its name, then each construct with its
    answer, so the refused ones are seen among what would run. Nothing for a non-diagram or for
    XML that is not safe to read (its problem line says why)."""
    if not source.name.endswith(".bpmn"):
        return []
    try:
        root = parse(source.data).getroot()
    except UnsafeXml:
        return []
    return [f"{source.name}:", *_construct_lines(survey(root).seen)]


def warning_lines(warnings: Iterable[Problem]) -> list[str]:
    return [str(t("palette.cli_warning", where=w.element or w.file, text=w.message)) for w in warnings]
