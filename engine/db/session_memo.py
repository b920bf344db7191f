"""Answers kept for one unit of work while nothing in it changes.

A task page and the completion it posts ask several times who the user is, what they may do and
which agencies there are. Each answer is computed once per session; pending or flushed changes
(a new substitution, say), a commit or a rollback make the next call ask the database again.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from sqlalchemy import event
from sqlalchemy.orm import Session

_INFO_KEY = "otklik_session_memo"
_T = TypeVar("_T")


def memo(session: Session, key: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()`` once per unit of work while the session holds no unflushed change."""
    kept: dict[Hashable, Any] = session.info.setdefault(_INFO_KEY, {})
    if session.new or session.dirty or session.deleted:
        kept.clear()
        return compute()
    if key not in kept:
        kept[key] = compute()
    # One key, one compute: whatever was kept under it is what compute() returns.
    return cast(_T, kept[key])


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_INFO_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_INFO_KEY, None)
