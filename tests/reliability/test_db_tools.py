"""``otklik db check`` finds a torn projection; ``otklik db backup`` copies a live SQLite database.

The check is what the crash test relies on, so here it is shown to fail when it should: a
task row missing, a stray one, a wrong due time, a wrong ``next_timer_at``.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result
from sqlalchemy import select, update

from engine.cli.db import check_consistency
from engine.cli.main import main
from engine.db.database import Database, upgrade
from engine.models import Instance, Message, Task
from engine.runtime import cases as runtime
from tests.factories import deploy_files, orenburg_people
from tests.reliability.live import VENV_BIN
from tests.scenario.test_orenburg import ROUTE

TZ = ZoneInfo("Asia/Yekaterinburg")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def otklik(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The console command as an operator runs it: a process of its own."""
    env = {**os.environ, "OTKLIK_DATABASE_URL": url}
    return subprocess.run([str(VENV_BIN / "otklik"), *args], env=env, capture_output=True, text=True, timeout=60)


def invoke(url: str, *args: str) -> Result:
    """The same command in this process (no second of start-up), for the cases around the main one."""
    return CliRunner().invoke(main, list(args), env={"OTKLIK_DATABASE_URL": url})


def sqlite_orenburg(tmp_path: Path, name: str = "live.sqlite") -> tuple[str, Database]:
    url = f"sqlite:///{tmp_path / name}"
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        orenburg_people(session)
        deploy_files(session, "bpmn/orenburg.bpmn")
    return url, database


def start(database: Database, number: int) -> int:
    with database.session() as session:
        return runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url=f"https://vk.com/wall-1_{number}", author="Иван Петров",
            text="Яма на дороге", posted_at=local("2025-11-10T09:40"), detected_at=local("2025-11-10T10:00")),
            "curator").id


def test_db_check_passes_a_consistent_database_and_names_every_torn_case(tmp_path, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    url, database = sqlite_orenburg(tmp_path)
    virtual_clock.set(local("2025-11-10T10:00"))
    ids = [start(database, n) for n in range(5)]
    with database.session() as session:
        route = session.scalars(select(Task).where(Task.instance_id == ids[4])).one()
        runtime.complete_task(session, route.id, "curator", ROUTE)
    done = otklik(url, "db", "check")
    assert done.returncode == 0 and done.stdout.strip() == "checked 5 instance(s): all consistent", done
    with database.session() as session:
        first = session.scalars(select(Task).where(Task.instance_id == ids[0])).one()
        first.status = "cancelled"  # the READY task lost its row
        stray_message = session.get(Instance, ids[1]).message_id
        session.add(Task(id="00000000-0000-0000-0000-000000000000", instance_id=ids[1], message_id=stray_message,
                         region="orenburg", element_id="draft_answer", name="stray", role="executor",
                         created_at=first.created_at))  # a row the state does not know
        third = session.scalars(select(Task).where(Task.instance_id == ids[2])).one()
        third.due_at = third.due_at + timedelta(hours=1)
        session.execute(update(Instance).where(Instance.id == ids[3]).values(next_timer_at=None))
    report = check_consistency(database)
    assert report.checked == 5 and {f.instance_id for f in report.findings} == set(ids[:4])
    done = otklik(url, "db", "check")
    assert done.returncode == 1
    assert "checked 5 instance(s): 4 inconsistent" in done.stderr
    for expected in (f"instance {ids[0]}: READY user task route_message", f"instance {ids[1]}: open task row draft_answer",
                     f"instance {ids[2]}: task route_message", f"instance {ids[3]}: next_timer_at is none"):
        assert expected in done.stderr, done.stderr
    assert invoke(url, "db", "check", "--instance", str(ids[4])).exit_code == 0
    database.engine.dispose()


def test_db_backup_copies_a_live_database_that_restores_and_checks(tmp_path, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    url, database = sqlite_orenburg(tmp_path)
    virtual_clock.set(local("2025-11-10T10:00"))
    start(database, 0)
    stop, written = threading.Event(), []

    def writer() -> None:  # registrations keep committing while the backup runs
        while not stop.is_set():
            written.append(start(database, len(written) + 1))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        done = otklik(url, "db", "backup", str(tmp_path / "copy.sqlite"))
    finally:
        stop.set()
        thread.join()
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout and "schema revision" in done.stdout
    assert not (tmp_path / "copy.sqlite.partial").exists()
    with sqlite3.connect(tmp_path / "copy.sqlite") as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        copied = copy.execute("SELECT count(*) FROM message").fetchone()[0]
    with database.session() as session:
        assert 1 <= copied <= len(session.scalars(select(Message.id)).all())
    # Restore = point Otklik at the copy: the schema is current and every case is consistent.
    restored = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    assert invoke(restored, "db", "upgrade").stdout.strip() == "schema is up to date"
    check = invoke(restored, "db", "check")
    assert check.exit_code == 0 and f"checked {copied} instance(s): all consistent" in check.stdout
    # Never over an existing file unless asked; PostgreSQL is pg_dump's job.
    again = invoke(url, "db", "backup", str(tmp_path / "copy.sqlite"))
    assert again.exit_code == 2 and "exists" in again.stderr
    assert invoke(url, "db", "backup", "--force", str(tmp_path / "copy.sqlite")).exit_code == 0
    refused = invoke("postgresql+psycopg://nobody@127.0.0.1:1/none", "db", "backup", str(tmp_path / "pg.sqlite"))
    assert refused.exit_code == 2 and "pg_dump" in refused.stderr
    database.engine.dispose()
