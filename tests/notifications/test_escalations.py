"""The escalations the acts order reach a person (issue 15), on the shipped diagrams and a virtual clock:

* Orenburg п. 19 — a violation goes to the head of the agency holding the case (after a reroute too);
* Smolensk п. 13 — to the deputy governor supervising that agency;
* Orenburg п. 17 — a threat goes to the competent state bodies, by e-mail at their contact address;
* Orenburg п. 21 — a socially significant message goes to the Governor and his office at once;
* a recipient nobody holds is kept as «no recipient» and shown to administrators.
Each e-mail is checked at a real SMTP server on loopback; each in-app one in the person's centre.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.models import Delivery, Notification, User, Violation
from engine.notifications import admin_view, delivery, inbox
from engine.runtime import timers
from tests.notifications.conftest import add_org, add_person, orenburg_recipients
from tests.scenario.test_orenburg import EXEC, begin


def _told(case, key: str) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Channel → who (login or e-mail address) the case's notifications for ``key`` reached."""
    found: dict[str, set[str]] = {}
    with case.db.session() as session:
        rows = session.execute(
            select(Delivery.channel, User.login, Delivery.address).join(Notification)
            .outerjoin(User, User.id == Delivery.user_id)
            .where(Notification.instance_id == case.instance_id, Notification.recipient == key))
        for channel, login, address in rows:
            found.setdefault(channel, set()).add(login if channel == "in_app" else address)
    return found


@pytest.fixture
def orenburg_told(orenburg):  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session:
        orenburg_recipients(session)
    return orenburg


