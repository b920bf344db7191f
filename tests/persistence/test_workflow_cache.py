"""The live-workflow cache (engine.runtime.workflow_cache): served only while the row still says the same.

Another process is played by a second Database on the same database: its sessions have their own
engine, so they neither see nor fill this one's entries — exactly like a second gunicorn worker.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.db.database import Database
from engine.errors import InvalidSubmission
from engine.models import Instance
from engine.runtime import cases as runtime
from engine.runtime import store
from engine.runtime.workflow_cache import CACHE, WorkflowCache
from engine.spiff import inspect
from engine.spiff.script_engine import case_variables
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE


@pytest.fixture
def other_process(db) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    other = Database(db.engine.url.render_as_string(hide_password=False))
    yield other
    other.engine.dispose()


def ready(db: Database, instance_id: int) -> list[str]:
    with db.session() as session:
        workflow = store.load(session, session.get(Instance, instance_id))
        return sorted(t.element_id for t in inspect.ready_user_tasks(workflow, store.functions_for("orenburg")))


def test_a_lifecycle_deserializes_nothing_after_the_start(case, restores) -> None:  # type: ignore[no-untyped-def]
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    assert case.instance().status == "completed"
    assert restores == []
    assert CACHE.hits >= 5


def test_a_row_saved_elsewhere_is_read_not_the_cache(case, other_process, restores) -> None:  # type: ignore[no-untyped-def]
    case.complete("route_message", "curator", ROUTE)  # this process caches the state after routing
    task = case.task("accept_message")
    with other_process.session() as session:  # the other worker accepts the message
        runtime.complete_task(session, task.id, EXEC, {"competent": True})
    before = len(restores)
    assert ready(case.db, case.instance_id) == ["draft_answer"]
    assert len(restores) == before + 1  # the stale entry was dropped and the row deserialized
    case.complete("draft_answer", EXEC, DRAFT)
    assert case.open_elements() == ["approve_answer"]


def test_a_row_rewritten_at_the_same_version_is_read_again(case, db) -> None:  # type: ignore[no-untyped-def]
    # A database restored or emptied while the process runs reuses ids and versions: the state
    # text, not the version alone, decides.
    with db.session() as session:
        instance = session.get(Instance, case.instance_id)
        workflow = store.load(session, instance)
        case_variables(workflow)  # read only
        state, version = instance.state, instance.version
    changed = state.replace('"text": "', '"text": "restored: ', 1)
    assert changed != state
    with db.engine.begin() as connection:
        connection.execute(update(Instance.__table__).where(Instance.__table__.c.id == case.instance_id)
                           .values(state=changed))
    with db.session() as session:
        instance = session.get(Instance, case.instance_id)
        assert instance.version == version
        loaded = store.load(session, instance)
        assert loaded is not workflow
        assert case_variables(loaded)["text"].startswith("restored: ")


def test_a_rolled_back_completion_leaves_no_changed_workflow_behind(case, db) -> None:  # type: ignore[no-untyped-def]
    task = case.task("route_message")
    with pytest.raises(RuntimeError, match="after the completion"):
        with db.session() as session:
            runtime.complete_task(session, task.id, "curator", ROUTE)
            raise RuntimeError("after the completion, before the commit")
    assert ready(db, case.instance_id) == ["route_message"]
    with db.session() as session:
        assert "agency" not in case_variables(store.load(session, session.get(Instance, case.instance_id)))
    case.complete("route_message", "curator", ROUTE)
    assert case.open_elements() == ["accept_message"]


def test_a_session_rolling_back_then_committing_keeps_nothing(case, db) -> None:  # type: ignore[no-untyped-def]
    # The task page does this: a refused form rolls back, the page is rendered again, the unit of work commits.
    task = case.task("route_message")
    with db.session() as session:
        runtime.complete_task(session, task.id, "curator", ROUTE)
        session.rollback()
        session.get(Instance, case.instance_id)
    with db.session() as session:
        row = session.get(Instance, case.instance_id).state
    assert [e.state for e in CACHE._entries.values()] in ([], [row])
    assert ready(db, case.instance_id) == ["route_message"]


def test_a_refused_submission_leaves_no_fired_timer_behind(case, db) -> None:  # type: ignore[no-untyped-def]
    # The routing deadline passed while the worker was down: the completion fires it first,
    # then the form is refused and everything rolls back — the cache must not keep the fired timer.
    case.clock.set(case.local("2025-11-10T10:31"))
    with pytest.raises(InvalidSubmission):
        case.complete("route_message", "curator", {**ROUTE, "answer_hours": 12})  # over п. 8's 9 hours
    assert case.violations() == []
    assert ready(db, case.instance_id) == ["route_message"]
    case.at("2025-11-10T10:32")  # the worker fires it, once, at its own due time
    assert case.violations() == [("6", "routing", case.local("2025-11-10T10:30"))]
    case.complete("route_message", "curator", ROUTE)
    assert case.open_elements() == ["accept_message"]


def test_a_change_that_is_committed_without_save_is_dropped(case, db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        workflow = store.load(session, session.get(Instance, case.instance_id), for_update=True)
        case_variables(workflow)["note"] = "never saved"
    with db.session() as session:
        assert "note" not in case_variables(store.load(session, session.get(Instance, case.instance_id)))


def test_two_sessions_never_hold_the_same_workflow(db) -> None:  # type: ignore[no-untyped-def]
    # Sessions of two threads at once (SQLite would serialise them, so the cache is driven directly).
    cache = WorkflowCache(4)
    first, second, third = Session(db.engine), Session(db.engine), Session(db.engine)
    cache.saved(first, 7, "saved at v2", "state-2", 2)
    cache._committed(first)
    one = cache.load(first, 7, "state-2", 2, restore=lambda: "restored by first", fits=lambda w: True)
    two = cache.load(second, 7, "state-2", 2, restore=lambda: "restored by second", fits=lambda w: True)
    assert (one, two) == ("saved at v2", "restored by second")
    assert cache.load(first, 7, "state-2", 2, restore=lambda: "again", fits=lambda w: True) == "saved at v2"
    # The second session saves v3 and commits; the first, a reader of v2, commits later:
    # the older state does not replace the newer one.
    cache.saved(second, 7, "saved at v3", "state-3", 3)
    cache._committed(second)
    cache._committed(first)
    assert cache.load(third, 7, "state-3", 3, restore=lambda: "restored", fits=lambda w: True) == "saved at v3"
    for session in (first, second, third):
        session.close()


def test_an_entry_for_another_spec_or_version_is_not_served(db) -> None:  # type: ignore[no-untyped-def]
    cache = WorkflowCache(4)
    writer, reader = Session(db.engine), Session(db.engine)
    cache.saved(writer, 7, "v2", "state", 2)
    cache._committed(writer)
    assert cache.load(reader, 7, "state", 3, restore=lambda: "restored", fits=lambda w: True) == "restored"
    cache.saved(writer, 7, "v2", "state", 2)
    cache._committed(writer)
    other = Session(db.engine)
    assert cache.load(other, 7, "state", 2, restore=lambda: "restored", fits=lambda w: False) == "restored"
    for session in (writer, reader, other):
        session.close()


def test_the_cache_holds_at_most_its_size(case, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(CACHE, "size", 1)
    case.start(posted="2025-11-10T10:05", detected="2025-11-10T10:05", text="Второе сообщение")
    with db.session() as session:
        ids = list(session.scalars(select(Instance.id)))
        for instance_id in ids:
            store.load(session, session.get(Instance, instance_id))
    assert len(CACHE) == 1
