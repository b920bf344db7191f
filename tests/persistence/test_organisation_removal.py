"""Renaming and removing organisations (issue 13 item 6): rename keeps the key; removal is refused
while anything still works with the organisation (saying what), deactivates it when only history
refers to it (gone from routing and dropdowns, kept in history), deletes it when nothing does."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import texts
from engine.directory import officials as directory
from engine.directory import organisations as managing
from engine.models import AuditEvent, Membership
from engine.runtime import cases as runtime
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, begin


def _audit(session) -> list[dict]:  # type: ignore[no-untyped-def]
    return [e.details for e in session.scalars(select(AuditEvent).where(AuditEvent.kind == "directory")
                                                .order_by(AuditEvent.id))]


def test_rename_keeps_the_key_and_is_audited(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        directory.create_organisation(session, "orb_helth", "Минздрав Оренбургской облсти", "agency", "orenburg", "admin")
        managing.rename_organisation(session, "orb_helth", "  Министерство здравоохранения  ", "boss")
        assert directory.organisation(session, "orb_helth").name == "Министерство здравоохранения"
        assert _audit(session)[-1] == {"renamed_organisation": "orb_helth", "from": "Минздрав Оренбургской облсти",
                                       "to": "Министерство здравоохранения"}
        with pytest.raises(ValueError, match="needs a name"):
            managing.rename_organisation(session, "orb_helth", "   ", "boss")
        with pytest.raises(ValueError, match="longer than 300"):
            managing.rename_organisation(session, "orb_helth", "я" * 301, "boss")
        events = len(_audit(session))
        managing.rename_organisation(session, "orb_helth", "Министерство здравоохранения", "boss")
        assert len(_audit(session)) == events  # the same name again changes nothing


def test_a_mistyped_organisation_nothing_refers_to_is_deleted(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        directory.create_organisation(session, "orb_raods", "Минтранс (опечатка)", "agency", "orenburg", "admin")
        assert managing.remove_organisation(session, "orb_raods", "boss") is managing.Removal.DELETED
        assert directory.find_organisation(session, "orb_raods") is None
        assert _audit(session)[-1] == {"removed_organisation": "orb_raods", "name": "Минтранс (опечатка)",
                                       "outcome": "deleted"}


def test_removal_is_refused_while_roles_children_tasks_or_cases_refer_to_it(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)  # routed to orb_roads: its executor has an open task
    with orenburg.db.session() as session:
        directory.create_organisation(session, "orb_roads_dept", "Отдел", "department", "orenburg", "admin", "orb_roads")
        with pytest.raises(managing.OrganisationInUse) as refusal:
            managing.remove_organisation(session, "orb_roads", "boss")
    assert str(refusal.value) == ("organisation 'orb_roads' cannot be removed while it is in use: current or future "
                                  "roles of exec_orb_roads; organisations under it: orb_roads_dept; open tasks: 1; "
                                  "messages in progress: 1")
    with texts.language("ru"):
        assert str(refusal.value) == ("организацию 'orb_roads' нельзя удалить, пока с ней работают: действующие или "
                                      "будущие роли у exec_orb_roads; подчинённые организации orb_roads_dept; "
                                      "открытые задачи: 1; сообщения в работе: 1")
    with orenburg.db.session() as session:
        assert directory.organisation(session, "orb_roads").active  # nothing changed
        assert "removed_organisation" not in _audit(session)[-1]


def test_only_history_left_deactivates_it_hidden_from_routing_kept_in_history(orenburg) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg)
    orenburg.complete("accept_message", EXEC, {"competent": True})
    orenburg.complete("draft_answer", EXEC, DRAFT)
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    with orenburg.db.session() as session:
        with pytest.raises(managing.OrganisationInUse, match="messages in progress: 1"):
            managing.remove_organisation(session, "orb_roads", "boss")  # its case is not finished yet
    orenburg.complete("publish_answer", EXEC, PUBLISH)
    with orenburg.db.session() as session:
        usage = managing.usage(session, "orb_roads")
        assert usage.role_holders == ("exec_orb_roads",) and not usage.open_tasks and not usage.cases_in_progress
        for row in directory.memberships(session, login=EXEC):
            directory.revoke_role(session, row.id, "boss")
        assert managing.remove_organisation(session, "orb_roads", "boss") is managing.Removal.DEACTIVATED
        assert _audit(session)[-1]["outcome"] == "deactivated"
    with orenburg.db.session() as session:
        org = directory.organisation(session, "orb_roads")
        assert not org.active and org.name == "orb_roads"  # still there, for the closed case's history
        assert "orb_roads" not in runtime.form_options(session, "orenburg")["agency_options"]
        with pytest.raises(ValueError, match="deactivated"):
            directory.grant_role(session, EXEC, "orb_roads", "executor", "boss")
        managing.restore_organisation(session, "orb_roads", "boss")
        assert _audit(session)[-1] == {"restored_organisation": "orb_roads"}
    with orenburg.db.session() as session:
        assert directory.organisation(session, "orb_roads").active
        assert "orb_roads" in runtime.form_options(session, "orenburg")["agency_options"]


def test_a_past_role_is_history_a_future_one_is_not(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    now = virtual_clock()
    with db.session() as session:
        directory.create_organisation(session, "orb_old", "Упразднённое ведомство", "agency", "orenburg", "admin")
        directory.create_user(session, "ivanova", "Иванова", None, "admin")
        directory.grant_role(session, "ivanova", "orb_old", "executor", "admin",
                             valid_from=now + timedelta(days=3))
        with pytest.raises(managing.OrganisationInUse, match="roles of ivanova"):
            managing.remove_organisation(session, "orb_old", "boss")
        session.scalars(select(Membership)).one().valid_to = now - timedelta(days=1)
        session.scalars(select(Membership)).one().valid_from = now - timedelta(days=30)
        assert managing.remove_organisation(session, "orb_old", "boss") is managing.Removal.DEACTIVATED


def test_a_refusal_names_five_logins_then_counts_the_rest(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        directory.create_organisation(session, "orb_big", "Большое ведомство", "agency", "orenburg", "admin")
        for n in range(7):
            directory.create_user(session, f"user{n}", f"User {n}", None, "admin")
            directory.grant_role(session, f"user{n}", "orb_big", "executor", "admin")
        with pytest.raises(managing.OrganisationInUse) as refusal:
            managing.remove_organisation(session, "orb_big", "boss")
    assert "roles of user0, user1, user2, user3, user4 and 2 more" in str(refusal.value)
