"""The diagram contract: every name the engine reads from a diagram, declared in the diagram itself.

Python never names a particular procedure's element id, form id or form key; what a page needs to
know of a procedure (which step approves, which variable holds the answer, when the answer counts as
published) the diagram says in Camunda properties the analyst sets in Camunda Modeler's
"Extension properties". docs/analyst-guide.md section 2 lists them in one table;
engine.deployment.contract refuses a diagram whose declarations are missing or wrong.

On the **process** (click the empty canvas or the pool):

* ``answer.text``, ``answer.kind``, ``answer.url`` — the case variables holding the answer's text,
  its kind (its options' labels come from the form that sets it) and its link; required;
* ``answer.measures``, ``answer.files`` — the measures taken, the files attached to the answer;
  optional;
* ``answer.part`` — the variable a participant of a multi-instance step writes its part of a joint
  answer into; required when the diagram has a multi-instance user task;
* ``answer.published`` — an expression (the restricted language) true once the answer is
  published, e.g. ``published`` or ``decision == 'publish'``; required.

On **elements**:

* ``step`` (user task), space-separated: ``approval`` (the answer is approved here),
  ``publication`` (published here; both for a task that publishes or returns), ``joint`` (the
  joint answer of several agencies is composed here), ``rework`` (a draft sent back is reworked
  here: the summary counts these), ``final`` (the final answer after an interim one is prepared
  here: the comparison counts its deadline from the interim answer);
* ``outcome`` (end event): ``no_answer`` — the case ends without an answer (threats, obscenities,
  not to be processed);
* ``deadline`` (``record_violation`` service task): which deadline is violated, one of
  :data:`DEADLINES` (the comparison's row);
* ``basis`` (``record_violation`` service task): ``act`` (default) — the deadline is the act's, and
  ``clause`` names the act's clause; ``parameter`` — the procedure sets the deadline and the act
  does not (Kuzbass approval, rework, publication): reports and the card label such a breach
  «параметр процедуры, не срок постановления», never as a breach of the act's clause;
* ``recipient`` (``notify`` service task): ``governor`` and ``authorities`` are the comparison's
  escalation and threats rows (the element template's dropdown offers them).
On the **process** also ``networks``: the sources the act lists, as space-separated network keys
(``engine.runtime.cases.NETWORKS``: vk, ok, telegram, blog, site, messenger, facebook, twitter,
instagram), e.g. ``ok vk blog`` for Kuzbass п. 4. Registration refuses a message from a network the
procedure does not list (engine.runtime.registration); without the property every network is
accepted. Deployment refuses an empty list or an unknown key, naming the property.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

STEP_PROPERTY = "step"
STEPS = frozenset({"approval", "publication", "joint", "rework", "final"})

OUTCOME_PROPERTY = "outcome"
NO_ANSWER = "no_answer"
OUTCOMES = frozenset({NO_ANSWER})

DEADLINE_PROPERTY = "deadline"
# A record_violation task's deadline → the comparison's row (None: a deadline the table has no row for).
DEADLINES: Mapping[str, str | None] = MappingProxyType({
    "routing": "routing", "direct_routing": "routing", "rerouting": None, "return": "return",
    "draft": "draft", "approval": "approval", "review": "approval", "rework": "rework",
    "publication": "publication", "curator_publication": "publication",
    "answer": "whole_answer", "final": "interim_final",
    "part": "agencies", "own_part": "agencies", "joint_draft": "agencies",
})
JOINT_DRAFT = "joint_draft"  # the deadline of composing the joint answer, apart from the parts'

BASIS_PROPERTY = "basis"
BASIS_ACT, BASIS_PARAMETER = "act", "parameter"
BASES = frozenset({BASIS_ACT, BASIS_PARAMETER})

RECIPIENT_PROPERTY = "recipient"

# A service task whose topic an external worker serves (Camunda 7 external-task REST, issue 17) says so:
# ``<camunda:property name="external" value="true"/>``. Without it the topic must be one of Otklik's
# own handlers (engine.runtime.services); with it, it must not be. The task then waits for a worker.
EXTERNAL_PROPERTY = "external"
PRIORITY_PROPERTY = "priority"  # a whole number; fetchAndLock with usePriority hands out the highest first


def declared_external(properties: Mapping[str, str]) -> bool:
    """Whether a service task's properties declare its topic served by an external worker."""
    return (properties.get(EXTERNAL_PROPERTY) or "").strip().lower() == "true"

RECIPIENT_GOVERNOR = "governor"
RECIPIENT_AUTHORITIES = "authorities"
# Who the acts order to be told, as roles held in organisations (space-separated in ``recipient``;
# a record_violation task without it tells ``supervisor``). ``agency_head`` and ``deputy_governor``
# are resolved against the organisation responsible for the case (the deputy governor supervising
# that agency); the others are held in the case's territory. ``authorities``: competent state bodies.
RECIPIENTS = frozenset({"supervisor", "agency_head", "deputy_governor", "deputy_minister",
                        RECIPIENT_GOVERNOR, RECIPIENT_AUTHORITIES})

