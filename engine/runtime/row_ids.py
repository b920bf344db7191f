"""Row ids handed out before the rows are written, so a batch of new cases is written at once.

Starting a case needs its message's and its instance's ids at once (the case's data and its
audit rows name them). Asked one INSERT at a time, that is two round trips per message, before
the rest of its rows; with the ids known up front, a batch's messages, instances, audit rows and
tasks go to the database together at its end, a few statements for the whole batch.

PostgreSQL: the tables' own sequences (``nextval``), as their INSERTs would use; concurrent
transactions never get the same id. SQLite: the next ids after the table's highest, which is what
SQLite itself would give: a writer there holds the database's write lock from its first statement
(engine.db.database: BEGIN IMMEDIATE), so no other transaction writes in between. An id taken but
not used (a refused message) is a gap, as after any rollback. Should an id still collide (a row
written in the same transaction without one of these ids), the flush fails with IntegrityError
and the caller falls back to writing row by row (engine.runtime.intake)."""
from __future__ import annotations

from sqlalchemy import Integer, bindparam, event, func, select, text
from sqlalchemy.orm import Session, SessionTransaction

from engine.models import Instance, Message

_HIGHEST = {"message": select(func.max(Message.id)), "instance": select(func.max(Instance.id))}
_INFO_KEY = "otklik_reserved_ids"  # table → the highest id handed out in this transaction (SQLite)

# nextval for n rows, in order, in one round trip.
_NEXTVAL = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)") \
    .bindparams(bindparam("n", type_=Integer))


def reserve(session: Session, table: str, count: int) -> list[int]:
    """``count`` new ids for rows of ``table`` (``message`` or ``instance``), ascending."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return [int(i) for i in session.scalars(_NEXTVAL, {"table": table, "n": count})]
    highest = session.scalar(_HIGHEST[table]) or 0
    handed: dict[str, int] = session.info.setdefault(_INFO_KEY, {})
    first = max(highest, handed.get(table, 0)) + 1
    handed[table] = first + count - 1
    return list(range(first, first + count))


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost: what was handed out is written or rolled back
        session.info.pop(_INFO_KEY, None)
