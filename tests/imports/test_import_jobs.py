"""Bulk-import jobs with the worker (engine.runtime.import_jobs) on every backend: good rows taken and
bad ones reported by row and column, the same file again taking nothing twice, a crash mid-job
resumed without loss or duplicates, a bad file failing its job while the worker goes on, and the
uploader's rights and bounds."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from engine.errors import Forbidden, InvalidSubmission
from engine.models import ImportJob, ImportRowError, Message
from engine.runtime import import_jobs, intake, timers
from engine.views import import_job as view
from tests.imports.files import csv_bytes, row, xlsx_bytes


def upload(db, content: bytes, name: str = "export.csv", login: str = "curator") -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return import_jobs.create_job(session, login, "orenburg", name, content)


def job(db, job_id: int) -> ImportJob:  # type: ignore[no-untyped-def]
    with db.session(readonly=True) as session:
        found = session.get_one(ImportJob, job_id)
        session.expunge(found)
        return found


def messages(db) -> int:  # type: ignore[no-untyped-def]
    with db.session(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def test_good_rows_are_taken_and_bad_ones_reported_by_row_and_column(orenburg) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    rows = [row(1), row(2, posted_at="вчера"), row(3, url="vk.com/x"), row(4, network="myspace"), row(5),
            row(6, text="")]
    job_id = upload(db, xlsx_bytes(rows), "export.xlsx")
    assert job(db, job_id).status == "queued" and messages(db) == 0
    assert import_jobs.run_imports(db, chunk=2) == 6
    done = job(db, job_id)
    assert (done.status, done.total, done.done, done.taken, done.duplicates, done.failed) == ("done", 6, 6, 2, 0, 4)
    assert messages(db) == 2
    with db.session(readonly=True) as session:
        page = view.job_page(session, job_id, "curator")
        assert [(e.row, e.column, e.problem.code, e.value) for e in page.errors] == [
            (3, "Дата публикации", "imports.row.bad_date", "вчера"), (4, "Ссылка", "imports.row.bad_url", "vk.com/x"),
            (5, "Соцсеть", "imports.row.unknown", "myspace"), (7, "Текст", "imports.row.required", "")]
        assert page.status.percent == 100 and page.error_count == 4
        report = view.error_report(session, job_id, "curator").decode("utf-8-sig").splitlines()
    assert report[0] == "Row;Column;Value;What is wrong;What to do"  # the suite writes English (OTKLIK_LANG)
    assert report[1].startswith("3;Дата публикации;вчера;the date cannot be read;write it as")


def test_the_same_file_again_takes_nothing_twice(orenburg) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    content = csv_bytes([row(1), row(2, source_id=""), row(3, source_id="")])
    first = upload(db, content)
    import_jobs.run_imports(db)
    corrected = csv_bytes([row(1), row(2, source_id=""), row(3, source_id=""), row(4)])  # another file, same posts
    second, third = upload(db, content), upload(db, corrected)
    import_jobs.run_imports(db)
    assert (job(db, first).taken, job(db, second).duplicates) == (3, 3)
    assert (job(db, third).taken, job(db, third).duplicates) == (1, 3)
    assert messages(db) == 4


def test_a_crash_mid_job_resumes_after_the_rows_counted_done(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    job_id = upload(db, csv_bytes([row(n) for n in range(1, 8)]))
    real, calls = intake.take_batch, []

    def crash_on_third_chunk(session, batch, login):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        return real(session, batch, login)

    monkeypatch.setattr(import_jobs, "take_batch", crash_on_third_chunk)
    with pytest.raises(OperationalError):
        import_jobs.run_imports(db, chunk=3)
    halfway = job(db, job_id)
    assert (halfway.status, halfway.done, halfway.taken) == ("running", 6, 6) and messages(db) == 6
    import_jobs.run_imports(db, chunk=3)
    finished = job(db, job_id)
    assert (finished.status, finished.done, finished.taken, finished.duplicates) == ("done", 7, 7, 0)
    assert messages(db) == 7


def test_a_row_that_breaks_unexpectedly_is_its_own_error(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    job_id = upload(db, csv_bytes([row(1), row(2), row(3)]))
    real = intake.start_procedure  # what intake calls for each message, in a batch or alone

    def broken_second(session, message, *args, **kwargs):  # type: ignore[no-untyped-def]
        if message.source_id == "post-2":
            raise ValueError("a bug")
        return real(session, message, *args, **kwargs)

    monkeypatch.setattr(intake, "start_procedure", broken_second)
    import_jobs.run_imports(db)
    found = job(db, job_id)
    assert (found.status, found.taken, found.failed) == ("done", 2, 1) and messages(db) == 2
    with db.session(readonly=True) as session:
        error = session.scalars(select(ImportRowError)).one()
        assert (error.row, error.code) == (3, "unexpected") and "a bug" in error.args["error"]


def test_a_bad_file_fails_its_job_and_the_worker_goes_on(orenburg) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    bad = upload(db, b"PK\x03\x04 broken", "export.xlsx")
    headless = upload(db, csv_bytes([row(1)], header=("Ссылка", "Автор")))
    good = upload(db, csv_bytes([row(1)]))
    pauses: list[float] = []
    timers.run_worker(db, interval=1.0, should_stop=lambda: bool(pauses), sleep=pauses.append,
                      jobs=(("bulk imports", import_jobs.run_imports),))
    assert job(db, bad).status == "failed" and job(db, bad).reason == "not_xlsx"
    assert job(db, headless).reason == "missing_columns"
    with db.session(readonly=True) as session:
        assert str(view.job_status(session, headless, "curator").reason).startswith(
            "required columns are missing: text, posted_at")
    assert (job(db, good).status, job(db, good).taken) == ("done", 1)


def test_only_a_curator_of_the_territory_uploads_and_sees_a_job(orenburg) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    with db.session() as session, pytest.raises(Forbidden):
        import_jobs.create_job(session, "exec_orb_roads", "orenburg", "export.csv", csv_bytes([row(1)]))
    job_id = upload(db, csv_bytes([row(1)]))
    with db.session(readonly=True) as session:
        from engine.errors import NotFound
        with pytest.raises(NotFound):
            view.job_status(session, job_id, "exec_orb_roads")
        assert [j.id for j in view.recent_jobs(session, "curator")] == [job_id]


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("export.pdf", b"x", {"file": "kind"}), ("export.csv", b"", {"file": "empty"}),
])
def test_uploads_refused(orenburg, name: str, content: bytes, problem: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session, pytest.raises(InvalidSubmission) as refused:
        import_jobs.create_job(session, "curator", "orenburg", name, content)
    assert refused.value.errors == problem


def test_unfinished_jobs_per_uploader_are_bounded(orenburg) -> None:  # type: ignore[no-untyped-def]
    for _ in range(import_jobs.MAX_OPEN_JOBS):
        upload(orenburg.db, csv_bytes([row(1)]))
    with orenburg.db.session() as session, pytest.raises(InvalidSubmission) as refused:
        import_jobs.create_job(session, "curator", "orenburg", "export.csv", csv_bytes([row(1)]))
    assert refused.value.errors == {"jobs": "too_many_open"}


def test_deadlines_falling_due_during_a_long_import_are_fired_between_chunks(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = orenburg.db
    upload(db, csv_bytes([row(n) for n in range(1, 5)]))
    fired: list[object] = []
    monkeypatch.setattr(import_jobs, "TIMERS_EVERY", 0.0)
    monkeypatch.setattr(import_jobs, "fire_due_timers", fired.append)
    import_jobs.run_imports(db, chunk=1)
    assert len(fired) >= 4 and all(d is db for d in fired)  # after every chunk of one row
