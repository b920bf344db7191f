"""Finding 8 (engine side): what ends an official's sessions, on SQLite and PostgreSQL."""
from __future__ import annotations

from engine.directory import officials as directory


def _epoch(db, login: str) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return directory.user(session, login).session_epoch


def test_sign_out_a_new_password_and_activation_each_move_the_epoch(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        directory.create_user(session, "ivanova", "Иванова", None, "test")
    assert _epoch(db, "ivanova") == 0
    steps = [lambda s: directory.end_sessions(s, "ivanova"),
             lambda s: directory.set_password_hash(s, "ivanova", "hash", "admin"),
             lambda s: directory.set_active(s, "ivanova", False, "admin"),
             lambda s: directory.set_active(s, "ivanova", True, "admin")]
    for expected, step in enumerate(steps, start=1):
        with db.session() as session:
            step(session)
        assert _epoch(db, "ivanova") == expected