# What every case holds from its start (engine.runtime.cases.start_procedure sets them from the
# message), before any step: a timer or condition may read these anywhere.
START_VARIABLES = frozenset({"message_id", "region", "network", "url", "author", "text", "repeat_of_id",
                             "posted_at", "detected_at"})

# Process properties naming case variables.
ANSWER_TEXT, ANSWER_KIND, ANSWER_URL = "answer.text", "answer.kind", "answer.url"
ANSWER_MEASURES, ANSWER_FILES, ANSWER_PART = "answer.measures", "answer.files", "answer.part"
ANSWER_PUBLISHED = "answer.published"  # an expression, not a name
ANSWER_VARIABLES = (ANSWER_TEXT, ANSWER_KIND, ANSWER_URL, ANSWER_MEASURES, ANSWER_FILES, ANSWER_PART)
REQUIRED = (ANSWER_TEXT, ANSWER_KIND, ANSWER_URL, ANSWER_PUBLISHED)
ANSWER_PREFIX = "answer."
DECLARED = frozenset({*ANSWER_VARIABLES, ANSWER_PUBLISHED})


# Where each property is read: (the element kinds, and for service tasks the topic) — any other
# place, or any other name, is refused at deployment (engine.deployment.contract), never ignored.
# plus var.*, answer.* and a template's param.* (engine.bpmn.template_parameters reads template*, param.*)
NETWORKS_PROPERTY = "networks"  # the sources the act lists (space-separated network keys)
PROCESS_PROPERTIES = frozenset({"region", "summary", "template", "template.source", "template.version",
                                NETWORKS_PROPERTY})
VARIABLE_PREFIX = "var."
PARAM_PREFIX = "param."
TIMER_PROPERTIES = frozenset({"timer.function", "timer.amount", "timer.since"})
# A surge of social activity escalated at once (Orenburg п. 21, Smolensk п. 15): the rule's parameters,
# read and bounded by engine.surges.rule, checked at deployment by engine.deployment.surge_rules.
SURGE_PREFIX = "surge."
SURGE_PROPERTIES = frozenset({"surge.window", "surge.baseline_days", "surge.factor", "surge.minimum",
                              "surge.recipient", "surge.clause"})
PROCESS_PROPERTIES = PROCESS_PROPERTIES | SURGE_PROPERTIES
# The summary report the worker sends on schedule (Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25,
# Kaluga п. 1.1): read and bounded by engine.deployment.report_rules, sent by engine.reports.schedule.
REPORT_PREFIX = "report."
REPORT_PROPERTIES = frozenset({"report.period", "report.recipient", "report.due", "report.clause"})
PROCESS_PROPERTIES = PROCESS_PROPERTIES | REPORT_PROPERTIES
# Repeat detection (Orenburg п. 15, Kalmanka п. 9): how many days back earlier messages are suggested
# to the curator, and the clause cited; read and bounded by engine.runtime.repeat_rule.
REPEAT_PROPERTIES = frozenset({"repeat.window_days", "repeat.clause"})
PROCESS_PROPERTIES = PROCESS_PROPERTIES | REPEAT_PROPERTIES
ELEMENT_PROPERTIES: Mapping[str, str] = MappingProxyType({
    STEP_PROPERTY: "userTask",
    OUTCOME_PROPERTY: "endEvent",
    DEADLINE_PROPERTY: "serviceTask:record_violation",
    "clause": "serviceTask:record_violation",
    BASIS_PROPERTY: "serviceTask:record_violation",
    RECIPIENT_PROPERTY: "serviceTask:notify serviceTask:record_violation",
    "subject": "serviceTask:notify",
    "organisation": "userTask serviceTask",
    EXTERNAL_PROPERTY: "serviceTask",  # served by an external worker (engine.deployment.service_topics)
    PRIORITY_PROPERTY: "serviceTask",  # a worker's task's priority (fetchAndLock with usePriority)
    **dict.fromkeys(TIMER_PROPERTIES, "boundaryEvent intermediateCatchEvent"),
})


def steps_in(properties: Mapping[str, str | None]) -> set[str]:
    """The steps a task's properties declare."""
    return set((properties.get(STEP_PROPERTY) or "").split())


def declares(properties: Mapping[str, str | None], step: str) -> bool:
    return step in steps_in(properties)


def answer_variable(process_properties: Mapping[str, str | None], declaration: str) -> str | None:
    """The case variable a process declares for ``answer.*`` (None when not declared)."""
    return (process_properties.get(declaration) or "").strip() or None


def deadline_row(key: str) -> str | None:
    return DEADLINES.get(key)


def networks_in(process_properties: Mapping[str, str | None]) -> tuple[str, ...] | None:
    """The network keys a procedure declares in ``networks``, in its order (None: not declared, so
    the act limits nothing and every network is accepted)."""
    value = process_properties.get(NETWORKS_PROPERTY)
    if value is None:
        return None
    return tuple(dict.fromkeys(value.split()))
