"""A bulk import as its pages show it (issue 17 §2): the uploader's recent jobs, a job's progress
and counts, its refused rows in words (row, column, what is wrong, what to do) and the same as a
downloadable CSV report.

Who sees a job: whoever may register messages in its territory (engine.directory.policy's
registration_regions), as who may upload there."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.directory.names import official_names
from engine.errors import NotFound
from engine.models import ImportJob, ImportRowError
from engine.runtime.import_jobs import reason_text
from engine.runtime.registration import registration_regions
from engine.texts import Text, render, t

PAGE_ERRORS = 200  # rows of errors a page shows; the report has them all
RECENT = 20


@dataclass(frozen=True)
class JobStatus:
    id: int
    region: str
    file_name: str
    uploaded_by: str
    uploader_name: str  # the official's full name: pages never show a login
    status: str
    status_text: Text
    total: int | None
    done: int
    taken: int
    duplicates: int
    failed: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    reason: Text | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def as_json(self) -> dict[str, object]:
        """What the page's progress poll reads (texts in the current language)."""
        return {"id": self.id, "status": self.status, "status_text": str(self.status_text), "total": self.total,
                "done": self.done, "taken": self.taken, "duplicates": self.duplicates, "failed": self.failed,
                "percent": self.percent, "finished": self.finished,
                "reason": str(self.reason) if self.reason is not None else None}


@dataclass(frozen=True)
class ErrorLine:
    row: int
    column: str
    value: str
    problem: Text
    fix: Text


@dataclass(frozen=True)
class JobPage:
    status: JobStatus
    errors: list[ErrorLine]
    error_count: int  # all the job's error lines (the page shows at most PAGE_ERRORS)


def _status(session: Session, job: ImportJob) -> JobStatus:
    name = official_names(session, [job.uploaded_by]).get(job.uploaded_by, job.uploaded_by)
    return JobStatus(id=job.id, region=job.region, file_name=job.file_name, uploaded_by=job.uploaded_by,
                     uploader_name=name,
                     status=job.status, status_text=t(f"imports.status.{job.status}"), total=job.total, done=job.done,
                     taken=job.taken, duplicates=job.duplicates, failed=job.failed, created_at=job.created_at,
                     started_at=job.started_at, finished_at=job.finished_at, reason=reason_text(job))


def _visible(session: Session, job_id: int, login: str) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.region not in registration_regions(session, login):
        raise NotFound(t("imports.not_found", id=job_id))
    return job


def job_status(session: Session, job_id: int, login: str) -> JobStatus:
    """A job's progress; NotFound when there is none or ``login`` may not register in its territory."""
    return _status(session, _visible(session, job_id, login))


def recent_jobs(session: Session, login: str) -> list[JobStatus]:
    """The newest jobs of the territories ``login`` may import into."""
    regions = registration_regions(session, login)
    jobs = session.scalars(select(ImportJob).where(ImportJob.region.in_(regions)).order_by(ImportJob.id.desc())
                           .limit(RECENT))
    return [_status(session, job) for job in jobs]


def _line(error: ImportRowError) -> ErrorLine:
    args = dict(error.args or {})
    region = args.get("region")
    if region is not None:
        args["region"] = REGIONS[region].display_name if region in REGIONS else region
    return ErrorLine(row=error.row, column=error.column or "", value=str(args.pop("value", "")),
                     problem=t(f"imports.row.{error.code}", **args), fix=t(f"imports.fix.{error.code}"))


def job_page(session: Session, job_id: int, login: str, limit: int = PAGE_ERRORS) -> JobPage:
    """A job's progress and its first ``limit`` refused rows in words."""
    job = _visible(session, job_id, login)
    errors = session.scalars(select(ImportRowError).where(ImportRowError.job_id == job_id)
                             .order_by(ImportRowError.row, ImportRowError.id).limit(limit))
    count = session.scalar(select(func.count()).select_from(ImportRowError).where(ImportRowError.job_id == job_id))
    return JobPage(status=_status(session, job), errors=[_line(error) for error in errors], error_count=count or 0)


def _cell(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: an export's text must stay text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def error_report(session: Session, job_id: int, login: str) -> bytes:
    """Every refused row of the job as CSV (UTF-8 with a BOM, ``;``: what Excel opens in Russia)."""
    job = _visible(session, job_id, login)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([render(t(f"imports.report.{name}")) for name in ("row", "column", "value", "problem", "fix")])
    for error in session.scalars(select(ImportRowError).where(ImportRowError.job_id == job.id)
                                 .order_by(ImportRowError.row, ImportRowError.id)):
        line = _line(error)
        writer.writerow([str(line.row), _cell(line.column), _cell(line.value), _cell(str(line.problem)),
                         _cell(str(line.fix))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
