"""A procedure's surge rule, read from its diagram's process properties ``surge.*``.

Orenburg п. 21 («о повышенной социальной активности по вопросам, требующим оперативного решения»
— «незамедлительно представляется Губернатору») and Smolensk п. 15 (the same words, reported to the
Governor) name no number: what counts as "повышенная" is the procedure's parameter, declared in the
diagram and shown to the regulator on the procedure card and in the comparison:

* ``surge.window`` — minutes: messages registered in the last window are counted (5…1440);
* ``surge.baseline_days`` — days before the window whose mean per window is the usual level (1…90);
* ``surge.factor`` — how many times the usual level makes a surge (1…100, a decimal point allowed);
* ``surge.minimum`` — the least number of messages in the window that can be a surge (2…10000),
  so a topic that is usually silent does not surge on two messages;
* ``surge.recipient`` — whom to tell, space-separated keys of engine.bpmn.conventions RECIPIENTS held
  in the territory (``governor`` normally; ``agency_head`` and ``deputy_governor`` are refused: a
  surge concerns no one agency's case);
* ``surge.clause`` — the act's clause cited in the notification and on the card (optional).

Declaring any ``surge.*`` property declares the rule: then every one but the clause is required.
The parsing is here once; deployment (engine.deployment.surge_rules) reports its problems, the
worker (engine.surges.detect) and the card read the parsed :class:`SurgeRule`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from engine.bpmn import conventions as c
from engine.surges.words import counted, joined
from engine.texts import Text, t

__all__ = ["BOUNDS", "WINDOW", "BASELINE_DAYS", "FACTOR", "MINIMUM", "RECIPIENT", "CLAUSE", "SurgeRule",
           "describe", "read_rule", "recipients_words", "rule_problems", "surge_rule"]

WINDOW, BASELINE_DAYS, FACTOR = "surge.window", "surge.baseline_days", "surge.factor"
MINIMUM, RECIPIENT, CLAUSE = "surge.minimum", "surge.recipient", "surge.clause"
# name → (least, greatest, whole numbers only). Why these: a window under 5 minutes counts noise and
# over a day is no longer "незамедлительно"; a baseline of 90 days keeps the query bounded.
BOUNDS: Mapping[str, tuple[float, float, bool]] = {
    WINDOW: (5, 1440, True), BASELINE_DAYS: (1, 90, True), FACTOR: (1, 100, False), MINIMUM: (2, 10000, True)}
REQUIRED = (WINDOW, BASELINE_DAYS, FACTOR, MINIMUM, RECIPIENT)
# Resolved against the organisation responsible for one case (engine.notifications.resolution): a
# surge has no such organisation.
CASE_RECIPIENTS = frozenset({"agency_head", "deputy_governor"})
CLAUSE_CHARS = 32  # violation.clause's width: a clause is "21", "15", "2.4"


@dataclass(frozen=True)
class SurgeRule:
    window_minutes: int
    baseline_days: int
    factor: float
    minimum: int
    recipients: tuple[str, ...]
    clause: str = ""

    @property
    def windows_in_baseline(self) -> int:
        """How many windows the baseline period holds (the mean's divisor)."""
        return max(1, self.baseline_days * 1440 // self.window_minutes)

    def threshold(self, baseline: float) -> float:
        """The least count that is a surge over a mean of ``baseline`` per window."""
        return max(float(self.minimum), self.factor * baseline)


def _number(name: str, raw: str) -> tuple[float | None, Text | None]:
    least, greatest, whole = BOUNDS[name]
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        return None, t("surge.not_number", name=name, value=raw, least=_shown(least), greatest=_shown(greatest))
    if not math.isfinite(value) or (whole and not value.is_integer()):
        return None, t("surge.not_whole" if whole else "surge.not_number", name=name, value=raw,
                       least=_shown(least), greatest=_shown(greatest))
    if not least <= value <= greatest:
        return None, t("surge.out_of_bounds", name=name, value=raw, least=_shown(least), greatest=_shown(greatest))
    return value, None


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def read_rule(properties: Mapping[str, str | None]) -> tuple[SurgeRule | None, list[tuple[str, Text]]]:
    """The rule a process declares (None when it declares no ``surge.*``, or a wrong one) and the
    problems, each with the property it names."""
    declared = {k: (v or "") for k, v in properties.items() if k.startswith(c.SURGE_PREFIX)}
    if not declared:
        return None, []
    problems: list[tuple[str, Text]] = []
    for name in REQUIRED:
        if not declared.get(name, "").strip():
            problems.append((name, t("surge.missing", name=name, meaning=t(f"surge.meaning.{name}"))))
    values: dict[str, float] = {}
    for name in BOUNDS:
        if declared.get(name, "").strip():
            value, problem = _number(name, declared[name])
            if problem is not None:
                problems.append((name, problem))
            elif value is not None:
                values[name] = value
    keys = tuple(dict.fromkeys(declared.get(RECIPIENT, "").split()))
    allowed = sorted(c.RECIPIENTS - CASE_RECIPIENTS)
    for key in keys:
        if key not in c.RECIPIENTS or key in CASE_RECIPIENTS:
            problems.append((RECIPIENT, t("surge.recipient_unknown", value=key, known=", ".join(allowed))))
    clause = declared.get(CLAUSE, "").strip()
    if len(clause) > CLAUSE_CHARS:
        problems.append((CLAUSE, t("surge.clause_long", chars=CLAUSE_CHARS)))
    if problems:
        return None, problems
    return SurgeRule(window_minutes=int(values[WINDOW]), baseline_days=int(values[BASELINE_DAYS]),
                     factor=values[FACTOR], minimum=int(values[MINIMUM]), recipients=keys, clause=clause), []


def surge_rule(properties: Mapping[str, str | None]) -> SurgeRule | None:
    """The declared rule, or None (none declared; a wrong one was refused at deployment)."""
    return read_rule(properties)[0]


def rule_problems(properties: Mapping[str, str | None]) -> list[tuple[str, Text]]:
    return read_rule(properties)[1]


def recipients_words(rule: SurgeRule) -> Text:
    return joined(tuple(t(f"surge.to.{key}") for key in rule.recipients))


def describe(rule: SurgeRule) -> Text:
    """What the regulator reads: «Всплеск: от 10 сообщений одной темы и места за 60 минут, в 3 раза
    выше обычного за 28 дней → Губернатору (п. 21)»."""
    clause = t("surge.clause_cited", clause=rule.clause) if rule.clause else ""
    return t("surge.rule", minimum=counted(rule.minimum, "from_messages"), window=counted(rule.window_minutes, "minutes"),
             factor=counted(rule.factor, "times"), days=counted(rule.baseline_days, "days"),
             to=recipients_words(rule), clause=clause)
