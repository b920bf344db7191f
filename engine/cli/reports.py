"""``otklik report``: the monthly (or quarterly) summary the acts demand, on screen or as XLSX."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.calendar.regions import UnknownRegion
from engine.db import database as dbmod


@click.command(name="report")
@click.option("--region", required=True, help="Territory key (otklik regions list).")
@click.option("--period", required=True, help="A month YYYY-MM (Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25) "
                                              "or a quarter YYYY-Qn (Kaluga п. 1.1).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the summary to this XLSX file.")
@click.option("--send", is_flag=True, help="Send the closed period's report to the procedure's report.recipient now "
                                           "(again if the worker sent it); frozen first if it is not.")
def report(region: str, period: str, xlsx_path: Path | None, send: bool) -> None:
    """Summary of the period: messages, answers in time, violations per clause and agency, dynamics."""
    from engine.reports.summary import build_summary
    from engine.reports.summary_xlsx import write_xlsx

    database = dbmod.Database()
    dbmod.upgrade(database.engine)
    try:
        with database.session(readonly=True) as session:  # no write lock while it counts
            summary = build_summary(session, region, period)
    except (ValueError, UnknownRegion) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    share = f"{summary.timeliness:.0%}" if summary.timeliness is not None else "—"
    click.echo(f"{summary.region_name}, {summary.period.label}: {summary.messages} messages "
               f"(previous period {summary.previous_messages}), {summary.repeats} repeat(s)")
    click.echo(f"answered {summary.answered}, in time {summary.answered_in_time} ({share}), open {summary.open_cases}, "
               f"ended without an answer {summary.no_answer}, violations of the act {summary.violations} (by due time)")
    for clause, count in sorted(summary.by_clause.items()):
        click.echo(f"  clause {clause}: {count}")
    for deadline, count in sorted(summary.by_parameter.items()):
        click.echo(f"  {deadline}: {count} (procedure parameter, not a deadline of the act)")
    for line in summary.agencies:
        click.echo(f"  {line.organisation_key}: cases {line.cases}, violations {line.violations}, reworks {line.reworks}")
    if xlsx_path is not None:
        write_xlsx(summary, str(xlsx_path))
        click.echo(f"written {xlsx_path}")
    if send:  # engine.reports.schedule: what the worker does at the due moment, on demand
        from engine.errors import Conflict
        from engine.reports.schedule import send_now
        from engine.texts import render

        try:
            with database.session() as session:
                click.echo(f"sent to: {' '.join(send_now(session, region, period, 'console'))}")
        except (ValueError, Conflict) as error:
            click.echo(f"error: {render(error.args[0]) if error.args else error}", err=True)
            sys.exit(2)
