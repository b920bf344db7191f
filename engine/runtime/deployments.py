"""Which deployment runs a territory's new messages, asked once per transaction.

Every message taken in asks twice which procedure version is the newest for its territory (to
check its network against the diagram's list, then to start it), and a batch of a monitoring
system's messages asks that for each message. Deployments are only ever added, so the answer is kept
for the rest of the transaction: a commit or a rollback forgets it, and so does a flush that writes a
deployment (a version deployed in the same unit of work is found)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, SessionTransaction

from engine.models import Deployment

_INFO_KEY = "otklik_newest_procedures"

# Built once: constructing the statement costs more than running it.
_NEWEST = (select(Deployment.id).where(Deployment.region == bindparam("region"), Deployment.kind == "procedure")
           .order_by(Deployment.id.desc()).limit(1))
_NEWEST_OF_PROCESS = (select(Deployment.id).where(Deployment.region == bindparam("region"),
                                                  Deployment.kind == "procedure",
                                                  Deployment.process_id == bindparam("process_id"))
                      .order_by(Deployment.id.desc()).limit(1))


def newest_procedure(session: Session, region: str, process_id: str | None = None) -> int | None:
    """The id of the newest procedure (never a template) deployed *for* ``region``, narrowed to
    ``process_id`` when given; None when there is none."""
    kept: dict[tuple[str, str | None], int | None] = session.info.setdefault(_INFO_KEY, {})
    key = (region, process_id)
    if key not in kept:
        kept[key] = session.scalar(_NEWEST, {"region": region}) if process_id is None else \
            session.scalar(_NEWEST_OF_PROCESS, {"region": region, "process_id": process_id})
    return kept[key]


@event.listens_for(Session, "after_flush")
def _forget_if_deployed(session: Session, _context: Any) -> None:
    # Still the pre-flush lists here: a deployment written (or removed) by this flush.
    if any(isinstance(row, Deployment) for rows in (session.new, session.dirty, session.deleted) for row in rows):
        session.info.pop(_INFO_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    # Only the outermost: not when a savepoint is released (after_commit fires then too; each message
    # of a batch runs in its own) nor at a flush's inner transaction.
    if transaction.parent is None:
        session.info.pop(_INFO_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_INFO_KEY, None)
