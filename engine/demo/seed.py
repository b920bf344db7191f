"""Demo data for trying Otklik locally: the five regions, one official per role (engine.demo.people),
and a village council that adopted the municipal template (engine.demo.municipality).

Idempotent: a second run finds what the first created and adds nothing (a new month adds
that month's substitution). Passwords are generated on the first run, stored hashed, and
written to a 0600 file (``instance/demo-logins.txt``) so that later runs can print them
again. Hashing is the caller's (Werkzeug, in the CLI): the engine stores hashes only.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.calendar.regions import get_region
from engine.demo.municipality import ensure_council, seed_adoption
from engine.demo.people import (
    EXTRA_MEMBERSHIPS,
    OFFICIALS,
    ORGANISATIONS,
    STATE_BODY_EMAILS,
    SUBSTITUTION_REGION,
    SUBSTITUTIONS,
    email_of,
)
from engine.directory import contacts
from engine.directory import officials as directory
from engine.errors import NotFound
from engine.models import Membership, Substitution
from engine.settings import settings

ACTOR = "demo"

@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str | None  # None: set before this file existed, or changed since
    description: str


def logins_path() -> Path:
    """``instance/demo-logins.txt`` (``OTKLIK_INSTANCE_DIR`` moves it, as it moves the database)."""
    return settings().instance_dir / "demo-logins.txt"


def generate_password() -> str:
    """Three groups of four unambiguous characters, e.g. ``k7pw-m3xa-9tqe`` (~62 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def read_logins(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            found[parts[0]] = parts[1]
    return found


def write_logins(path: Path, logins: list[DemoLogin]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Otklik DEMO logins — generated on the first `otklik demo`; for trying Otklik locally only.",
             "# Passwords are stored hashed in the database; this file only lets `otklik demo` print them again."]
    lines += [f"{item.login:<15} {item.password or '-':<16} {item.description}" for item in logins]
    # Create with 0600 from the start: the passwords are never readable by others, not even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    path.chmod(0o600)


def month_bounds(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The current calendar month in the region's local time, as aware instants."""
    local = now.astimezone(ZoneInfo(timezone))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _organisation(session: Session, key: str, name: str, kind: str, region: str, parent: str | None) -> None:
    try:
        directory.organisation(session, key)
    except NotFound:
        directory.create_organisation(session, key, name, kind, region, ACTOR, parent_key=parent)


def _membership(session: Session, login: str, org_key: str, role: str) -> None:
    user_id = directory.user(session, login).id
    org_id = directory.organisation(session, org_key).id
    exists = session.scalar(select(Membership.id).where(
        Membership.user_id == user_id, Membership.organisation_id == org_id, Membership.role == role))
    if exists is None:
        directory.grant_role(session, login, org_key, role, ACTOR)


def _substitution(session: Session, absent: str, substitute: str, start: datetime, end: datetime) -> None:
    absent_id, substitute_id = directory.user(session, absent).id, directory.user(session, substitute).id
    exists = session.scalar(select(Substitution.id).where(
        Substitution.absent_id == absent_id, Substitution.substitute_id == substitute_id,
        Substitution.valid_from == start, Substitution.valid_to == end))
    if exists is None:
        directory.add_substitution(session, absent, substitute, start, end, ACTOR)


def user_email_missing(session: Session, login: str) -> bool:
    """Only an official with no address gets the demo's: one the admin changed is kept."""
    return directory.user(session, login).email is None


def seed(session: Session, hash_password: Callable[[str], str],
         check_password: Callable[[str, str], bool], logins_file: Path) -> list[DemoLogin]:
    """Create what is missing; return every demo login with its password where known.

    The logins file is written before the caller commits: if the commit fails, the next run
    finds no users and generates (and writes) new passwords, so the file never lags the data.
    """
    known = read_logins(logins_file)
    ensure_council(session, ACTOR)  # territory data first: the council's organisations name it
    for key, name, kind, region, parent in ORGANISATIONS:
        _organisation(session, key, name, kind, region, parent)
    result = []
    for login, full_name, org_key, role, description in OFFICIALS:
        try:
            user = directory.user(session, login)
            password = known.get(login)
            if password and not (user.password_hash and check_password(user.password_hash, password)):
                password = None  # changed since the demo was seeded: do not print a stale one
        except NotFound:
            password = generate_password()
            directory.create_user(session, login, full_name, hash_password(password), ACTOR)
        if role:
            _membership(session, login, org_key, role)
        if user_email_missing(session, login):
            contacts.set_user_email(session, login, email_of(login), ACTOR)
        result.append(DemoLogin(login, password, description))
    for key, address in STATE_BODY_EMAILS.items():
        if directory.organisation(session, key).email is None:
            contacts.set_organisation_email(session, key, address, ACTOR)
    for login, org_key, role in EXTRA_MEMBERSHIPS:
        _membership(session, login, org_key, role)
    start, end = month_bounds(clock.now(), get_region(SUBSTITUTION_REGION).timezone)
    for absent, substitute in SUBSTITUTIONS:
        _substitution(session, absent, substitute, start, end)
    seed_adoption(session)  # once a template is deployed (make run deploys before the demo)
    write_logins(logins_file, result)
    return result
