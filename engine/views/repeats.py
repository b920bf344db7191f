"""Repeat messages as a curator and an executor read them (Orenburg п. 15, Kalmanka п. 9): the
earlier message a case repeats, and the earlier messages it may repeat — each WITH its answer (the
text, the measures, the published link, whether it is published), its status and the agency that
handled it, so the curator decides on the facts and the executor reports what was done since.

The rules (candidates, who may confirm and when) are engine.runtime.repeats'; this assembles what the
card (engine.views.message_card) and a task page (engine.views.task) show.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.directory import policy
from engine.directory.names import organisation_names
from engine.models import Instance, Message, Task
from engine.runtime import repeats
from engine.runtime.incidents import readable_workflow
from engine.runtime.repeat_rule import process_properties
from engine.spiff.script_engine import case_variables
from engine.texts import Text, t

if TYPE_CHECKING:
    from engine.views.message_card import Answer


@dataclass(frozen=True)
class Earlier:
    """An earlier message with what became of it."""

    message: Message
    answer: Answer
    agency_name: str | None  # the organisation that worked on it last (an executor's task)
    visible: bool  # the reader may open its card
    reasons: tuple[Text, ...] = ()  # why it is suggested (a suggestion only)
    score: int = 0


@dataclass(frozen=True)
class RepeatPanel:
    handled: bool  # the procedure declares repeat detection (``repeat.window_days``)
    clause: str  # the act's clause it cites (``repeat.clause``), may be empty
    window_days: int | None
    confirmed: Earlier | None  # the message this one repeats, once confirmed (or registered so)
    suggestions: tuple[Earlier, ...]  # for a curator of the territory while marking is allowed
    may_mark: bool
    refusal: Text | None  # why the curator may not mark now (the case ended, the answer is published)
    looked: bool = False  # suggestions were searched for (none found is then worth saying)

    @property
    def is_empty(self) -> bool:
        return self.confirmed is None and not self.suggestions and not (self.may_mark and self.looked)


def _answer(session: Session, message: Message) -> tuple[Answer, str | None]:
    """The earlier case's answer as its diagram declares it, and the agency that handled it."""
    # The card's own reading of an answer; imported here because the card shows this panel too.
    from engine.views.message_card import Answer, answer_of
    instance = session.scalars(select(Instance).where(Instance.message_id == message.id)
                               .order_by(Instance.id.desc()).limit(1)).first()
    agency = session.scalar(select(Task.organisation_key).where(
        Task.message_id == message.id, Task.organisation_key.is_not(None))
        .order_by(Task.created_at.desc(), Task.id.desc()).limit(1))
    name = organisation_names(session, [agency]).get(agency) if agency else None
    if instance is None:
        return Answer(), name
    workflow = readable_workflow(session, instance)
    if workflow is None:
        return Answer(), name
    # The kind's option labels are not read: the panel shows the answer's words, not its kind.
    return answer_of(case_variables(workflow), process_properties(session, instance.deployment_id), {}), name


def _earlier(session: Session, message: Message, login: str, candidate: repeats.Candidate | None = None) -> Earlier:
    answer, agency = _answer(session, message)
    reasons: list[Text] = []
    if candidate is not None:
        if candidate.same_author:
            reasons.append(t("repeat.reason.author"))
        if candidate.score >= repeats.SIMILAR - repeats.LOCATION_BONUS:
            reasons.append(t("repeat.reason.text", score=candidate.score))
        if candidate.same_location:
            reasons.append(t("repeat.reason.location"))
    return Earlier(message=message, answer=answer, agency_name=agency,
                   visible=policy.can_see_message(session, message.id, login), reasons=tuple(reasons),
                   score=candidate.score if candidate else 0)


def _first_step(session: Session, task: Task) -> bool:
    """No step of the task's case is done yet: the curator's first look at the message (routing)."""
    done = session.scalar(select(Task.id).where(Task.instance_id == task.instance_id, Task.status == "completed")
                          .limit(1))
    return done is None


def repeat_panel(session: Session, message: Message, login: str, task: Task | None = None) -> RepeatPanel:
    """What the card, or the page of ``task``, shows of ``message``'s repeats to ``login`` (who may see it).

    Suggestions are computed only for a curator of the territory while marking is allowed, only where
    the procedure declares repeat detection, and on a task page only on the case's first step (the
    routing, where the curator decides; later pages keep the draft in view, the card has them all
    along). The confirmed earlier message is shown to every reader of the message (the executor
    reports the measures taken since its answer)."""
    state = repeats.marking(session, message, login)
    earlier = session.get(Message, message.repeat_of_id) if message.repeat_of_id is not None else None
    confirmed = _earlier(session, earlier, login) if earlier is not None else None
    suggestions: tuple[Earlier, ...] = ()
    looked = state.may_mark and state.rule is not None and (task is None or _first_step(session, task))
    if looked and state.rule is not None:
        exclude = state.dismissed | ({message.repeat_of_id} if message.repeat_of_id is not None else set())
        found = repeats.candidates(session, message, state.rule, frozenset(exclude))
        rows = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_([c.message_id for c in found])))}
        suggestions = tuple(_earlier(session, rows[c.message_id], login, c) for c in found if c.message_id in rows)
    shown_refusal = state.refusal if state.refusal not in (None, "repeat.not_curator", "repeat.not_handled") else None
    return RepeatPanel(
        handled=state.rule is not None, clause=state.rule.clause if state.rule else "",
        window_days=state.rule.window_days if state.rule else None, confirmed=confirmed, suggestions=suggestions,
        may_mark=state.may_mark, refusal=t(shown_refusal, id=message.id) if shown_refusal else None, looked=looked)
