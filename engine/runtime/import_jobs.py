"""Bulk import (issue 17 §2): a curator's upload becomes a job the worker takes in, in chunks,
through the intake API's one path (engine.runtime.intake.take_batch) — the same checks, rights and
idempotency by (source, source_id).

The web request only stores the file (:func:`create_job`) and returns. The worker
(:func:`run_imports`, a job ``otklik worker`` runs each pass) reads the file once per pass and takes
:data:`CHUNK` rows per transaction, moving the job's counters in the same transaction: a crash loses
at most the chunk in flight, and the job resumes after the rows counted ``done`` (those taken again
would be found by their source_id anyway). Between chunks, every :data:`TIMERS_EVERY` seconds, it
fires the deadlines that fell due meanwhile, so a long import delays no deadline by more than a
chunk. A file that cannot be read fails its job with a reason; a row that breaks in an unexpected
way is one row error; neither stops the worker. On PostgreSQL each chunk locks its job
``FOR UPDATE SKIP LOCKED``, so two workers never take the same rows.
"""
from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from engine import clock
from engine.db.database import Database
from engine.errors import Forbidden, InvalidSubmission, NotFound, OtklikError
from engine.models import ImportJob, ImportRowError
from engine.runtime import import_file, import_rows
from engine.runtime.intake import Incoming, Taken, take_batch
from engine.runtime.registration import registration_regions
from engine.runtime.timers import fire_due_timers
from engine.texts import Text, t

log = logging.getLogger(__name__)

CHUNK = 50  # rows per transaction: on SQLite its write lock is held for the chunk (~0.5 s)
PASS_SECONDS = 30.0  # a worker pass imports this long at most, then its other jobs have their turn
TIMERS_EVERY = 1.0  # seconds: between chunks, deadlines falling due meanwhile are fired (not 30 s late)
MAX_OPEN_JOBS = 3  # queued or running per uploader
MAX_JOBS_PER_DAY = 50  # uploads per uploader in 24 hours
MAX_NAME = 255
UNFINISHED = ("queued", "running")

# One file read per pass: a job spanning passes is read again on the next (same bytes, same rows).
_read: dict[tuple[int, str], import_file.Sheet] = {}


def create_job(session: Session, login: str, region: str, file_name: str, content: bytes) -> int:
    """Queue ``content`` (a CSV or XLSX export) for import into ``region`` by ``login``; returns the
    job's id. Raises Forbidden (not a curator there) or InvalidSubmission (``file``: ``kind``,
    ``empty``, ``too_large``; ``jobs``: ``too_many_open``, ``too_many_today``)."""
    if region not in registration_regions(session, login):
        raise Forbidden(t("imports.not_curator"))
    name = PureWindowsPath(PurePosixPath(file_name).name).name.strip()[:MAX_NAME] or "import"
    kind = import_file.kind_of(name)
    if kind is None:
        raise InvalidSubmission({"file": "kind"})
    if not content:
        raise InvalidSubmission({"file": "empty"})
    if len(content) > import_file.MAX_FILE_BYTES:
        raise InvalidSubmission({"file": "too_large"})
    mine = select(func.count()).select_from(ImportJob).where(ImportJob.uploaded_by == login)
    if (session.scalar(mine.where(ImportJob.status.in_(UNFINISHED))) or 0) >= MAX_OPEN_JOBS:
        raise InvalidSubmission({"jobs": "too_many_open"})
    if (session.scalar(mine.where(ImportJob.created_at > clock.now() - timedelta(days=1))) or 0) >= MAX_JOBS_PER_DAY:
        raise InvalidSubmission({"jobs": "too_many_today"})
    job = ImportJob(region=region, uploaded_by=login, file_name=name, file_kind=kind,
                    file_hash=hashlib.sha256(content).hexdigest(), content=content, status="queued",
                    done=0, taken=0, duplicates=0, failed=0, created_at=clock.now())
    session.add(job)
    session.flush()
    return job.id


def run_imports(db: Database, seconds: float = PASS_SECONDS, chunk: int = CHUNK, rows: int | None = None) -> int:
    """Take in queued and running jobs' rows for up to ``seconds`` (and ``rows``, if given); returns
    how many rows were handled. The worker's job (engine.cli hands it to engine.runtime.timers.run_worker)."""
    started = timers_at = time.monotonic()
    handled = 0
    passed: set[int] = set()  # failed or locked by another worker in this pass: not again

    def more() -> bool:
        return time.monotonic() - started < seconds and (rows is None or handled < rows)

    while more():
        job_id = _next_job(db, passed)
        if job_id is None:
            break
        sheet = _sheet(db, job_id)
        if sheet is None:
            passed.add(job_id)
            continue
        while more():
            count = _chunk(db, job_id, sheet, chunk if rows is None else min(chunk, rows - handled))
            if time.monotonic() - timers_at >= TIMERS_EVERY:
                fire_due_timers(db)  # one small query when nothing is due
                timers_at = time.monotonic()
            if count is None:
                passed.add(job_id)
                break
            handled += count
    _forget(db)
    return handled


def _next_job(db: Database, passed: set[int]) -> int | None:
    with db.session(readonly=True) as session:
        return session.scalar(select(ImportJob.id).where(ImportJob.status.in_(UNFINISHED), ImportJob.id.not_in(passed))
                              .order_by(ImportJob.id).limit(1))


