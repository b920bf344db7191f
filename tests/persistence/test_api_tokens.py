"""Personal API tokens in the engine (issue 17): the secret's form, what is stored, the limits,
expiry, revocation and who a token authenticates."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from engine import clock
from engine.directory import api_tokens, officials
from engine.errors import Conflict, NotFound
from engine.models import ApiToken
from engine.texts import render
from tests.factories import orenburg_people


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    with db.session() as session:
        orenburg_people(session)
    return db


def test_the_secret_is_recognisable_random_and_stored_only_as_its_sha256(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        info, secret = api_tokens.create_token(session, "curator", " Modeler ", 30, actor="curator")
        _other, second = api_tokens.create_token(session, "curator", "worker", None, actor="curator")
    assert secret.startswith("otk_") and len(secret) == 47 and secret != second
    assert info.name == "Modeler" and info.prefix == secret[:10] and info.state == "active"
    with people.session() as session:
        stored = session.scalars(select(ApiToken).order_by(ApiToken.id)).first()
        assert stored is not None and stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (stored.prefix, stored.secret_hash, stored.name)


def test_a_token_authenticates_its_owner_and_records_the_use_at_most_once_a_minute(people, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        info, secret = api_tokens.create_token(session, "curator", "bot", None, actor="curator")
    first_use = clock.now()
    with people.session() as session:
        caller = api_tokens.authenticate(session, secret)
    assert caller == api_tokens.Caller("curator", info.id)
    virtual_clock.advance(seconds=30)
    with people.session() as session:
        api_tokens.authenticate(session, secret)
        assert api_tokens.tokens_of(session, "curator")[0].last_used_at == first_use
    virtual_clock.advance(seconds=31)
    with people.session() as session:
        api_tokens.authenticate(session, secret)
        assert api_tokens.tokens_of(session, "curator")[0].last_used_at == clock.now()


@pytest.mark.parametrize("secret", ["", "otk_", "otk_" + "x" * 43, "ghp_" + "x" * 43, "otk_" + "x" * 300])
def test_anything_else_authenticates_nobody(people, secret: str) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        api_tokens.create_token(session, "curator", "bot", None, actor="curator")
        assert api_tokens.authenticate(session, secret) is None


def test_expired_revoked_and_deactivated_tokens_authenticate_nobody(people, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        expiring, expiring_secret = api_tokens.create_token(session, "curator", "a", 30, actor="curator")
        revoked, revoked_secret = api_tokens.create_token(session, "curator", "b", None, actor="curator")
        _kept, kept_secret = api_tokens.create_token(session, "supervisor", "c", None, actor="supervisor")
        api_tokens.revoke_token(session, "curator", revoked.id, actor="admin")
        assert api_tokens.authenticate(session, revoked_secret) is None
        assert api_tokens.authenticate(session, expiring_secret) is not None
    virtual_clock.advance(days=30)
    with people.session() as session:
        assert api_tokens.authenticate(session, expiring_secret) is None
        assert [t.state for t in api_tokens.tokens_of(session, "curator")] == ["revoked", "expired"]
        officials.set_active(session, "supervisor", False, actor="admin")
        assert api_tokens.authenticate(session, kept_secret) is None
        officials.set_active(session, "supervisor", True, actor="admin")
        assert api_tokens.authenticate(session, kept_secret) is not None


def test_names_lifetimes_and_the_limit_are_checked(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        for name, days, text in (("", 30, "укажите название токена"),
                                 ("x" * 101, 30, "название токена длиннее 100 символов"),
                                 ("bot", 0, "срок действия токена должен закончиться в будущем"),
                                 ("bot", 367, "срок действия токена — не больше 366 дней")):
            with pytest.raises(ValueError) as refused:
                api_tokens.create_token(session, "curator", name, days, actor="curator")
            assert render(refused.value.args[0], "ru") == text
        for number in range(api_tokens.MAX_ACTIVE_PER_USER):
            api_tokens.create_token(session, "curator", f"bot {number}", None, actor="curator")
        with pytest.raises(Conflict) as too_many:
            api_tokens.create_token(session, "curator", "one more", None, actor="curator")
        assert render(too_many.value.args[0], "en") == (
            "the official already has 10 active tokens; revoke one they no longer need")
        first = api_tokens.tokens_of(session, "curator")[-1]
        api_tokens.revoke_token(session, "curator", first.id, actor="curator")
        api_tokens.create_token(session, "curator", "one more", None, actor="curator")  # room again


def test_a_deactivated_official_gets_no_token(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        officials.set_active(session, "curator", False, actor="admin")
        with pytest.raises(Conflict):
            api_tokens.create_token(session, "curator", "bot", None, actor="admin")


def test_a_token_is_revoked_only_through_its_owner(people) -> None:  # type: ignore[no-untyped-def]
    with people.session() as session:
        info, secret = api_tokens.create_token(session, "curator", "bot", None, actor="curator")
        with pytest.raises(NotFound):
            api_tokens.revoke_token(session, "supervisor", info.id, actor="supervisor")
        assert api_tokens.authenticate(session, secret) is not None
        again = api_tokens.revoke_token(session, "curator", info.id, actor="curator")
        assert api_tokens.revoke_token(session, "curator", info.id, actor="admin").revoked_by == "curator"
        assert again.state == "revoked"
