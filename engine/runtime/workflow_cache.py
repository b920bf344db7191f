"""Deserialized workflows kept between transactions, so a completion does not re-read its state.

Restoring a workflow from its JSON state is the largest single cost of a completion. This
module keeps, per process, the live workflow each instance row was last saved as (or read as),
and hands it back when the row still says the same:

* An entry is served only when the row's ``version`` **and** its ``state`` text equal what the
  entry was made from (a string comparison, microseconds). The version alone would not do: a
  database truncated or restored while the process runs reuses ids and versions. So a workflow
  older (or other) than the row is never served; the caller deserializes instead.
* A loaded workflow belongs to one session at a time: taking it removes it from the cache, so
  another session (thread) can never see it half-changed.
* It goes back only after the transaction **commits**: with the state just saved, or unchanged
  if the session only read it. A rollback drops everything the session held, and so does a
  commit for a workflow that was changed but not saved — the cache is never left holding a
  workflow the database does not have.
* Read models (:meth:`WorkflowCache.read`) borrow apart from writers: they never see a workflow
  being changed, never mark one for update, and give back what they borrowed on commit.

Keys include the engine's connection pool (shared by its read-only copy) so two databases in one
process do not share entries; the text check makes even an id collision harmless.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.settings import WORKFLOW_CACHE_SIZE, settings

_INFO_KEY = "otklik_workflows"
_READ_KEY = "otklik_workflows_read"  # borrowed by read models: never changed, never saved
DEFAULT_SIZE = WORKFLOW_CACHE_SIZE  # OTKLIK_WORKFLOW_CACHE_SIZE changes it (engine.settings)


@dataclass
class _Entry:
    workflow: Any
    state: str  # the instance row's state text this workflow equals
    version: int | None  # the row's version for that state (None: not known yet, never served)
    dirty: bool = False  # changed since ``state`` and not saved: must not outlive the transaction


class WorkflowCache:
    """A bounded LRU of live workflows keyed by (engine, instance id), shared by all sessions."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, int], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _take(self, key: tuple[int, int], state: str, version: int | None, fits: Callable[[Any], bool]) -> Any:
        with self._lock:
            entry = self._entries.pop(key, None)
            if entry is not None and entry.version == version and entry.state == state and fits(entry.workflow):
                self.hits += 1
                return entry.workflow
            self.misses += 1
            return None  # a stale entry is simply dropped

    def _put(self, key: tuple[int, int], entry: _Entry) -> None:
        if self.size <= 0 or entry.version is None:
            return
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current.version is not None and current.version > entry.version:
                return  # another session already committed a newer state
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    # ------------------------------------------------------------------ per session

    def load(self, session: Session, instance_id: int, state: str, version: int | None,
             restore: Callable[[], Any], fits: Callable[[Any], bool], for_update: bool = False) -> Any:
        """The workflow for this row state: the session's own, the cache's, or ``restore()``."""
        held: dict[int, _Entry] = session.info.setdefault(_INFO_KEY, {})
        entry = held.get(instance_id)
        if entry is None or entry.dirty or entry.state != state or not fits(entry.workflow):
            # A page read this state earlier in the unit of work (a task page, then its completion):
            # the same thread is done reading, so the writer takes that workflow over.
            shown = session.info.get(_READ_KEY, {}).pop(instance_id, None)
            workflow = shown.workflow if shown is not None and shown.state == state and fits(shown.workflow) else \
                self._take((_bind_key(session), instance_id), state, version, fits)
            entry = _Entry(workflow if workflow is not None else restore(), state, version)
            held[instance_id] = entry
        entry.dirty = entry.dirty or for_update
        return entry.workflow

    def read(self, session: Session, instance_id: int, state: str, version: int | None,
             restore: Callable[[], Any], fits: Callable[[Any], bool]) -> Any:
        """The workflow for this row state, to be looked at only (read models).

        Leaves the write state alone: a workflow this session is changing (dirty) is never shown,
        and nothing is marked for update. The session's own clean workflow is shared; otherwise one
        is borrowed from the cache (still one session at a time) or restored, kept apart from what
        writers hold, and returned to the cache when the unit of work commits."""
        held: dict[int, _Entry] = session.info.get(_INFO_KEY, {})
        entry = held.get(instance_id)
        if entry is not None and not entry.dirty and entry.state == state and fits(entry.workflow):
            return entry.workflow
        borrowed: dict[int, _Entry] = session.info.setdefault(_READ_KEY, {})
        entry = borrowed.get(instance_id)
        if entry is None or entry.state != state or not fits(entry.workflow):
            workflow = self._take((_bind_key(session), instance_id), state, version, fits)
            entry = _Entry(workflow if workflow is not None else restore(), state, version)
            borrowed[instance_id] = entry
        return entry.workflow

    def changed(self, session: Session, instance_id: int, workflow: Any) -> None:
        """``workflow`` is being changed: unless saved, it must not return to the cache."""
        held: dict[int, _Entry] = session.info.setdefault(_INFO_KEY, {})
        entry = held.get(instance_id)
        if entry is not None and entry.workflow is workflow:
            entry.dirty = True
        else:
            held[instance_id] = _Entry(workflow, "", None, dirty=True)

    def saved(self, session: Session, instance_id: int, workflow: Any, state: str, version: int | None) -> None:
        """The session wrote ``state`` (at ``version``) for this workflow; kept if it commits."""
        session.info.setdefault(_INFO_KEY, {})[instance_id] = _Entry(workflow, state, version)

    def _committed(self, session: Session) -> None:
        held: dict[int, _Entry] = session.info.pop(_INFO_KEY, None) or {}
        borrowed: dict[int, _Entry] = session.info.pop(_READ_KEY, None) or {}
        if not held and not borrowed:
            return
        key = _bind_key(session)
        for instance_id, entry in held.items():
            if not entry.dirty:
                self._put((key, instance_id), entry)
        for instance_id, entry in borrowed.items():
            if instance_id not in held:  # what a writer of the same case holds is newer or its own
                self._put((key, instance_id), entry)

    @staticmethod
    def _rolled_back(session: Session) -> None:
        session.info.pop(_INFO_KEY, None)
        session.info.pop(_READ_KEY, None)


def _bind_key(session: Session) -> int:
    # The pool, not the engine object: a read-only unit of work runs on an execution-options copy
    # of the engine (engine.db.database) with the same pool, and pages must find what completions
    # saved. Two Database objects still have two pools, so they never share entries.
    return id(session.get_bind().engine.pool)


CACHE = WorkflowCache(settings().workflow_cache_size)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    CACHE._committed(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    # Any rollback, a savepoint's included: what the session held may be half-changed.
    CACHE._rolled_back(session)
