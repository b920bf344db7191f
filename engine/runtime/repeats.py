"""Repeat messages (Orenburg п. 15, Kalmanka п. 9): earlier messages a curator is shown, and the
curator's confirmation «повтор сообщения № N».

The acts: on a repeat message on an issue handled before, the curator sends it to the competent
agency «для оперативного принятия мер»; the answer must report the measures taken or the progress
(«о принятых мерах или о ходе решения вопроса»); it goes through the ordinary steps (Orenburg
пп. 6–14, Kalmanka пп. 6–8). The engine models the recognition and the link:

* **Suggestions** are computed when the curator looks (the card, a curator's task page), never at
  intake, so intake stays as fast as before. Candidates are earlier messages of the same territory
  registered within the procedure's window (``repeat.window_days``, engine.runtime.repeat_rule):
  those of the same author on the same network (index ``ix_message_region_author``), and the newest
  :data:`SCANNED` of the territory (index ``ix_message_region_registered``) compared by text with
  RapidFuzz, a same location counting for more. At most :data:`SHOWN` are shown.
* **Confirming** sets ``message.repeat_of_id`` and the case variable ``repeat_of_id`` (the name every
  case holds from its start, engine.bpmn.conventions.START_VARIABLES), so a form's condition can
  require the measures (``=… repeat_of_id = null …``: forms/draft_answer.form). Audited; the card's
  history says it in words. Dismissing a suggestion is audited too and hides it from then on.
* **Who and when**: a curator of the message's territory (engine.directory.policy), while the case
  runs and its answer is not yet published (``answer.published``): the measures are required of the
  drafts still to come; a draft already waiting for approval is returned for rework by the curator.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn import conventions
from engine.db.audit import record
from engine.directory import policy
from engine.directory.access import current_grants
from engine.errors import Conflict, Forbidden, InvalidSubmission, NotFound
from engine.expressions.language import BASE_FUNCTIONS, ExpressionError, evaluate
from engine.models import AuditEvent, Instance, Message
from engine.runtime import store
from engine.runtime.repeat_rule import RepeatRule, process_properties, rule_of_deployment
from engine.spiff.script_engine import case_variables
from engine.texts import t

__all__ = ["SCANNED", "BY_AUTHOR", "SHOWN", "TEXT_CHARS", "SIMILAR", "VARIABLE", "Candidate", "Marking",
           "candidates", "marking", "confirm", "dismiss"]

SCANNED = 500  # the territory's newest messages in the window compared by text, at most
BY_AUTHOR = 50  # the author's messages in the window, at most
SHOWN = 5  # suggestions shown
TEXT_CHARS = 600  # each text is compared by its beginning (a post states its issue first): bounded cost
SIMILAR = 60  # the least text similarity (0–100) that alone makes a suggestion
LOCATION_BONUS = 15  # a same location lowers that bar, and ranks higher
AUTHOR_BONUS = 30
VARIABLE = "repeat_of_id"  # the case variable a confirmed repeat sets (a start variable of every case)
assert VARIABLE in conventions.START_VARIABLES

CONFIRMED, DISMISSED = "repeat_confirmed", "repeat_dismissed"
AUDIT_KINDS = (CONFIRMED, DISMISSED)


@dataclass(frozen=True)
class Candidate:
    message_id: int
    score: int  # text similarity, 0–100 (RapidFuzz: the mean of token-set and token-sort ratios)
    same_author: bool  # the same author on the same network
    same_location: bool  # the curator marked the same location on both

    @property
    def rank(self) -> int:
        return self.score + AUTHOR_BONUS * self.same_author + LOCATION_BONUS * self.same_location


@dataclass(frozen=True)
class Marking:
    """Where a message stands for repeats: whether its procedure handles them, who may mark them now."""

    message: Message
    instance: Instance | None
    rule: RepeatRule | None  # None: the procedure declares no repeat detection
    may_mark: bool  # the reader is a curator of the territory and the case still allows it
    refusal: str | None  # why marking is not allowed now (a text code), for the page and the refusal
    dismissed: frozenset[int]  # earlier messages the curators said this one does not repeat


def _stems(processed: str) -> frozenset[str]:
    """Word beginnings (5 letters) of a processed text: «дорогу» and «дороги» share «дорог»."""
    return frozenset(word[:5] for word in processed.split() if len(word) >= 3)


def _similarity(left: str, right: str) -> int:
    """0–100; texts sharing no word beginning score 0 without the (quadratic) comparison."""
    a, b = default_process(left[:TEXT_CHARS]), default_process(right[:TEXT_CHARS])
    if not a or not b or not _stems(a) & _stems(b):
        return 0
    # Token-set alone scores a short text inside a long one as 100 («Яма» in any complaint about a
    # pothole); token-sort alone misses a long message that repeats a short one. Their mean does neither.
    # Token-set is never below token-sort, so below the lowest bar the costlier sort is not needed.
    token_set = fuzz.token_set_ratio(a, b)
    if token_set < SIMILAR - LOCATION_BONUS:
        return round(token_set / 2)
    return round((token_set + fuzz.token_sort_ratio(a, b)) / 2)


def candidates(session: Session, message: Message, rule: RepeatRule, exclude: frozenset[int] = frozenset()) \
        -> list[Candidate]:
    """The earlier messages of ``message``'s territory it may repeat, best first, at most SHOWN;
    ``exclude``: ids not to suggest (dismissed, the one already confirmed)."""
    since: datetime = message.registered_at - timedelta(days=rule.window_days)
    # Only the beginning of each text is read: 500 posts of 20,000 characters are not fetched whole.
    columns = (Message.id, Message.network, Message.author, func.substr(Message.text, 1, TEXT_CHARS).label("text"),
               Message.location)
    earlier = (Message.region == message.region, Message.registered_at >= since,
               Message.registered_at <= message.registered_at, Message.id < message.id)
    by_author = session.execute(select(*columns).where(*earlier, Message.author == message.author)
                                .order_by(Message.registered_at.desc(), Message.id.desc()).limit(BY_AUTHOR)).all()
    newest = session.execute(select(*columns).where(*earlier)
                             .order_by(Message.registered_at.desc(), Message.id.desc()).limit(SCANNED)).all()
    location = (message.location or "").strip().casefold()
    found: dict[int, Candidate] = {}
    for row in (*by_author, *newest):
        if row.id in found or row.id in exclude:
            continue
        same_author = row.network == message.network and row.author == message.author
        same_location = bool(location) and (row.location or "").strip().casefold() == location
        score = _similarity(message.text, row.text)
        if same_author or score >= SIMILAR or (same_location and score >= SIMILAR - LOCATION_BONUS):
            found[row.id] = Candidate(row.id, score, same_author, same_location)
    return sorted(found.values(), key=lambda c: (-c.rank, -c.message_id))[:SHOWN]


# ---------------------------------------------------------------- who may mark, and when

def _published(session: Session, instance: Instance) -> bool:
    """The case's ``answer.published`` over its variables (a variable not set yet: not published)."""
    declared = process_properties(session, instance.deployment_id)
    expression = (declared.get(conventions.ANSWER_PUBLISHED) or "").strip()
    if not expression:
        return False
    try:
        return bool(evaluate(expression, case_variables(store.load_for_reading(session, instance)), BASE_FUNCTIONS))
    except ExpressionError:
        return False


