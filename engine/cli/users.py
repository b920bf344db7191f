"""``otklik users …``, ``otklik orgs …`` and ``otklik demo``: the directory from the console.

Passwords are hashed here with Werkzeug's ``generate_password_hash`` (the same function the
web app checks against); the engine stores only the hash. Every mistake in the input — an
unknown login, organisation or role, a taken key, a short password, dates the wrong way
round — prints one plain line to stderr and exits with status 2.
"""
from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.calendar.regions import REGIONS, UnknownRegion, get_region
from engine.cli.common import actor, database, fail, unit_of_work
from engine.demo import cases as demo_cases
from engine.demo import municipality as demo_municipality
from engine.demo import seed as demo_data
from engine.demo.people import ORGANISATIONS as DEMO_ORGANISATIONS
from engine.directory import officials as directory
from engine.directory.roles import MEMBERSHIP_ROLES
from engine.errors import Conflict, NotFound
from engine.models import Membership

# The directory's refusals (an unknown login, a taken key, dates the wrong way round): one line, exit 2.
REFUSALS = (ValueError, Conflict, NotFound, UnknownRegion)


def _session() -> AbstractContextManager[Session]:
    """A migrated database and one unit of work; engine input errors become exit status 2."""
    return unit_of_work(refusals=REFUSALS)


def _password(from_stdin: bool, prompt: bool) -> str | None:
    if from_stdin and prompt:
        fail("give either --password-stdin or --password-prompt, not both")
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif prompt:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        return None
    try:
        directory.check_password(password)  # the admin page's rule too
    except ValueError as error:
        fail(str(error))
    return password


def _instant(value: str | None, option: str, timezone: str, end: bool) -> datetime | None:
    """A date is a whole day in the region's local time (``--to`` includes that day);
    a date-time without an offset is local time too."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day + timedelta(days=1) if end else day, time(), ZoneInfo(timezone))
        instant = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option} '{value}' is not a date (2025-11-01) or date-time (2025-11-01T09:00)")
    return instant.replace(tzinfo=ZoneInfo(timezone)) if instant.tzinfo is None else instant


def _user_timezone(session: Session, login: str) -> str:
    """The zone of the official's region (first current role); Moscow if they hold none."""
    roles = directory.roles_of(session, login)
    return get_region(roles[0].region).timezone if roles else "Europe/Moscow"


# --------------------------------------------------------------------------- users

@click.group(name="users")
def users() -> None:
    """Officials: accounts, passwords, roles, substitutes."""


@users.command(name="add")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Full name as people read it.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--password-prompt", is_flag=True, help="Ask for the password (twice).")
def add_user(login: str, full_name: str, password_stdin: bool, password_prompt: bool) -> None:
    """Create an official's account (without a password they cannot sign in yet)."""
    password = _password(password_stdin, password_prompt)
    with _session() as session:
        directory.create_user(session, login, full_name, generate_password_hash(password) if password else None,
                              actor())
    click.echo(f"created {login}" + ("" if password else "; no password yet: otklik users passwd " + login))


