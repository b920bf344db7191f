"""``otklik orgs rename | remove | restore``: what the organisation's admin page does, from the console.

Rename keeps the key. Remove deletes an organisation nothing refers to, deactivates one only
history refers to, and is refused — naming what still works with it — otherwise
(engine.directory.organisations). Refusals print one ``Error: …`` line and exit 2, as ``otklik orgs add``.
"""
from __future__ import annotations

import click

from engine.cli.common import actor
from engine.cli.users import _session
from engine.directory import organisations as managing


@click.command(name="rename")
@click.argument("key")
@click.option("--name", required=True, help="The new name (the key stays).")
def rename(key: str, name: str) -> None:
    """Give organisation KEY a new name."""
    with _session() as session:
        managing.rename_organisation(session, key, name, actor())
    click.echo(f"{key} is now called {name.strip()}")


@click.command(name="remove")
@click.argument("key")
def remove(key: str) -> None:
    """Delete KEY if nothing refers to it, deactivate it if only history does; refused while in use."""
    with _session() as session:  # OrganisationInUse is a Conflict: one "Error: …" line, exit 2
        outcome = managing.remove_organisation(session, key, actor())
    click.echo(f"{key} deleted" if outcome is managing.Removal.DELETED else
               f"{key} deactivated: gone from routing and dropdowns, kept in history (otklik orgs restore {key})")


@click.command(name="restore")
@click.argument("key")
def restore(key: str) -> None:
    """Make a deactivated organisation KEY active again."""
    with _session() as session:
        managing.restore_organisation(session, key, actor())
    click.echo(f"{key} is active")


COMMANDS = (rename, remove, restore)