def _sheet(db: Database, job_id: int) -> import_file.Sheet | None:
    """The job's rows (read once per pass), or None when the file cannot be read (the job failed)."""
    with db.session(readonly=True) as session:
        found = session.execute(select(ImportJob.file_hash, ImportJob.file_kind, ImportJob.content)
                                .where(ImportJob.id == job_id)).one()
    key = (job_id, found.file_hash)
    if key in _read:
        return _read[key]
    try:
        sheet = import_file.read_sheet(found.content, found.file_kind)
    except import_file.ImportFileError as refused:
        _fail(db, job_id, refused.code, {k: str(v) for k, v in refused.args_.items()})
        return None
    except Exception as error:  # noqa: BLE001 - a file that breaks the reader fails its job, not the worker
        log.error("import %s: reading the file failed: %s", job_id, error, exc_info=error)
        _fail(db, job_id, "unreadable", {"error": f"{type(error).__name__}: {error}"[:200]})
        return None
    _read.clear()
    _read[key] = sheet
    return sheet


def _forget(db: Database) -> None:
    with db.session(readonly=True) as session:
        open_ids = set(session.scalars(select(ImportJob.id).where(ImportJob.status.in_(UNFINISHED))))
    for key in [key for key in _read if key[0] not in open_ids]:
        del _read[key]


def _fail(db: Database, job_id: int, reason: str, args: dict[str, str]) -> None:
    with db.session() as session:
        job = session.get(ImportJob, job_id, with_for_update=True)
        if job is None or job.status not in UNFINISHED:
            return
        job.status, job.reason, job.reason_args, job.finished_at = "failed", reason, args, clock.now()
        job.started_at = job.started_at or clock.now()


def _lock(session: Session, job_id: int) -> ImportJob | None:
    return session.scalar(select(ImportJob).where(ImportJob.id == job_id, ImportJob.status.in_(UNFINISHED))
                          .with_for_update(skip_locked=True))


def _chunk(db: Database, job_id: int, sheet: import_file.Sheet, size: int) -> int | None:
    """Take the next ``size`` rows of the job in one transaction; None when the job is finished,
    gone or being taken by another worker."""
    with db.session() as session:
        job = _lock(session, job_id)
        if job is None:
            return None
        if job.status == "queued":
            job.status, job.started_at, job.total = "running", clock.now(), len(sheet.rows)
        rows = sheet.rows[job.done:job.done + size]
        _take(session, job, rows, sheet.headers)
        job.done += len(rows)
        if job.done >= len(sheet.rows):
            job.status, job.finished_at = "done", clock.now()
        return len(rows) if rows else None if job.status == "done" else 0


def _take(session: Session, job: ImportJob, rows: list[import_file.Row], headers: dict[str, str]) -> None:
    items: list[Incoming | OtklikError] = []
    problems: dict[int, import_rows.RowProblems] = {}
    for index, row in enumerate(rows):
        try:
            items.append(import_rows.incoming(row, job.region, headers, job.created_at))
        except import_rows.RowProblems as refused:
            problems[index] = refused
            items.append(InvalidSubmission({}))
    try:
        with session.begin_nested():
            results = take_batch(session, items, job.uploaded_by)
    except (OperationalError, DBAPIError):
        raise  # the database, not the rows: the worker's pass retries (nothing of the chunk was kept)
    except Exception as error:  # noqa: BLE001 - one row broke the batch: take them one by one
        log.warning("import %s: a chunk failed (%s); taking its rows one by one", job.id, error)
        results = [_take_one(session, item, job.uploaded_by) for item in items]
    for index, (row, result) in enumerate(zip(rows, results, strict=True)):
        if index in problems:
            _errors(session, job, row, problems[index].problems)
        elif isinstance(result, Taken):
            if result.created:
                job.taken += 1
            else:
                job.duplicates += 1
        else:
            _errors(session, job, row, _refusal(result, row, headers, job.region))


def _take_one(session: Session, item: Incoming | OtklikError, login: str) -> Taken | OtklikError:
    try:
        with session.begin_nested():
            return take_batch(session, [item], login)[0]
    except (OperationalError, DBAPIError):
        raise
    except Exception as error:  # noqa: BLE001 - this row alone: recorded as its error
        return _Broken(f"{type(error).__name__}: {error}"[:200])


class _Broken(OtklikError):
    pass


def _errors(session: Session, job: ImportJob, row: import_file.Row,
            problems: dict[str, tuple[str, dict[str, str]]]) -> None:
    job.failed += 1
    session.add_all(ImportRowError(job_id=job.id, row=row.number, column=column[:64] or None, code=code, args=args)
                    for column, (code, args) in problems.items())


def _refusal(refused: OtklikError, row: import_file.Row, headers: dict[str, str],
             region: str) -> dict[str, tuple[str, dict[str, str]]]:
    if isinstance(refused, InvalidSubmission):
        return {headers.get(name, name): (str(code), _value(row, name)) for name, code in refused.errors.items()}
    territory = import_rows.territory_of(import_rows.cell_text(row.cells.get("region")), region)
    if isinstance(refused, Forbidden):
        return {headers.get("region", ""): ("forbidden", {"region": territory})}
    if isinstance(refused, NotFound):
        return {headers.get("region", ""): ("no_procedure", {"region": territory})}
    return {"": ("unexpected", {"error": str(refused)[:200]})}


def _value(row: import_file.Row, name: str) -> dict[str, str]:
    cell = row.cells.get(name)
    return {"value": import_rows.cell_text(cell)[:60]} if cell is not None else {}


def reason_text(job: ImportJob) -> Text | None:
    """Why a failed job failed, in words."""
    return t(f"imports.file.{job.reason}", **(job.reason_args or {})) if job.reason else None
