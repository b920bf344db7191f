"""``otklik db backup`` and ``otklik db check``: operating the database in production.

``backup`` copies the embedded SQLite database while the web app and the worker keep running,
through SQLite's online backup API (a plain file copy of a live WAL database can tear).
PostgreSQL is backed up with ``pg_dump`` (docs/deployment.md).

``check`` proves what a crash must never break: for every case, the open task rows the inbox
reads are exactly the READY user tasks of its stored workflow state, and ``next_timer_at``
(what the worker polls) is exactly its earliest armed timer. It only reads.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from engine.db.database import Database, alembic_config, default_url
from engine.models import Instance, Task
from engine.runtime import store
from engine.spiff import inspect
from engine.spiff.script_engine import script_engine_for_region

CHECK_BATCH = 100  # instances per transaction: on SQLite a read transaction holds the write lock


# --------------------------------------------------------------------------- backup (SQLite)

@dataclass(frozen=True)
class BackupResult:
    source: str
    target: Path
    pages: int
    size: int
    revision: str | None  # the Alembic revision of the copy: restore with code of that schema or newer


def sqlite_path(url: str) -> str | None:
    """The file behind a SQLite URL, or None for any other database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def backup_sqlite(url: str, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy a live SQLite database to ``target`` and verify the copy.

    One backup step copies every page inside one read transaction: in WAL mode that never
    blocks the writers, and the copy is the database as of one commit. The copy is written
    beside the target and renamed only after ``PRAGMA integrity_check`` says ok, so a failed
    backup never leaves a half-written file under the target's name.
    """
    source = sqlite_path(url)
    if source is None:
        raise click.UsageError("otklik db backup copies the embedded SQLite database; this is "
                               f"{make_url(url).get_backend_name()}: use pg_dump (see docs/deployment.md)")
    if not Path(source).is_file():
        raise click.UsageError(f"{source}: no such database file")
    if target.exists() and not overwrite:
        raise click.UsageError(f"{target} exists; choose a new name or pass --force")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Owner-only from the first byte: the copy holds password hashes and citizens' messages.
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)  # pages=-1: all in one step (see above)
        # One self-contained file: the copy leaves WAL mode (the app turns WAL on again when it opens it).
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise click.ClickException(f"the copy failed its integrity check: {verdict}")
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
        try:
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except sqlite3.DatabaseError:
            revision = None
    finally:
        copy.close()
        live.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return BackupResult(source, target, pages, target.stat().st_size, revision)


# --------------------------------------------------------------------------- consistency check

@dataclass(frozen=True)
class Finding:
    instance_id: int
    problem: str

    def __str__(self) -> str:
        return f"instance {self.instance_id}: {self.problem}"


@dataclass
class CheckReport:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.findings


def _when(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "none"


def check_instance(session: Session, instance: Instance, open_rows: list[Task]) -> list[str]:
    """What disagrees between one instance's stored state and its rows (empty: consistent)."""
    try:
        workflow = store.load_for_reading(session, instance)  # a check only looks: the read path
    except Exception as error:  # noqa: BLE001 - an unreadable state is a finding, not a crash
        return [f"state cannot be loaded: {type(error).__name__}: {error}"]
    problems = []
    functions = script_engine_for_region(instance.region).environment.functions
    ready = {t.id: t for t in inspect.ready_user_tasks(workflow, functions)}
    rows = {r.id: r for r in open_rows}
    for task_id in sorted(ready.keys() - rows.keys()):
        problems.append(f"READY user task {ready[task_id].element_id} ({task_id}) has no open task row")
    for task_id in sorted(rows.keys() - ready.keys()):
        problems.append(f"open task row {rows[task_id].element_id} ({task_id}) is not a READY user task in the state")
    for task_id in sorted(ready.keys() & rows.keys()):
        want, row = ready[task_id], rows[task_id]
        for name in ("element_id", "role", "organisation_key", "due_at"):
            if getattr(row, name) != getattr(want, name):
                problems.append(f"task {want.element_id} ({task_id}): row {name} {getattr(row, name)!r}, "
                                f"state says {getattr(want, name)!r}")
    expected = inspect.next_timer_at(workflow)
    if instance.next_timer_at != expected:
        problems.append(f"next_timer_at is {_when(instance.next_timer_at)}, earliest armed timer {_when(expected)}")
    if instance.status == "running" and workflow.completed:
        problems.append("status is running but the workflow has ended")
    if instance.status == "completed" and not workflow.completed:
        problems.append("status is completed but the workflow has not ended")
    return problems


def check_consistency(db: Database, instance_ids: Iterable[int] | None = None,
                      batch: int = CHECK_BATCH) -> CheckReport:
    """Check every instance (or the given ones), ``batch`` per read transaction."""
    report = CheckReport()
    wanted = sorted(set(instance_ids)) if instance_ids is not None else None
    last = 0
    while True:
        with db.session() as session:
            if db.is_postgresql:
                # One snapshot for the batch: READ COMMITTED would let a commit land between
                # reading an instance and reading its tasks, and report a tear that is not there.
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            query = select(Instance).where(Instance.id > last).order_by(Instance.id).limit(batch)
            if wanted is not None:
                query = query.where(Instance.id.in_(wanted))
            instances = list(session.scalars(query))
            if not instances:
                return report
            open_rows: dict[int, list[Task]] = {i.id: [] for i in instances}
            for row in session.scalars(select(Task).where(
                    Task.instance_id.in_(list(open_rows)), Task.status == "open")):
                open_rows[row.instance_id].append(row)
            for instance in instances:
                report.checked += 1
                problems = check_instance(session, instance, open_rows[instance.id])
                report.findings.extend(Finding(instance.id, problem) for problem in problems)
            last = instances[-1].id
            session.rollback()  # read only: nothing to commit


def schema_behind(db: Database) -> tuple[str | None, str | None]:
    """(current, head) Alembic revisions when the schema is not the newest, else (None, None)."""
    url = db.engine.url.render_as_string(hide_password=False)
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return (current, head) if current != head else (None, None)


# --------------------------------------------------------------------------- the commands

@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def backup(path: Path, force: bool) -> None:
    """Copy the embedded SQLite database to PATH while Otklik runs (PostgreSQL: use pg_dump)."""
    result = backup_sqlite(default_url(), path, overwrite=force)
    click.echo(f"backed up {result.source} to {result.target}: {result.pages} pages, {result.size} bytes, "
               f"integrity ok, schema revision {result.revision or 'none'}")


@click.command()
@click.option("--instance", "instance_ids", type=int, multiple=True, help="Check only this instance (repeatable).")
def check(instance_ids: tuple[int, ...]) -> None:
    """Check that every case's open tasks and next timer agree with its stored state (read only)."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines would bury the verdict
    database = Database()
    try:
        current, head = schema_behind(database)
        if head is not None:
            raise click.ClickException(f"the schema is at {current or 'nothing'}, the code needs {head}: "
                                       "run otklik db upgrade first")
        report = check_consistency(database, instance_ids or None)
    finally:
        database.engine.dispose()
    for finding in report.findings:
        click.echo(str(finding), err=True)
    bad = len({f.instance_id for f in report.findings})
    if bad:
        click.echo(f"checked {report.checked} instance(s): {bad} inconsistent", err=True)
        raise SystemExit(1)
    click.echo(f"checked {report.checked} instance(s): all consistent")
