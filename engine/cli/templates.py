"""``otklik templates …``: model procedures from the console (list, adopt, upgrade), as the browser does.

``adopt`` and ``upgrade`` deploy through the deployer like ``otklik deploy`` (the console is the
operator's: no analyst role is asked for). A refused value prints one line naming the option and
the parameter and exits 2; a refused deployment prints its problems and exits 1.
"""
from __future__ import annotations

import getpass
from contextlib import AbstractContextManager

import click
from sqlalchemy.orm import Session

from engine import templates as engine_templates
from engine.cli.common import fail, unit_of_work
from engine.models import Deployment
from engine.texts import t

_OPTIONS = {"territory": "--territory", "process_id": "--process-id", "template": "TEMPLATE",
            "keep_default": "--keep-default"}


def _session(readonly: bool = False) -> AbstractContextManager[Session]:
    """A refused parameter value names ``--set <parameter>``; the other fields their option."""
    return unit_of_work(readonly, options=_OPTIONS, option=lambda field: f"--set {field}")


def _values(settings: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in settings:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(str(t("templates.cli_set_invalid", value=item)))
        values[name.strip()] = value.strip()
    return values


@click.group("templates")
def templates() -> None:
    """Model procedures (bpmn/templates/) municipalities adopt with their own parameters."""


@templates.command("list")
def list_templates() -> None:
    """Templates with their versions, the newest's parameters and who adopted which version."""
    with _session(readonly=True) as session:
        found = engine_templates.templates(session)
    if not found:
        click.echo(str(t("templates.cli_none")))
    for item in found:
        click.echo(str(t("templates.cli_template", process=item.process_id, name=item.name,
                         versions=", ".join(str(v) for v in item.versions))))
        for parameter in item.parameters:
            click.echo(str(t("templates.cli_parameter", name=parameter.name, type=parameter.type,
                             default=parameter.default, label=parameter.label)))
        for adopter in item.adopters:
            behind = t("templates.cli_behind", newest=item.newest) if adopter.template_version < item.newest else ""
            click.echo(str(t("templates.cli_adopter", territory=adopter.territory, process=adopter.process_id,
                             version=adopter.template_version, behind=behind)))
        if not item.adopters:
            click.echo(str(t("templates.cli_no_adopters")))


def _deployed(row: Deployment) -> str:
    return str(t("templates.cli_adopted", process=row.process_id, version=row.version,
                 template=row.template_process_id, template_version=row.template_version, territory=row.region))


@templates.command("adopt")
@click.argument("template")
@click.option("--territory", required=True, help="The adopting territory's key (otklik regions list).")
@click.option("--process-id", help="The procedure's key; default <TEMPLATE>_<territory>.")
@click.option("--name", help="The procedure's name; default the template's (without «(шаблон)») — the territory's.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A parameter's value (repeatable).")
@click.option("--actor", default=lambda: getpass.getuser(), show_default="current user", help="Recorded in the audit log.")
def adopt(template: str, territory: str, process_id: str | None, name: str | None, settings: tuple[str, ...],
          actor: str) -> None:
    """Deploy TEMPLATE's newest version as the territory's own procedure with the given parameters
    (the others at the template's defaults)."""
    values = _values(settings)
    with _session() as session:
        row = engine_templates.adopt(session, template, territory, values, actor, process_id, name=name,
                                     check_actor=False)
        click.echo(_deployed(row))


@templates.command("upgrade")
@click.argument("process_id")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Change a parameter's value (repeatable).")
@click.option("--keep-default", "keep", multiple=True, metavar="NAME",
              help="Where the template's default moved and the procedure had kept the old one, keep the old "
                   "value (repeatable); without it the new default is taken.")
@click.option("--dry-run", is_flag=True, help="Only show what would change; deploy nothing.")
@click.option("--actor", default=lambda: getpass.getuser(), show_default="current user", help="Recorded in the audit log.")
def upgrade(process_id: str, settings: tuple[str, ...], keep: tuple[str, ...], dry_run: bool, actor: str) -> None:
    """Regenerate PROCESS_ID from its template's newest version keeping its parameter values (a
    default the template moved, which the procedure had never changed, takes the new value unless
    --keep-default); running cases stay on their version."""
    values = _values(settings)
    with _session(readonly=dry_run) as session:
        plan = engine_templates.upgrade_plan(session, process_id)
        click.echo(str(t("templates.cli_plan", process=process_id, template=plan.template_process_id,
                         current=plan.current, newest=plan.newest)))
        for item in plan.kept:
            click.echo(str(t("templates.cli_kept", name=item.parameter.name, value=values.get(item.parameter.name, item.value))))
        for item in plan.default_moved:
            name = item.parameter.name
            said = "templates.cli_default_kept" if name in keep else "templates.cli_default_moved"
            click.echo(str(t(said, name=name, old=item.old_default, new=values.get(name, item.value))))
        for item in plan.added:
            click.echo(str(t("templates.cli_added", name=item.parameter.name, value=values.get(item.parameter.name, item.value))))
        for item in plan.removed:
            click.echo(str(t("templates.cli_removed", name=item.parameter.name, value=item.value)))
        for reason in plan.diff.process:
            click.echo(f"  {reason}")
        for change in plan.diff.changes:
            click.echo(str(t(f"templates.cli_change_{change.kind}", element=change.element_id, name=change.name,
                             reasons="; ".join(change.reasons))))
        if dry_run:
            return
        version = plan.version
        row = engine_templates.upgrade(session, process_id, actor, values, keep_defaults=keep, check_actor=False)
        click.echo(_deployed(row) if row.version != version else str(t("templates.cli_unchanged", process=process_id,
                                                                               version=row.version)))
