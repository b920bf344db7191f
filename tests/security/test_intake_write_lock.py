"""A page that only shows data keeps answering while a writer holds the SQLite database.

Every unit of work used to begin with ``BEGIN IMMEDIATE`` (the write lock), reads included: a
writer stuck for a while (a slow engine step, a worker batch) made every inbox, registry and
card wait 30 s for the lock and then fail with 500 "database is locked". Read-only units of work
begin a deferred transaction, which WAL serves from the last commit without any lock.
"""
from __future__ import annotations

import sqlite3
import time

from engine.models import Task
from tests.web import tasks_support
from tests.web.tasks_support import client_as, start_case

password_hash = tasks_support.password_hash  # fixtures shared with the task-page tests
tasks_app = tasks_support.tasks_app

LIMIT = 1.0  # seconds; before the fix each page waited the 30 s busy timeout, then answered 500


def test_read_only_pages_answer_while_a_writer_holds_the_lock(tasks_app) -> None:  # type: ignore[no-untyped-def]
    instance_id = start_case(tasks_app)
    database = tasks_app.extensions["otklik_db"]
    with database.session() as session:
        task = session.query(Task).filter_by(instance_id=instance_id, status="open").one()
        task_id, message_id = task.id, task.message_id
    curator = client_as(tasks_app, "curator")
    pages = ["/inbox", "/messages", f"/messages/{message_id}", f"/tasks/{task_id}", f"/messages/{message_id}/diagram",
             "/procedures", "/reports"]

    writer = sqlite3.connect(database.engine.url.database, isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
        writer.execute("UPDATE message SET author = 'в процессе записи' WHERE id = ?", (message_id,))
        for path in pages:
            started = time.perf_counter()
            response = curator.get(path)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            assert elapsed < LIMIT, f"{path} took {elapsed:.1f} s behind the writer"
            assert "в процессе записи" not in response.get_data(as_text=True)  # only committed data is read
    finally:
        writer.execute("ROLLBACK")
        writer.close()

