"""Completing a task from its page: what the form sent, the files it brought, one transaction.

The order is the rule: the submission is checked first with placeholders for the new files, so
a form with a typo stores no upload; then each file is checked and stored; then the task is
completed. Anything refused raises :class:`SubmissionRefused` and the caller's unit of work
rolls back — stored files are deleted with it (engine.runtime.attachments).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from engine.errors import InvalidSubmission
from engine.forms import FormDefinition
from engine.models import Task
from engine.runtime import cases, claims
from engine.runtime import task_forms as taskform
from engine.runtime.attachments import Upload, read_upload, save_attachment
from engine.runtime.next_step import NextStep, next_steps
from engine.texts import Text


@dataclass
class Submission:
    values: dict[str, Any]  # field key → what the form sent (files: ids kept from the case)
    files: dict[str, list[Upload]]  # filepicker key → newly uploaded files


class SubmissionRefused(InvalidSubmission):
    """InvalidSubmission that keeps what was sent, so the page can show it again."""

    def __init__(self, errors: Mapping[str, str | Text], submission: Submission) -> None:
        super().__init__(errors)
        self.submission = submission

    @property
    def kept_files(self) -> dict[str, list[str]]:
        """Filepicker key → ids of files the case already held and the form kept."""
        return {k: v for k, v in self.submission.values.items() if k in self.submission.files}

    @property
    def files_lost(self) -> list[str]:
        """Filepicker keys whose new files were not stored and must be chosen again."""
        return [k for k, files in self.submission.files.items() if files]


def read_submission(form: FormDefinition, fields: Mapping[str, Sequence[str]],
                    files: Mapping[str, Sequence[Upload]], current_files: Mapping[str, Any]) -> Submission:
    """What the browser sent (``fields``: every value per name), per field: lists for checklist and
    filepicker, a ticked checkbox as True, the first value otherwise (None when not sent).

    A filepicker keeps only attachment ids the case already holds for that field (``current_files``);
    any other id a crafted request sends is dropped, so a form cannot point at someone else's file."""
    values: dict[str, Any] = {}
    uploads: dict[str, list[Upload]] = {}
    for item in form.fields:
        if item.readonly:
            continue
        sent = list(fields.get(item.key, ()))
        if item.type == "checklist":
            values[item.key] = sent
        elif item.type == "checkbox":
            values[item.key] = bool(sent) and sent[0] not in ("false", "0")
        elif item.type == "filepicker":
            current = current_files.get(item.key)
            held = {str(v) for v in current} if isinstance(current, list) else set()
            values[item.key] = [v for v in sent if v in held]
            uploads[item.key] = [f for f in files.get(item.key, ()) if f.filename]
        else:
            values[item.key] = sent[0] if sent else None  # no radio chosen: empty
    return Submission(values, uploads)


@dataclass(frozen=True)
class Completed:
    """What a completion did, as the page says it: the step, the options chosen, what comes next."""

    task: Task
    chosen: tuple[str, ...]  # labels of the options chosen in the form's deciding fields
    next_steps: tuple[NextStep, ...]  # the case's open tasks now, the person's own first


def complete_from_page(session: Session, task_id: str, login: str, fields: Mapping[str, Sequence[str]],
                       files: Mapping[str, Sequence[Upload]], *, upload_dir: str, max_bytes: int) -> Completed:
    """``complete_with_files`` with what the page tells the person afterwards."""
    view = taskform.open_task_form(session, task_id, login)
    task = _complete(session, view, login, fields, files, upload_dir=upload_dir, max_bytes=max_bytes)
    sent = {key: values[0] for key, values in fields.items() if values}
    chosen = taskform.chosen_labels(view.form, view.options, sent) if view.form else ()
    return Completed(task, chosen, tuple(next_steps(session, task.message_id, login)))


def complete_with_files(session: Session, task_id: str, login: str, fields: Mapping[str, Sequence[str]],
                        files: Mapping[str, Sequence[Upload]], *, upload_dir: str, max_bytes: int) -> Task:
    """Read the submission, store its uploads, complete the task; the completed task.

    Raises ClaimedByOther (someone else's claim: before any form check), Conflict/NotFound/
    Forbidden as the task page does, or SubmissionRefused (nothing may be kept: roll back)."""
    view = taskform.open_task_form(session, task_id, login)  # the form the task page shows
    return _complete(session, view, login, fields, files, upload_dir=upload_dir, max_bytes=max_bytes)


def _complete(session: Session, view: taskform.OpenTaskForm, login: str, fields: Mapping[str, Sequence[str]],
              files: Mapping[str, Sequence[Upload]], *, upload_dir: str, max_bytes: int) -> Task:
    submission = read_submission(view.form, fields, files, view.values) if view.form else Submission({}, {})
    claims.ensure_may_complete(view.task, login)
    try:
        values = dict(submission.values)
        # Placeholders for the new files: the form's own rules (required, how many) see them.
        pending = {key: [*values.get(key, []), *(f"upload-{i}" for i in range(len(new)))]
                   for key, new in submission.files.items()}
        taskform.check_submission(session, view, {**values, **pending})
        for key, new in submission.files.items():
            if new:
                values[key] = [*values.get(key, []), *_save(session, view, key, new, login, upload_dir, max_bytes)]
        return cases.complete_task(session, view.task.id, login, values)
    except InvalidSubmission as error:
        raise SubmissionRefused(error.errors, submission) from None


def _save(session: Session, view: taskform.OpenTaskForm, key: str, files: Sequence[Upload], login: str,
          upload_dir: str, max_bytes: int) -> list[str]:
    ids = []
    for upload in files:
        try:
            saved = save_attachment(
                session, data=read_upload(upload, max_bytes), filename=upload.filename or "file",
                content_type=upload.content_type, message_id=view.task.message_id, uploaded_by=login,
                organisation_key=view.task.organisation_key, upload_dir=upload_dir, max_bytes=max_bytes,
                task_id=view.task.id)
        except ValueError as error:  # empty, too large, not a photo or video (the text names the file)
            raise InvalidSubmission({key: str(error)}) from None
        ids.append(str(saved.id))
    return ids
