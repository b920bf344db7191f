"""Files a monitoring system sends inline with a message (the intake API, issue 17 §2): decoded
from base64, checked exactly as the browser's uploads are (engine.runtime.attachments: the bytes
must be a photo or a video, the declared type an accepted one, the size within the upload limit)
and stored the same way — a random name under the upload directory, an ``attachment`` row, the
file removed again if the transaction rolls back.

Bounded three ways: a file's size (the upload limit), the files of one message
(:data:`MAX_FILES_PER_MESSAGE`) and the decoded bytes of one request (:data:`MAX_REQUEST_BYTES`;
the request's body limit comes first). A message whose file is refused is refused whole (field
``attachments``), so nothing is taken without the files its sender meant it to have; the other
messages of a batch are still taken. A message sent again (the same source and source_id) finds
the first and stores nothing a second time.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.directory.officials import roles_of
from engine.errors import InvalidSubmission, OtklikError
from engine.runtime import intake
from engine.runtime.attachments import check_upload, save_attachment
from engine.runtime.registration import CheckedFile
from engine.texts import Text

MAX_FILES_PER_MESSAGE = 5
MAX_REQUEST_BYTES = 12 * 1024 * 1024  # decoded, all the messages of one request together
MAX_NAME = 200
MAX_CONTENT_TYPE = 100
# check_upload's refusals → the API's field codes (engine/texts/integrations.py).
_CODES = {"runtime.file_empty": "file_empty", "runtime.file_too_large": "file_too_large",
          "runtime.file_not_media": "not_media", "runtime.file_declared": "file_declared"}


@dataclass(frozen=True)
class InlineFile:
    """A file as the request carries it, before any check."""

    name: str
    content_type: str
    data_base64: str


@dataclass(frozen=True)
class FileStore:
    """Where files go and how large one may be: the web app's UPLOAD_DIR and MAX_UPLOAD_BYTES."""

    upload_dir: str
    max_bytes: int


@dataclass(frozen=True)
class WithFiles:
    """A message and the files sent inline with it."""

    incoming: intake.Incoming
    files: tuple[InlineFile, ...] = ()


def take_batch(session: Session, batch: list[WithFiles | OtklikError], login: str,
               store: FileStore) -> list[intake.Taken | OtklikError]:
    """:func:`engine.runtime.intake.take_batch`, the inline files checked first (a message with a
    refused file, or past the request's budget, is refused: InvalidSubmission on ``attachments``)
    and stored with each message taken anew, in the caller's one transaction."""
    budget = MAX_REQUEST_BYTES
    prepared: list[intake.Incoming | OtklikError] = []
    checked: list[tuple[CheckedFile, ...]] = []
    for item in batch:
        files: tuple[CheckedFile, ...] = ()
        if isinstance(item, OtklikError):
            prepared.append(item)
        else:
            try:
                files = _checked(item.files, store.max_bytes)
                size = sum(len(file.data) for file in files)
                if size > budget:
                    raise InvalidSubmission({"attachments": "files_total"})
                budget -= size
                prepared.append(item.incoming)
            except InvalidSubmission as refused:
                prepared.append(refused)
                files = ()
        checked.append(files)
    results = intake.take_batch(session, prepared, login)
    for result, files in zip(results, checked, strict=True):
        if isinstance(result, intake.Taken) and result.created and files:
            _store(session, result, files, login, store)
    return results


def _checked(files: tuple[InlineFile, ...], max_bytes: int) -> tuple[CheckedFile, ...]:
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise InvalidSubmission({"attachments": "too_many"})
    checked = []
    for file in files:
        if len(file.name) > MAX_NAME or len(file.content_type) > MAX_CONTENT_TYPE:
            raise InvalidSubmission({"attachments": "too_long"})
        if "\0" in file.name + file.content_type:
            raise InvalidSubmission({"attachments": "bad_character"})
        # Four characters carry three bytes: a longer text cannot decode within the limit.
        if len(file.data_base64) > (max_bytes + 2) // 3 * 4 + 4:
            raise InvalidSubmission({"attachments": "file_too_large"})
        try:
            data = base64.b64decode(file.data_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidSubmission({"attachments": "bad_base64"}) from None
        try:
            check_upload(data, file.name, file.content_type, max_bytes)
        except ValueError as refused:
            code = refused.args[0].code if refused.args and isinstance(refused.args[0], Text) else ""
            raise InvalidSubmission({"attachments": _CODES.get(code, "not_media")}) from None
        checked.append(CheckedFile(file.name, file.content_type, data))
    return tuple(checked)


def _store(session: Session, taken: intake.Taken, files: tuple[CheckedFile, ...], login: str,
           store: FileStore) -> None:
    # The files belong to the curator's organisation in the territory, as the browser's do.
    organisation = next((r.organisation_key for r in roles_of(session, login)
                         if r.role == "curator" and r.region == taken.region), None)
    for file in files:
        save_attachment(session, data=file.data, filename=file.filename, content_type=file.content_type,
                        message_id=taken.message_id, uploaded_by=login, organisation_key=organisation,
                        upload_dir=store.upload_dir, max_bytes=store.max_bytes)