def test_orenburg_violation_reaches_the_head_of_the_agency_holding_the_case(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_19(orenburg_told, smtp)


def scenario_clause_19(case, smtp) -> None:  # type: ignore[no-untyped-def]
    begin(case, agency="orb_health")
    case.at("2025-11-10T10:20")
    case.complete("accept_message", "exec_orb_health", {"competent": False, "return_reason": "Дорога, не медицина",
                                                         "suggested_agency": "orb_roads"})
    case.complete("reroute_message", "curator", {"agency": "orb_roads"} | _route_fields(case))
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-11T10:59")  # the earlier deadlines (п. 9 draft) pass first
    delivery.deliver_pending(case.db)
    earlier = len(smtp.handler.wait_for(1, seconds=2))
    case.clock.set(case.local("2025-11-11T11:00:30"))  # п. 8: 9 working hours from detection, due 11:00
    timers._pass(case.db, 5.0, timers.BATCH, {})  # the worker's pass: fires the deadline, then mails
    with case.db.session() as session:
        charged = {v.organisation_key for v in session.scalars(select(Violation).where(
            Violation.instance_id == case.instance_id))}
    assert charged == {"orb_roads"}
    told = _told(case, "agency_head")
    assert told.get("in_app") == {"head_roads"} and told.get("email") == {"head.roads@orb.example"}
    mails = smtp.handler.wait_for(earlier + 1)
    assert {address for m in mails for address in m.to} == {"head.roads@orb.example"}  # not the health head
    assert all("Нарушен срок п." in m.subject and "2025-11" not in m.subject for m in mails)  # local, not ISO
    assert len(mails) > earlier and "(срок 11.11.2025 11:00)" in mails[-1].subject
    # The body names the case as the registry numbers it and the organisation charged.
    assert f"Дело № {case.instance().message_id}:" in mails[-1].body and "orb_roads" in mails[-1].body
    with case.db.session() as session:
        due = max(session.scalars(select(Violation.due_at).where(Violation.instance_id == case.instance_id)))
        sent = session.scalars(select(Delivery.sent_at).where(Delivery.channel == "email",
                                                              Delivery.sent_at > due)).all()
    assert sent and all(at - due < timedelta(minutes=1) for at in sent)  # within a minute of the deadline


def _route_fields(case) -> dict:  # type: ignore[no-untyped-def]
    """The routing form's other fields as the Orenburg scenarios fill them (kept in one place there)."""
    from tests.scenario.test_orenburg import ROUTE

    return {k: v for k, v in ROUTE.items() if k != "agency"}


def test_a_threat_reaches_the_competent_state_bodies_by_e_mail(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_17(orenburg_told, smtp)


def scenario_clause_17(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg_told, category="threat")
    told = _told(orenburg_told, "authorities")
    assert told == {"email": {"umvd@orb.example", "prokuratura@orb.example"}}
    assert delivery.deliver_pending(orenburg_told.db) == 2
    mails = smtp.handler.wait_for(2, seconds=2)
    assert sorted(a for m in mails for a in m.to) == ["prokuratura@orb.example", "umvd@orb.example"]
    assert all("п. 17" in m.subject and "Яма на дороге" in m.body for m in mails)


def test_a_socially_significant_message_reaches_the_governor_and_his_office(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_21(orenburg_told, smtp)


def scenario_clause_21(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg_told, importance="socially_significant")
    told = _told(orenburg_told, "governor")
    assert told.get("in_app") == {"governor", "governor_office"}
    assert told.get("email") == {"governor@orb.example", "office@orb.example"}
    with orenburg_told.db.session() as session:
        assert inbox.unread_count(session, "governor") == 1 and inbox.unread_count(session, "curator") == 0
    delivery.deliver_pending(orenburg_told.db)
    assert {a for m in smtp.handler.wait_for(2, seconds=2) for a in m.to} == {"governor@orb.example", "office@orb.example"}


def test_a_recipient_nobody_holds_is_kept_and_shown_to_administrators(orenburg, mail_off) -> None:  # type: ignore[no-untyped-def]
    begin(orenburg, importance="socially_significant")  # no Governor in this directory
    with orenburg.db.session() as session:
        [note] = session.scalars(select(Notification).where(Notification.recipient == "governor"))
        assert note.status == "no_recipient"
        [shown] = [u for u in admin_view.undelivered(session) if u.recipient == "governor"]
    assert shown.problem == "no_recipient" and shown.message_id == orenburg.instance().message_id


@pytest.fixture
def smolensk(db, virtual_clock):  # type: ignore[no-untyped-def]
    """Smolensk as tests/scenario/test_smolensk.py has it, plus a deputy governor supervising each agency."""
    from tests.factories import deploy_files, smolensk_people
    from tests.scenario.driver import Case

    with db.session() as session:
        smolensk_people(session)
        add_person(session, "dg_transport", "smo_roads", "deputy_governor", "dg.transport@smo.example")
        add_person(session, "dg_social", "smo_health", "deputy_governor", "dg.social@smo.example")
        add_org(session, "smo_governor", "administration", "smolensk")
        add_person(session, "smo_governor", "smo_governor", "governor", "governor@smo.example")
        deploy_files(session, "bpmn/smolensk.bpmn")
    return Case(db, virtual_clock, "smolensk", "Europe/Moscow")


def test_smolensk_violation_reaches_the_deputy_governor_supervising_the_agency(smolensk, smtp) -> None:  # type: ignore[no-untyped-def]
    scenario_smolensk_clause_13(smolensk, smtp)


def scenario_smolensk_clause_13(smolensk, smtp) -> None:  # type: ignore[no-untyped-def]
    from tests.scenario.test_smolensk import accept
    from tests.scenario.test_smolensk import begin as smolensk_begin

    smolensk_begin(smolensk)  # routed to smo_roads on Monday
    accept(smolensk)
    smolensk.clock.set(smolensk.local("2025-11-19T10:00"))  # days later: the agency's draft deadline has passed
    timers._pass(smolensk.db, 5.0, timers.BATCH, {})
    assert smolensk.violations()
    told = _told(smolensk, "deputy_governor")
    assert told.get("in_app") == {"dg_transport"} and told.get("email") == {"dg.transport@smo.example"}
    assert {a for m in smtp.handler.wait_for(1, seconds=2) for a in m.to} == {"dg.transport@smo.example"}


def test_smolensk_acutely_significant_message_reaches_the_governor(smolensk, smtp) -> None:  # type: ignore[no-untyped-def]
    scenario_smolensk_clause_15(smolensk, smtp)


def scenario_smolensk_clause_15(smolensk, smtp) -> None:  # type: ignore[no-untyped-def]
    from tests.scenario.test_smolensk import begin as smolensk_begin

    smolensk_begin(smolensk, importance="significant")  # п. 15: «незамедлительно» — at the routing itself
    told = _told(smolensk, "governor")
    assert told.get("in_app") == {"smo_governor"} and told.get("email") == {"governor@smo.example"}
    with smolensk.db.session() as session:
        assert inbox.unread_count(session, "smo_governor") == 1
    delivery.deliver_pending(smolensk.db)
    assert {a for m in smtp.handler.wait_for(1, seconds=2) for a in m.to} == {"governor@smo.example"}


# ---- each clause test fails when the diagram stops naming the recipient (tests/scenario/mutants.py) ----

def _retold(path: str, key: str, instead: str = "supervisor") -> list:  # type: ignore[type-arg]
    """Edits telling ``instead`` wherever the shipped diagram tells ``key`` (found by the property, not by id)."""
    from engine.bpmn.namespaces import NS
    from engine.bpmn.xmlsafe import parse
    from tests.factories import ROOT
    from tests.scenario.mutants import prop

    edits = []
    for item in parse((ROOT / path).read_bytes()).getroot().iterfind(".//camunda:property", NS):
        if item.get("name") == "recipient" and key in (item.get("value") or "").split():
            element = next(a for a in item.iterancestors() if a.get("id"))
            kept = [k for k in (item.get("value") or "").split() if k != key] or [instead]
            edits.append(prop(element.get("id"), "recipient", " ".join(kept)))
    assert edits, f"{path} tells nobody {key!r}"
    return edits


@pytest.mark.parametrize("key, scenario", [("agency_head", scenario_clause_19), ("authorities", scenario_clause_17),
                                           ("governor", scenario_clause_21)])
def test_an_orenburg_mutant_that_no_longer_tells_them_is_caught(orenburg_told, smtp, key, scenario) -> None:  # type: ignore[no-untyped-def]
    from tests.scenario.mutants import deploy_mutant

    deploy_mutant(orenburg_told.db, "bpmn/orenburg.bpmn", *_retold("bpmn/orenburg.bpmn", key))
    with pytest.raises(AssertionError):
        scenario(orenburg_told, smtp)


def test_a_smolensk_mutant_that_tells_the_supervisor_instead_is_caught(smolensk, smtp) -> None:  # type: ignore[no-untyped-def]
    from tests.scenario.mutants import deploy_mutant

    deploy_mutant(smolensk.db, "bpmn/smolensk.bpmn", *_retold("bpmn/smolensk.bpmn", "deputy_governor"))
    with pytest.raises(AssertionError):
        scenario_smolensk_clause_13(smolensk, smtp)


def test_a_smolensk_mutant_that_no_longer_tells_the_governor_is_caught(smolensk, smtp) -> None:  # type: ignore[no-untyped-def]
    from tests.scenario.mutants import deploy_mutant

    deploy_mutant(smolensk.db, "bpmn/smolensk.bpmn", *_retold("bpmn/smolensk.bpmn", "governor"))
    with pytest.raises(AssertionError):
        scenario_smolensk_clause_15(smolensk, smtp)