def _dismissed(session: Session, instance: Instance | None) -> frozenset[int]:
    if instance is None:
        return frozenset()
    found = session.scalars(select(AuditEvent.details).where(AuditEvent.instance_id == instance.id,
                                                             AuditEvent.kind == DISMISSED))
    return frozenset(int(d["earlier"]) for d in found if isinstance(d, dict) and isinstance(d.get("earlier"), int))


def marking(session: Session, message: Message, login: str) -> Marking:
    """Whether ``login`` may mark ``message``'s repeats now, and what was dismissed (the message is one
    the reader may see: the caller checked)."""
    instance = session.scalars(select(Instance).where(Instance.message_id == message.id)
                               .order_by(Instance.id.desc()).limit(1)).first()
    rule = rule_of_deployment(session, instance.deployment_id) if instance is not None else None
    curator = message.region in policy.repeat_marking_regions(current_grants(session, login))
    refusal: str | None = None
    if not curator:
        refusal = "repeat.not_curator"
    elif rule is None or instance is None:
        refusal = "repeat.not_handled"
    elif instance.status != "running":
        refusal = "repeat.case_closed"
    elif _published(session, instance):
        refusal = "repeat.answer_published"
    return Marking(message, instance, rule, refusal is None, refusal,
                   _dismissed(session, instance) if curator else frozenset())


