"""Who a recipient key means (engine.notifications.resolution): roles held in the organisation
responsible for the case (then its parents) or in the territory (then its region); valid memberships
of people who may sign in only; nobody is a result the caller keeps as «no recipient»."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import Membership, Notification, User
from engine.notifications import routing
from engine.notifications.resolution import resolve
from tests.notifications.conftest import add_org, add_person


@pytest.fixture
def directory(db):  # type: ignore[no-untyped-def]
    with db.session() as session:
        add_org(session, "alt_governor", "administration", "altai")
        add_person(session, "alt_gov", "alt_governor", "governor")
        add_org(session, "alt_umvd", "state_body", "altai", email="umvd@alt.example")
        kal = add_org(session, "kal_admin", "municipality", "kalmanka")
        housing = add_org(session, "kal_housing", "department", "kalmanka")
        housing.parent_id = kal.id
        add_person(session, "kal_head", "kal_admin", "agency_head")
        add_person(session, "kal_super", "kal_admin", "supervisor")
    return db


def _logins(db, key: str, region: str, organisation: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        found = resolve(session, key, region, organisation, clock.now())
        return [p.login for p in found.people] + [b.key for b in found.bodies]


def test_a_municipality_without_its_own_governor_is_answered_by_its_region(directory) -> None:  # type: ignore[no-untyped-def]
    assert _logins(directory, "governor", "kalmanka") == ["alt_gov"]
    assert _logins(directory, "authorities", "kalmanka") == ["alt_umvd"]
    assert _logins(directory, "supervisor", "kalmanka") == ["kal_super"]  # held locally: the region is not asked


def test_a_departments_head_is_its_administrations_when_it_has_none(directory) -> None:  # type: ignore[no-untyped-def]
    assert _logins(directory, "agency_head", "kalmanka", "kal_housing") == ["kal_head"]
    assert _logins(directory, "agency_head", "kalmanka", None) == []  # no organisation: nobody, never a guess


def test_ended_roles_and_switched_off_accounts_are_not_told(directory) -> None:  # type: ignore[no-untyped-def]
    with directory.session() as session:
        gov = session.scalar(select(User).where(User.login == "alt_gov"))
        session.scalars(select(Membership).where(Membership.user_id == gov.id)).one().valid_to = \
            clock.now() - timedelta(days=1)
        add_person(session, "kal_super2", "kal_admin", "supervisor").is_active = False
    assert _logins(directory, "governor", "kalmanka") == []
    assert _logins(directory, "supervisor", "kalmanka") == ["kal_super"]


def test_nobody_found_is_kept_as_no_recipient_with_no_delivery(directory) -> None:  # type: ignore[no-untyped-def]
    with directory.session() as session:
        [note] = routing.notify(session, region="kalmanka", recipients="deputy_minister", subject="Сводка",
                                at=clock.now())
        assert note.status == "no_recipient" and note.delivered_at is None
    with directory.session() as session:
        assert session.scalar(select(Notification.status)) == "no_recipient"


def test_each_key_is_one_notification_and_repeated_keys_count_once(directory) -> None:  # type: ignore[no-untyped-def]
    with directory.session() as session:
        made = routing.notify(session, region="kalmanka", recipients="supervisor governor supervisor",
                              subject="x", at=clock.now())
    assert [n.recipient for n in made] == ["supervisor", "governor"]


def test_the_console_sets_and_removes_addresses(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from engine.cli.main import main

    monkeypatch.setenv("OTKLIK_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite")
    runner = CliRunner()
    assert runner.invoke(main, ["orgs", "add", "orb_umvd", "--name", "УМВД", "--kind", "state_body",
                                "--region", "orenburg"]).exit_code == 0
    assert runner.invoke(main, ["users", "add", "ivanova", "--name", "Иванова О. В."]).exit_code == 0
    done = runner.invoke(main, ["orgs", "email", "orb_umvd", "umvd@orb.example"])
    assert done.exit_code == 0 and "umvd@orb.example" in done.output
    assert runner.invoke(main, ["users", "email", "ivanova", "ivanova@orb.example"]).exit_code == 0
    wrong = runner.invoke(main, ["users", "email", "ivanova", "not an address"])
    assert wrong.exit_code == 2 and "not an e-mail address" in wrong.output
    assert "in-app notifications only" in runner.invoke(main, ["users", "email", "ivanova", ""]).output


def test_whoever_stands_in_for_a_holder_is_told_too(directory) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Substitution

    with directory.session() as session:
        gov = session.scalar(select(User).where(User.login == "alt_gov"))
        deputy = add_person(session, "alt_first_deputy", "alt_governor", "deputy_governor")
        session.add(Substitution(absent_id=gov.id, substitute_id=deputy.id, valid_from=clock.now() - timedelta(days=1),
                                 valid_to=clock.now() + timedelta(days=1)))
    assert _logins(directory, "governor", "kalmanka") == ["alt_gov", "alt_first_deputy"]
    clock_later = clock.now() + timedelta(days=2)
    with directory.session() as session:
        assert [p.login for p in resolve(session, "governor", "kalmanka", None, clock_later).people] == ["alt_gov"]
