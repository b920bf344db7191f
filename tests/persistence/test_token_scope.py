"""A personal API token limited to one territory (issue 17 §2): chosen among its owner's, stored,
and narrowing every right at the one place a login becomes rights (engine.directory.access)."""
from __future__ import annotations

import pytest

from engine.directory import access, api_tokens, policy
from engine.directory.access import current_grants, scoped_to
from engine.models import Membership, User
from engine.texts import render
from tests.factories import orenburg_people, organisation


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    """Orenburg's people; the curator also curates Smolensk."""
    with db.session() as session:
        orenburg_people(session)
        smolensk = organisation(session, "smo_dip", "curator", "smolensk")
        curator = session.query(User).filter_by(login="curator").one()
        session.add(Membership(user_id=curator.id, organisation_id=smolensk.id, role="curator"))
    return db


def test_the_choices_are_the_owners_territories_and_another_is_refused(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        keys = [choice.key for choice in api_tokens.territory_choices(session, "curator")]
        assert sorted(keys) == ["orenburg", "smolensk"]
        assert [c.key for c in api_tokens.territory_choices(session, "supervisor")] == ["orenburg"]
        with pytest.raises(ValueError) as refused:
            api_tokens.create_token(session, "supervisor", "bot", None, "admin", territory="smolensk")
        assert "smolensk" in render(refused.value.args[0])


def test_the_scope_is_stored_shown_and_returned_by_authentication(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        info, secret = api_tokens.create_token(session, "curator", "smolensk bot", 30, "curator", territory="smolensk")
        _all, wide = api_tokens.create_token(session, "curator", "everything", 30, "curator")
    assert info.territory == "smolensk"
    with people.session() as session:
        assert api_tokens.authenticate(session, secret) == api_tokens.Caller("curator", info.id, "smolensk")
        assert api_tokens.authenticate(session, wide).territory is None  # type: ignore[union-attr]
        assert {t.name: t.territory for t in api_tokens.tokens_of(session, "curator")} == {
            "smolensk bot": "smolensk", "everything": None}


def test_a_scope_narrows_the_grants_and_so_every_rule(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        assert policy.registration_regions(current_grants(session, "curator")) == ["orenburg", "smolensk"]
        with scoped_to("smolensk"):
            assert policy.registration_regions(current_grants(session, "curator")) == ["smolensk"]
            assert access.in_scope("smolensk") and not access.in_scope("orenburg")
            assert access.current_scope() == "smolensk"
        with scoped_to("orenburg"):
            assert {g.region for g in current_grants(session, "curator")} == {"orenburg"}
        assert access.current_scope() is None and access.in_scope("orenburg")
        # Outside the scope again: the whole of the owner's rights (the memo is per scope).
        assert policy.registration_regions(current_grants(session, "curator")) == ["orenburg", "smolensk"]
