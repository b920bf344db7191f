"""The directory: roles with periods, substitutions listed and removed, clear errors."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine.directory import officials as directory
from engine.errors import Conflict, NotFound


def test_roles_substitutions_and_their_removal(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    now = virtual_clock()
    with db.session() as session:
        directory.create_organisation(session, "orb_health", "Минздрав", "agency", "orenburg", "admin")
        for login in ("ivanova", "petrov"):
            directory.create_user(session, login, login.title(), None, "admin")
        directory.grant_role(session, "ivanova", "orb_health", "executor", "admin")
        row = directory.add_substitution(session, "ivanova", "petrov", now, now + timedelta(days=7), "admin")
        assert [(m.login, m.role, m.organisation_key) for m in directory.memberships(session, "orenburg")] == [
            ("ivanova", "executor", "orb_health")]
        assert [(s.absent_login, s.substitute_login) for s in directory.substitutions(session)] == [("ivanova", "petrov")]
        # While standing in, the substitute holds the absent executor's role.
        assert [(r.role, r.organisation_key) for r in directory.roles_of(session, "petrov")] == [("executor", "orb_health")]
        directory.remove_substitution(session, row.id, "admin")
        assert directory.substitutions(session) == []
        assert directory.roles_of(session, "petrov") == []
        with pytest.raises(NotFound):
            directory.remove_substitution(session, row.id, "admin")
        with pytest.raises(Conflict):
            directory.create_user(session, "ivanova", "Again", None, "admin")
        with pytest.raises(ValueError, match="parent organisation 'orb_health' is in orenburg"):
            directory.create_organisation(session, "smol_dept", "Отдел", "department", "smolensk", "admin", "orb_health")
        with pytest.raises(ValueError, match="unknown role"):
            directory.grant_role(session, "petrov", "orb_health", "boss", "admin")
