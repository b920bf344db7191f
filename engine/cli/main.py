"""``otklik``: the console entry point for deployment, deadlines, the worker and the schema."""
from __future__ import annotations

import getpass
import logging
import signal
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from engine.calendar.regions import UnknownRegion
from engine.calendar.workingtime import calendar_for_region
from engine.cli import common as cli_common
from engine.cli import contacts as cli_contacts
from engine.cli import db as cli_db
from engine.cli import organisations as cli_organisations
from engine.cli import reports as cli_reports
from engine.cli import templates as cli_templates
from engine.cli import territories as cli_territories
from engine.cli import users as cli_users
from engine.cli.deploy_answers import answer_lines, surveyed_lines, warning_lines
from engine.cli.deploy_summary import summary
from engine.deployment.deployer import Source, library_forms
from engine.deployment.deployer import deploy as deploy_sources
from engine.errors import DeploymentError
from engine.texts import t


@click.group()
def main() -> None:
    """Otklik: regional procedures for answering citizens' messages."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only validate; deploy nothing.")
@click.option("--actor", default=lambda: getpass.getuser(), show_default="current user", help="Recorded in the audit log.")
def deploy(files: tuple[Path, ...], dry_run: bool, actor: str) -> None:
    """Deploy .bpmn diagrams and the .form files they reference."""
    sources, missing = [], []
    for path in files:
        if path.is_file():
            sources.append(Source.read(path))
        else:
            missing.append(t("deployment.cli_no_file", path=path))
    if missing:
        for line in missing:
            click.echo(str(line), err=True)
        sys.exit(1)
    try:
        if dry_run:
            from engine.deployment.deployer import plan

            # Read-only: the database only says which territories there are.
            with cli_common.database().session(readonly=True) as session:
                planned = plan(sources, library_forms())
            for item in planned:
                click.echo(str(t("deployment.cli_ok", file=item.source.name, process=item.info.process_id,
                                 region=item.info.region)))
                click.echo("\n".join(answer_lines(item.info)))  # every construct with its answer
            return
        database = cli_common.database()
        with database.session() as session:
            results = deploy_sources(session, sources, actor, extra_forms=library_forms())
            lines = [summary(session, result) for result in results]  # which version is in force now
    except DeploymentError as error:
        for source in sources if dry_run else ():  # what each diagram contains, the refused among the rest
            for said in surveyed_lines(source):
                click.echo(said)
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(str(t("deployment.cli_refused", count=len(error.problems))), err=True)
        sys.exit(1)
    for line, result in zip(lines, results, strict=True):
        click.echo(str(line))
        if result.replaces:  # another process id served the territory until now: say which one is used now
            click.echo(str(t("territory.deploy_now_serves", file=result.filename, region=result.region,
                             process=result.process_id, previous=result.replaces)))
        for warning in warning_lines(result.warnings):  # what the diagram draws and Otklik ignores
            click.echo(warning, err=True)


def _parse_from(value: str | None, tz: ZoneInfo) -> datetime:
    if value is None:
        return datetime.now(tz)
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO 8601 date-time, e.g. 2025-10-31T16:30", param_hint="--from") from None
    return instant.replace(tzinfo=tz) if instant.tzinfo is None else instant


@main.command()
@click.option("--region", required=True, help="Territory key (otklik regions list).")
@click.option("--from", "since", help="Start, ISO 8601; without an offset it is the region's local time. Default: now.")
@click.option("--working-hours", type=float)
@click.option("--working-minutes", type=float)
@click.option("--working-days", type=int)
def deadline(region: str, since: str | None, working_hours: float | None, working_minutes: float | None,
             working_days: int | None) -> None:
    """Print a deadline in the region's working time (ISO 8601 with offset)."""
    with cli_common.database().session(readonly=True):  # the territory's zone and holidays are in the database
        try:
            calendar = calendar_for_region(region)
        except UnknownRegion as error:
            raise click.BadParameter(str(error), param_hint="--region") from None
    given = [(n, v) for n, v in (("hours", working_hours), ("minutes", working_minutes), ("days", working_days))
             if v is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --working-hours, --working-minutes, --working-days")
    unit, amount = given[0]
    if amount < 0:
        raise click.BadParameter("must not be negative", param_hint=f"--working-{unit}")
    start = _parse_from(since, calendar.timezone)
    from engine.bpmn.timer_bounds import due_problem

    if problem := due_problem(start.isoformat(), datetime.now(start.tzinfo), t("validation.timer.what_from")):
        raise click.BadParameter(str(problem), param_hint="--from")  # the console's language
    try:
        # The calendar refuses amounts over its bounds (working_days 365 …) and counts that would
        # walk past ten years or the year 9999, instead of computing for minutes.
        if unit == "days":
            due = calendar.working_days(int(amount), start)  # --working-days is type=int: int() keeps it
        else:
            due = {"hours": calendar.working_hours, "minutes": calendar.working_minutes}[unit](amount, start)
    except (ValueError, OverflowError) as error:
        raise click.BadParameter(str(error), param_hint=f"--working-{unit} / --from") from None
    click.echo(due.isoformat(timespec="minutes"))


@main.command()
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--once", is_flag=True, help="Fire what is due now and exit.")
def worker(interval: float, once: bool) -> None:
    """Fire due timers (deadlines) until stopped."""
    from engine.reports.schedule import WORKER_JOBS
    from engine.runtime.import_jobs import run_imports
    from engine.runtime.timers import connect_patiently, fire_due_timers, run_worker

    if once:
        click.echo(f"advanced {fire_due_timers(cli_common.database())} instance(s)")
        return
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        # Neither a database locked or down at start nor any fault later ends the worker.
        database = connect_patiently(cli_common.database, should_stop=lambda: bool(stopping))
        if database is not None:
            # The scheduled summary reports (engine.reports sits above runtime, so it is handed in).
            # Bulk imports too (engine.runtime.import_jobs): each pass takes rows for at most 30 s.
            jobs = (*WORKER_JOBS, ("bulk imports", run_imports))
            run_worker(database, interval, should_stop=lambda: bool(stopping), jobs=jobs)
    except KeyboardInterrupt:
        pass


@main.group(name="db")
def db_group() -> None:
    """Database: schema upgrade, online backup (SQLite), consistency check."""


@db_group.command()
def upgrade() -> None:
    """Apply Alembic migrations up to the newest."""
    cli_common.database()
    click.echo(str(t("db.schema_current")))


# Backup of the embedded database and the consistency check: otklik db backup / db check.
db_group.add_command(cli_db.backup)
db_group.add_command(cli_db.check)

# The directory and the reports from the console: otklik users / orgs / regions / demo / report.
for _command in (cli_users.users, cli_users.orgs, cli_territories.regions, cli_users.demo, cli_reports.report,
                 cli_templates.templates):
    main.add_command(_command)
for _command in cli_organisations.COMMANDS:  # otklik orgs rename | remove | restore
    cli_users.orgs.add_command(_command)
cli_users.users.add_command(cli_contacts.user_email)  # otklik users email LOGIN ADDRESS
cli_users.orgs.add_command(cli_contacts.organisation_email)  # otklik orgs email KEY ADDRESS
