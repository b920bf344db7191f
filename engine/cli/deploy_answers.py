"""What ``otklik deploy`` says about the constructs of a diagram: never a bare "ok".

``--dry-run`` lists every construct the diagram contains with its answer (runs, or accepted with
a warning — a refused one stops the deployment with its problem line instead), then each warning
naming the elements; a deployment prints the warnings after its result.
"""
from __future__ import annotations

from collections.abc import Iterable

from engine.deployment.palette import answer_for
from engine.deployment.validation import DiagramInfo
from engine.errors import Problem
from engine.texts import t


def answer_lines(info: DiagramInfo) -> list[str]:
    """``  runs: bpmn:userTask ×10`` per construct, then the warnings."""
    lines = [str(t("palette.cli_line", answer=t(f"palette.answer.{answer_for(key).answer}"), construct=key,
                   count=count)) for key, count in info.constructs.items()]
    return lines + warning_lines(info.warnings)


def warning_lines(warnings: Iterable[Problem]) -> list[str]:
    return [str(t("palette.cli_warning", where=w.element or w.file, text=w.message)) for w in warnings]