@users.command(name="passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def passwd(login: str, password_stdin: bool) -> None:
    """Set an official's password (asked twice unless --password-stdin)."""
    with _session() as session:
        directory.user(session, login)  # an unknown login fails before the prompt
    password = _password(password_stdin, not password_stdin)
    assert password is not None
    with _session() as session:
        directory.set_password_hash(session, login, generate_password_hash(password), actor())
    click.echo(f"password of {login} changed")


@users.command(name="activate")
@click.argument("login")
def activate(login: str) -> None:
    """Let the official sign in again."""
    with _session() as session:
        directory.set_active(session, login, True, actor())
    click.echo(f"{login} is active")


@users.command(name="deactivate")
@click.argument("login")
def deactivate(login: str) -> None:
    """Stop the official from signing in (their history stays)."""
    with _session() as session:
        directory.set_active(session, login, False, actor())
    click.echo(f"{login} is deactivated")


@users.command(name="grant")
@click.argument("login")
@click.argument("org")
@click.argument("role")
@click.option("--from", "valid_from", help="First day (YYYY-MM-DD) or date-time; default: now.")
@click.option("--to", "valid_to", help="Last day, inclusive (YYYY-MM-DD), or end date-time; default: open-ended.")
def grant(login: str, org: str, role: str, valid_from: str | None, valid_to: str | None) -> None:
    """Give LOGIN the ROLE in organisation ORG (roles: curator, executor, supervisor, regulator, analyst, admin)."""
    if role not in MEMBERSHIP_ROLES:
        fail(f"unknown role '{role}'; use one of: {', '.join(MEMBERSHIP_ROLES)}")
    with _session() as session:
        timezone = get_region(directory.organisation(session, org).region).timezone
        start = _instant(valid_from, "--from", timezone, end=False)
        end = _instant(valid_to, "--to", timezone, end=True)
        directory.grant_role(session, login, org, role, actor(), valid_from=start, valid_to=end)
    click.echo(f"{login} is {role} in {org}")


@users.command(name="revoke")
@click.argument("login")
@click.argument("org")
@click.argument("role")
def revoke(login: str, org: str, role: str) -> None:
    """Take ROLE in ORG away from LOGIN (every period of it)."""
    with _session() as session:
        user_id = directory.user(session, login).id
        org_id = directory.organisation(session, org).id
        ids = list(session.scalars(select(Membership.id).where(
            Membership.user_id == user_id, Membership.organisation_id == org_id, Membership.role == role)))
        if not ids:
            fail(f"{login} holds no role '{role}' in {org}")
        for membership_id in ids:
            directory.revoke_role(session, membership_id, actor())
    click.echo(f"{login} is no longer {role} in {org}")


@users.command(name="list")
def list_users() -> None:
    """Every official with their current roles (role@organisation)."""
    with _session() as session:
        for user in directory.users(session):
            roles = ", ".join(f"{r.role}@{r.organisation_key}" for r in directory.roles_of(session, user.login))
            state = "" if user.is_active else " [deactivated]"
            click.echo(f"{user.login:<20} {user.full_name}{state}\t{roles or '-'}")


@users.command(name="substitute")
@click.argument("absent")
@click.argument("substitute")
@click.option("--from", "valid_from", required=True, help="First day (YYYY-MM-DD) or date-time.")
@click.option("--to", "valid_to", required=True, help="Last day, inclusive (YYYY-MM-DD), or end date-time.")
def substitute(absent: str, substitute: str, valid_from: str, valid_to: str) -> None:
    """SUBSTITUTE acts for ABSENT between the dates (Orenburg п. 5), in the absent official's region time."""
    with _session() as session:
        timezone = _user_timezone(session, absent)
        start = _instant(valid_from, "--from", timezone, end=False)
        end = _instant(valid_to, "--to", timezone, end=True)
        assert start is not None and end is not None
        directory.add_substitution(session, absent, substitute, start, end, actor())
    click.echo(f"{substitute} stands in for {absent} from {start.isoformat(timespec='minutes')} "
               f"to {end.isoformat(timespec='minutes')}")


@users.command(name="substitutions")
@click.option("--login", help="Only those where LOGIN is absent or stands in.")
def list_substitutions(login: str | None) -> None:
    """Current and future substitutions, soonest first, with the ID ``unsubstitute`` takes."""
    with _session() as session:
        for row in directory.substitutions(session, login):
            zone = ZoneInfo(_user_timezone(session, row.absent_login))  # as `substitute` read the dates
            start, end = (moment.astimezone(zone).isoformat(timespec="minutes") for moment in (row.valid_from, row.valid_to))
            click.echo(f"{row.id:<6} {row.substitute_login} stands in for {row.absent_login} from {start} to {end}")


@users.command(name="unsubstitute")
@click.argument("substitution_id", type=int)
def unsubstitute(substitution_id: int) -> None:
    """End substitution SUBSTITUTION_ID now (an absence cut short, or a mistake); it is audited."""
    with _session() as session:
        directory.remove_substitution(session, substitution_id, actor())
    click.echo(f"substitution {substitution_id} removed")


# --------------------------------------------------------------------------- orgs

@click.group(name="orgs")
def orgs() -> None:
    """Organisations: curator ministries, agencies, municipalities, departments."""


@orgs.command(name="add")
@click.argument("key")
@click.option("--name", required=True, help="Full name as people read it.")
@click.option("--kind", required=True, help="One of: " + ", ".join(directory.ORGANISATION_KINDS))
@click.option("--region", required=True, help="Territory key (otklik regions list).")
@click.option("--parent", help="Key of the parent organisation.")
def add_org(key: str, name: str, kind: str, region: str, parent: str | None) -> None:
    """Create organisation KEY (latin lower-case letters, digits and _)."""
    with _session() as session:
        directory.create_organisation(session, key, name, kind, region, actor(), parent_key=parent)
    click.echo(f"created {key}")


@orgs.command(name="list")
@click.option("--region", help="Only this region.")
def list_orgs(region: str | None) -> None:
    """Organisations by region."""
    with _session() as session:
        parents = {o.id: o.key for o in directory.organisations(session)}
        if region and region not in REGIONS:  # the database's territories: known once its unit of work began
            fail(f"unknown region '{region}'; use one of: {', '.join(REGIONS)}")
        for org in directory.organisations(session, region):
            parent = f" (in {parents[org.parent_id]})" if org.parent_id else ""
            state = "" if org.active else " [deactivated]"
            click.echo(f"{org.region:<10} {org.key:<20} {org.kind:<13} {org.name}{parent}{state}")


# --------------------------------------------------------------------------- demo

@click.command(name="demo")
@click.option("--logins-file", type=click.Path(path_type=Path), default=None,
              help="Where the generated passwords are kept (default: instance/demo-logins.txt).")
@click.option("--cases/--no-cases", default=True, show_default=True,
              help="Also seed demo messages in every state, in each territory with a procedure deployed.")
def demo(logins_file: Path | None, cases: bool) -> None:
    """Seed the demo for the five regions (idempotent) and print its logins and DEMO passwords."""
    path = logins_file or demo_data.logins_path()
    with _session() as session:
        logins = demo_data.seed(session, generate_password_hash, check_password_hash, path)
        adoption = demo_municipality.current(session)
    click.echo(f"Demo data: five regions, {len(DEMO_ORGANISATIONS)} organisations "
               f"(passwords kept in {path}, mode 0600).")
    click.echo("DEMO ONLY — generated passwords for trying Otklik locally:")
    for item in logins:
        shown = item.password or "(changed or unknown: otklik users passwd " + item.login + ")"
        click.echo(f"  {item.login:<15} {shown:<16}  {item.description}")
    click.echo("Substitute (Orenburg п. 5): deputy_health stands in for exec_health until the end of this month.")
    if adoption is not None:  # issue 14's flow: log in as ber_analyst and open the procedure's page
        click.echo(f"Template: {demo_municipality.COUNCIL.key} adopted {adoption.template} v{adoption.adopted_version} as "
                   f"{adoption.process_id}; newest template version: {adoption.newest_version}.")
    if cases:  # after the officials are committed: the cases are registered and worked by them
        seeded = demo_cases.seed_cases(database())
        if seeded.territories:
            click.echo(f"Demo cases: {seeded.cases} in {', '.join(seeded.territories)} ({seeded.seconds:.1f} s).")
        if seeded.skipped:
            click.echo(f"Demo cases already seeded in {', '.join(seeded.skipped)}: nothing added.")
        for line in seeded.stopped:
            click.echo(f"Demo case stopped where the engine refused it: {line}", err=True)
