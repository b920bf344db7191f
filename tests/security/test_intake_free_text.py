"""Free text an administrator types is bounded by the column it goes into, with a clear refusal.

An organisation's name (300 characters) and an official's full name (200) had no length check:
SQLite stored anything, PostgreSQL refused the insert (an error page for the admin form, a
traceback for ``otklik orgs add`` / ``users add``). Keys and logins were already bounded (2–64).
"""
from __future__ import annotations

import pytest

from engine.directory import officials as directory
from engine.models import Organisation, User


def test_an_organisation_name_longer_than_its_column_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        with pytest.raises(ValueError, match="300"):
            directory.create_organisation(session, "orb_long", "я" * 301, "agency", "orenburg", actor="admin")
        directory.create_organisation(session, "orb_edge", "я" * 300, "agency", "orenburg", actor="admin")
    with db.session() as session:
        assert [o.key for o in session.query(Organisation)] == ["orb_edge"]


def test_a_full_name_longer_than_its_column_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        with pytest.raises(ValueError, match="200"):
            directory.create_user(session, "ivanova", "я" * 201, None, actor="admin")
        directory.create_user(session, "petrova", "я" * 200, None, actor="admin")
    with db.session() as session:
        assert [u.login for u in session.query(User)] == ["petrova"]
