"""A procedure's repeat rule, read from its diagram's process properties ``repeat.*``.

Orenburg п. 15 and Kalmanka п. 9 speak of «повторное сообщение … по ранее рассмотренному вопросу»
and set no period: how far back the curator is shown earlier messages is the procedure's parameter,
declared in the diagram beside the act's other rules (as ``surge.*`` is) and shown to the analyst
and the regulator with the procedure:

* ``repeat.window_days`` — earlier messages of the territory registered within this many days
  before the message are suggested (1…730). Declaring it turns repeat detection on for the
  procedure: the curator sees suggestions and may confirm «повтор сообщения № N»;
* ``repeat.clause`` — the act's clause the suggestions cite (optional, at most 32 characters).

A procedure without ``repeat.window_days`` gets no suggestions: its act says nothing of repeats.
Deployment (engine.deployment.contract) refuses a value out of bounds, naming the property.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn import conventions
from engine.bpmn.reader import read_diagram
from engine.models import Deployment
from engine.runtime import store
from engine.texts import Text, t

__all__ = ["WINDOW_DAYS", "CLAUSE", "PROPERTIES", "WINDOW_BOUNDS", "RepeatRule", "read_rule", "rule_problems",
           "describe", "process_properties", "rule_of_deployment"]

WINDOW_DAYS, CLAUSE = "repeat.window_days", "repeat.clause"
PROPERTIES = conventions.REPEAT_PROPERTIES
assert PROPERTIES == {WINDOW_DAYS, CLAUSE}
# Two years: an issue handled longer ago is a new one; the bound keeps the candidates' query bounded too.
WINDOW_BOUNDS = (1, 730)
CLAUSE_CHARS = 32


@dataclass(frozen=True)
class RepeatRule:
    window_days: int
    clause: str = ""


def _window(raw: str) -> tuple[int | None, Text | None]:
    least, greatest = WINDOW_BOUNDS
    text = raw.strip()
    if not text.lstrip("+-").isdigit():
        return None, t("repeat.not_whole", name=WINDOW_DAYS, value=raw, least=least, greatest=greatest)
    value = int(text)
    if not least <= value <= greatest:
        return None, t("repeat.out_of_bounds", name=WINDOW_DAYS, value=raw, least=least, greatest=greatest)
    return value, None


def rule_problems(properties: Mapping[str, str | None]) -> Iterator[Text]:
    """What is wrong with a process's ``repeat.*`` declaration (nothing when it declares none)."""
    window, clause = properties.get(WINDOW_DAYS), properties.get(CLAUSE)
    if window is not None:
        _value, problem = _window(window)
        if problem is not None:
            yield problem
    elif clause is not None:
        yield t("repeat.clause_without_window")
    if clause is not None and len(clause.strip()) > CLAUSE_CHARS:
        yield t("repeat.clause_long", chars=CLAUSE_CHARS)


def read_rule(properties: Mapping[str, str | None]) -> RepeatRule | None:
    """The rule a process declares; None when it declares none (or a wrong one, which deployment refuses)."""
    raw = properties.get(WINDOW_DAYS)
    if raw is None or any(True for _ in rule_problems(properties)):
        return None
    window, _problem = _window(raw)
    assert window is not None  # rule_problems found nothing
    return RepeatRule(window_days=window, clause=(properties.get(CLAUSE) or "").strip())


def describe(rule: RepeatRule) -> Text:
    """The rule in words, for the procedure card: «повторные сообщения: … за 90 дн. … (п. 15)»."""
    if rule.clause:
        return t("repeat.describe_clause", days=rule.window_days, clause=rule.clause)
    return t("repeat.describe", days=rule.window_days)


# A deployment never changes: its process properties are read once per process, keyed by id and
# content hash (ids repeat when a database is emptied, as engine.runtime.store's cache knows).
_PROPERTIES: dict[tuple[int, str], Mapping[str, str | None]] = {}
_PROPERTIES_LOCK = threading.Lock()
_PROPERTIES_SIZE = 256


def process_properties(session: Session, deployment_id: int) -> Mapping[str, str | None]:
    """The process properties of a deployed diagram (read once per content; a page asks per case)."""
    info = store.deployment_info(session, deployment_id)
    key = (deployment_id, info.content_hash)
    with _PROPERTIES_LOCK:
        found = _PROPERTIES.get(key)
    if found is not None:
        return found
    xml = session.scalar(select(Deployment.bpmn_xml).where(Deployment.id == deployment_id))
    properties = MappingProxyType(dict(read_diagram(xml).properties)) if xml is not None else MappingProxyType({})
    with _PROPERTIES_LOCK:
        if len(_PROPERTIES) >= _PROPERTIES_SIZE:
            _PROPERTIES.clear()
        _PROPERTIES[key] = properties
    return properties


def rule_of_deployment(session: Session, deployment_id: int) -> RepeatRule | None:
    """The repeat rule of a deployed procedure."""
    return read_rule(process_properties(session, deployment_id))