# ---------------------------------------------------------------- confirm, dismiss

def _checked(session: Session, message_id: int, login: str) -> Marking:
    message = session.get(Message, message_id)
    if message is None or not policy.can_see_message(session, message_id, login):
        raise NotFound(t("runtime.message_missing", id=message_id))
    state = marking(session, message, login)
    if state.refusal == "repeat.not_curator":
        raise Forbidden(t(state.refusal))
    if state.refusal is not None:
        raise Conflict(t(state.refusal, id=message_id))
    return state


def _earlier(session: Session, message: Message, earlier_id: int | None) -> Message:
    if earlier_id is None:
        raise InvalidSubmission({"earlier": t("repeat.earlier_missing")})
    earlier = session.get(Message, earlier_id) if 0 < earlier_id < 2**31 else None
    if earlier is None:
        raise InvalidSubmission({"earlier": t("repeat.earlier_unknown")})
    if earlier.region != message.region:
        raise InvalidSubmission({"earlier": t("repeat.earlier_other_region")})
    if earlier.id >= message.id:  # ids only grow: a chain of repeats never loops
        raise InvalidSubmission({"earlier": t("repeat.earlier_not_before")})
    return earlier


def _set(session: Session, state: Marking, value: int | None, login: str, kind: str, earlier: int) -> Message:
    """The message's link and the case variable, in one transaction with the audit record."""
    message, instance = state.message, state.instance
    assert instance is not None  # marking() refuses a message without a case
    locked = session.execute(select(Instance).where(Instance.id == instance.id).with_for_update()
                             .execution_options(populate_existing=True)).scalar_one()
    if locked.status != "running":
        raise Conflict(t("repeat.case_closed", id=message.id))
    workflow = store.load(session, locked, for_update=True)
    case_variables(workflow)[VARIABLE] = value
    now = clock.now()
    previous = message.repeat_of_id
    message.repeat_of_id = value
    record(session, kind, actor=login, at=now, instance_id=locked.id, message_id=message.id,
           details={"earlier": earlier, "previous": previous})
    store.save(session, locked, workflow, login)
    return message


def confirm(session: Session, message_id: int, earlier_id: int | None, login: str) -> Message:
    """The curator confirms «повтор сообщения № earlier_id». Raises NotFound, Forbidden (not a curator
    of the territory), Conflict (the procedure handles no repeats, the case ended, the answer is
    published) or InvalidSubmission (``earlier``: no such message, another territory's, not earlier)."""
    state = _checked(session, message_id, login)
    earlier = _earlier(session, state.message, earlier_id)
    if state.message.repeat_of_id == earlier.id:
        return state.message  # confirmed already (a second click): nothing new to record
    return _set(session, state, earlier.id, login, CONFIRMED, earlier.id)


def dismiss(session: Session, message_id: int, earlier_id: int | None, login: str) -> None:
    """The curator says the message does not repeat ``earlier_id``: the suggestion is not shown again;
    when it was the confirmed one, the link and the case variable are cleared."""
    state = _checked(session, message_id, login)
    earlier = _earlier(session, state.message, earlier_id)
    if earlier.id in state.dismissed:
        return
    if state.message.repeat_of_id == earlier.id:
        _set(session, state, None, login, DISMISSED, earlier.id)
        return
    assert state.instance is not None  # marking() refuses a message without a case
    record(session, DISMISSED, actor=login, at=clock.now(), instance_id=state.instance.id, message_id=state.message.id,
           details={"earlier": earlier.id, "previous": state.message.repeat_of_id})
