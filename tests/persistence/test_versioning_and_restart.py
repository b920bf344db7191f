"""Versioning by content, restarts, audit immutability — on SQLite and (in CI) PostgreSQL.

Overdue deadlines after downtime are tests/reliability/test_restart.py's (on both backends too)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from engine.db.database import Database
from engine.deployment.deployer import Source, deploy, library_forms
from engine.models import AuditEvent, Deployment, Instance
from engine.runtime import store
from engine.spiff import script_engine
from tests.factories import ROOT, deploy_files
from tests.scenario.driver import Case
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE

ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()


def test_same_content_is_not_a_new_version_and_changed_content_is(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        [first] = deploy(session, [Source("orenburg.bpmn", ORENBURG)], "analyst", extra_forms=library_forms())
        [again] = deploy(session, [Source("orenburg.bpmn", ORENBURG)], "analyst", extra_forms=library_forms())
        changed = ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(20, since=detected_at)")
        [second] = deploy(session, [Source("orenburg.bpmn", changed)], "analyst", extra_forms=library_forms())
    assert (first.version, first.created) == (1, True)
    assert (again.version, again.created) == (1, False)
    assert (second.version, second.created) == (2, True)
    with db.session() as session:
        kinds = session.scalars(select(AuditEvent.kind)).all()
    assert kinds.count("deployed") == 2


def test_a_changed_form_is_a_new_version(db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        deploy(session, [Source("orenburg.bpmn", ORENBURG)], "analyst", extra_forms=library_forms())
        form = (ROOT / "forms" / "approve_answer.form").read_text(encoding="utf-8")
        changed = form.replace("Согласовать", "Утвердить", 1)
        [result] = deploy(session, [Source("orenburg.bpmn", ORENBURG),
                                    Source("approve_answer.form", changed.encode())], "analyst", extra_forms=library_forms())
    assert result.version == 2


def test_running_instances_stay_on_their_version(db, virtual_clock, orenburg) -> None:  # type: ignore[no-untyped-def]
    case = orenburg
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with db.session() as session:
        changed = ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(20, since=detected_at)")
        deploy(session, [Source("orenburg.bpmn", changed)], "analyst", extra_forms=library_forms())
    assert case.instance().deployment_id == 1
    assert case.due("route_message") == case.local("2025-11-10T10:30")
    newer = Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
    newer.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    assert newer.instance().deployment_id == 2
    assert newer.due("route_message") == newer.local("2025-11-10T10:20")


def test_restart_save_drop_everything_load_continue(db, orenburg) -> None:  # type: ignore[no-untyped-def]
    case = orenburg
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.at("2025-11-10T10:10")
    case.complete("route_message", "curator", ROUTE)
    # Drop every in-process object: connections, cached specs, script engines.
    url = db.engine.url.render_as_string(hide_password=False)
    db.engine.dispose()
    store._spec.cache_clear()
    script_engine.script_engine_for_region.cache_clear()
    case.db = Database(url)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-10T16:05")  # the draft deadline armed before the restart still fires
    assert case.violations() == [("9", "draft", case.local("2025-11-10T16:00"))]
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    assert case.instance().status == "completed"


def test_state_is_stored_without_the_spec(db, orenburg) -> None:  # type: ignore[no-untyped-def]
    case = orenburg
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    with db.session() as session:
        instance = session.get(Instance, case.instance_id)
        spec = session.get(Deployment, instance.deployment_id).spec
    assert '"spec"' not in instance.state and len(instance.state) < len(spec)


def test_audit_log_is_append_only(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        deploy_files(session, "bpmn/orenburg.bpmn")
    for statement in ("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
    with db.session() as session:
        assert session.scalars(select(AuditEvent.actor)).all() == ["analyst"]


def test_a_timer_fires_when_now_is_exactly_its_due_time(db, orenburg) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    orenburg.at("2025-11-10T10:30")  # the routing deadline, to the microsecond
    assert orenburg.violations() == [("6", "routing", orenburg.local("2025-11-10T10:30"))]
