"""The dynamics chart of a summary, drawn as inline SVG on the server (no script, no CDN).

Only geometry lives here: where each month's bars go and how tall they are. The figures are
engine.reports.dynamics'; the template (reports/_chart.html) writes the SVG and its labels.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.reports.dynamics import Month

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 16, 40, 36
SERIES = ("messages", "violations", "parameter_violations")


@dataclass(frozen=True)
class Bar:
    series: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    top: int
    left: int
    maximum: int
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x of a month's middle, its label


def chart(months: list[Month]) -> Chart:
    """Grouped bars per month: messages, breaches of the act, breaches of parameters."""
    maximum = max([1, *(getattr(m, s) for m in months for s in SERIES)])
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(1, len(months))
    width = slot * 0.8 / len(SERIES)
    bars, labels = [], []
    for index, month in enumerate(months):
        start = LEFT + index * slot + slot * 0.1
        for n, series in enumerate(SERIES):
            value = int(getattr(month, series))
            height = plot * value / maximum
            bars.append(Bar(series, value, round(start + n * width, 1), round(TOP + plot - height, 1),
                            round(width - 2, 1), round(height, 1)))
        labels.append((round(LEFT + index * slot + slot / 2, 1), month.label))
    return Chart(WIDTH, HEIGHT, TOP + plot, TOP, LEFT, maximum, bars, labels)
