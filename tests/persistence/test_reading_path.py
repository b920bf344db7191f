"""Pages read cases through store.load_for_reading, not the write path (issue 12).

A read never shows a workflow its unit of work is changing, never marks one for update, still costs
no deserialization while the row is unchanged, and hands what it borrowed back to the cache.
"""
from __future__ import annotations

import pytest

from engine.models import Instance
from engine.runtime import cases as runtime
from engine.runtime import store
from engine.runtime.workflow_cache import CACHE
from engine.spiff import inspect
from engine.spiff.script_engine import case_variables
from engine.views.message_card import message_card
from tests.scenario.test_orenburg import EXEC, ROUTE


def ready(workflow) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(t.element_id for t in inspect.ready_user_tasks(workflow, store.functions_for("orenburg")))


def test_pages_read_from_the_cache_and_give_it_back_for_the_next_completion(case, db, restores) -> None:  # type: ignore[no-untyped-def]
    case.complete("route_message", "curator", ROUTE)  # the cache now holds the routed case
    message_id = case.instance().message_id
    with db.session(readonly=True) as session:
        instance = session.get(Instance, case.instance_id)
        first = store.load_for_reading(session, instance)
        assert store.load_for_reading(session, instance) is first  # one unit of work, one workflow
        assert ready(first) == ["accept_message"]
        message_card(session, message_id, "curator")  # the card reads the same one
    assert restores == []
    case.complete("accept_message", EXEC, {"competent": True})
    assert restores == []  # the read gave the workflow back: the completion did not deserialize
    assert case.open_elements() == ["draft_answer"]


def test_a_read_never_shows_a_workflow_being_changed(case, db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        instance = session.get(Instance, case.instance_id)
        changing = store.load(session, instance, for_update=True)
        case_variables(changing)["note"] = "not saved"
        shown = store.load_for_reading(session, instance)
        assert shown is not changing and "note" not in case_variables(shown)
    with db.session(readonly=True) as session:
        shown = store.load_for_reading(session, session.get(Instance, case.instance_id))
        assert "note" not in case_variables(shown)  # the change was dropped, the read kept
    case.complete("route_message", "curator", ROUTE)
    assert case.open_elements() == ["accept_message"]


def test_a_read_then_a_completion_in_one_unit_of_work_deserializes_once(case, db, restores) -> None:  # type: ignore[no-untyped-def]
    CACHE.clear()
    task = case.task("route_message")
    with db.session() as session:
        store.load_for_reading(session, session.get(Instance, case.instance_id))  # the task page
        runtime.complete_task(session, task.id, "curator", ROUTE)  # then its form is sent
        assert ready(store.load_for_reading(session, session.get(Instance, case.instance_id))) == ["accept_message"]
    assert len(restores) == 1
    case.complete("accept_message", EXEC, {"competent": True})
    assert len(restores) == 1  # the completion's saved workflow went back, not the older read


def test_a_read_in_a_unit_of_work_that_rolls_back_keeps_nothing(case, db, restores) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError):
        with db.session(readonly=True) as session:
            store.load_for_reading(session, session.get(Instance, case.instance_id))
            raise RuntimeError("the page failed after reading")
    before = len(restores)
    with db.session(readonly=True) as session:
        assert ready(store.load_for_reading(session, session.get(Instance, case.instance_id))) == ["route_message"]
    assert len(restores) == before + 1
