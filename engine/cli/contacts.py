"""``otklik users email LOGIN ADDRESS`` and ``otklik orgs email KEY ADDRESS``: where notifications are
mailed (engine.directory.contacts). An empty ADDRESS ("") removes it. A malformed address prints one
``Error: …`` line and exits 2, like the other directory commands."""
from __future__ import annotations

import click

from engine.cli.common import actor
from engine.cli.users import _session
from engine.directory import contacts


@click.command(name="email")
@click.argument("login")
@click.argument("address")
def user_email(login: str, address: str) -> None:
    """Set the e-mail address notifications are sent to ("" removes it: in-app only)."""
    with _session() as session:
        stored = contacts.set_user_email(session, login, address, actor())
    click.echo(f"{login}: {stored}" if stored else f"{login}: no e-mail address (in-app notifications only)")


@click.command(name="email")
@click.argument("key")
@click.argument("address")
def organisation_email(key: str, address: str) -> None:
    """Set an organisation's contact address (a state body is notified only there; "" removes it)."""
    with _session() as session:
        stored = contacts.set_organisation_email(session, key, address, actor())
    click.echo(f"{key}: {stored}" if stored else f"{key}: no e-mail address")
