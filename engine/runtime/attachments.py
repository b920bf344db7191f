"""Photos and videos of messages and answers (Orenburg п. 16): checked, stored, opened.

A file is accepted only when its first bytes say it is an image (JPEG, PNG, GIF, WebP) or a
video (MP4, WebM, QuickTime); the type the browser declared is not trusted. On disk it gets
a random name under the upload directory, so nothing the user typed ever becomes a path.
Who may open a file is decided by who may see its message (engine.directory.policy.can_see_message).
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session

from engine import clock
from engine.db.audit import record
from engine.directory.policy import can_see_message
from engine.errors import NotFound
from engine.models import Attachment, Message
from engine.settings import settings
from engine.texts import Text, t

MAX_FILENAME = 200


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]  # the first one is added when the name has none of them


@dataclass(frozen=True)
class Upload:
    """A file as a request brought it, before any check: the web app hands these to the engine
    so no web type (werkzeug's FileStorage) crosses the boundary."""

    filename: str
    content_type: str  # as the browser declared it; never trusted (see check_upload)
    stream: BinaryIO


def read_upload(upload: Upload, max_bytes: int) -> bytes:
    """The file's bytes, at most one more than ``max_bytes``: enough for check_upload to say
    "too large" without reading a huge file whole."""
    return upload.stream.read(max_bytes + 1)


KINDS = {
    "image/jpeg": FileKind("image/jpeg", (".jpg", ".jpeg", ".jpe")),
    "image/png": FileKind("image/png", (".png",)),
    "image/gif": FileKind("image/gif", (".gif",)),
    "image/webp": FileKind("image/webp", (".webp",)),
    "video/mp4": FileKind("video/mp4", (".mp4", ".m4v")),
    "video/webm": FileKind("video/webm", (".webm",)),
    "video/quicktime": FileKind("video/quicktime", (".mov", ".qt")),
}
# What browsers and phones declare for the same files; anything else declared is refused.
_DECLARED_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "video/x-m4v": "video/mp4",
                     "video/x-quicktime": "video/quicktime"}
_GENERIC = {"", "application/octet-stream", "binary/octet-stream"}
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
# ISO media brands of videos; "ftyp" alone would also let in HEIC/AVIF photos and M4A audio.
_VIDEO_BRANDS = (b"iso", b"mp4", b"mp7", b"avc", b"3gp", b"3g2", b"M4V", b"dash", b"mmp4", b"f4v", b"MSNV", b"XAVC")


def sniff(data: bytes) -> str | None:
    """The content type the bytes themselves announce, among the accepted ones; else None."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        return "video/mp4" if brand.startswith(_VIDEO_BRANDS) else None
    if data[4:8] in _QUICKTIME_ATOMS:
        return "video/quicktime"
    if data[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in data[:64]:  # EBML header with DocType webm
        return "video/webm"
    return None


def check_upload(data: bytes, filename: str, content_type: str, max_bytes: int) -> str:
    """The real content type of an acceptable file; ValueError (one line, for people) otherwise."""
    shown = display_name(filename)
    if not data:
        raise ValueError(t("runtime.file_empty", name=shown))
    if len(data) > max_bytes:
        raise ValueError(t("runtime.file_too_large", name=shown, size=_megabytes(max_bytes)))
    detected = sniff(data)
    if detected is None:
        raise ValueError(t("runtime.file_not_media", name=shown))
    declared = (content_type or "").split(";")[0].strip().lower()
    declared = _DECLARED_ALIASES.get(declared, declared)
    if declared not in _GENERIC and declared not in KINDS:
        raise ValueError(t("runtime.file_declared", name=shown, declared=declared))
    return detected


def display_name(filename: str, content_type: str | None = None) -> str:
    """The name shown and offered on download: no path, no control or direction-override
    characters, bounded length, and (when the type is known) an extension that matches it."""
    name = unicodedata.normalize("NFC", filename or "")
    name = "".join("_" if ch in "/\\" or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
                   for ch in name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip() or "файл"
    stem, ext = os.path.splitext(name)
    if content_type in KINDS and ext.lower() not in KINDS[content_type].extensions:
        stem, ext = name, KINDS[content_type].extensions[0]  # "photo.exe" of PNG bytes → "photo.exe.png"
    if len(ext) > 16:
        stem, ext = name, ""
    return stem[: MAX_FILENAME - len(ext)] + ext


def default_upload_dir() -> Path:
    """Where uploads go when the caller does not say (the web app's default, too)."""
    return settings().upload_dir


def save_attachment(session: Session, *, data: bytes, filename: str, content_type: str, message_id: int,
                    uploaded_by: str, organisation_key: str | None, upload_dir: str, max_bytes: int,
                    task_id: str | None = None) -> Attachment:
    """Check and store one file for a message (and, optionally, the task it answers).

    Raises ValueError for an empty, oversized or non-photo/video file, NotFound for an unknown
    message. The file is removed again if the transaction rolls back.
    """
    real_type = check_upload(data, filename, content_type, max_bytes)
    if session.get(Message, message_id) is None:
        raise NotFound(t("runtime.message_missing", id=message_id))
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = uuid.uuid4().hex
    path = directory / stored_name
    with open(path, "xb") as handle:  # "x": never overwrite
        handle.write(data)
    _delete_on_rollback(session, path)
    now = clock.now()
    row = Attachment(
        message_id=message_id, task_id=task_id, filename=display_name(filename, real_type),
        stored_name=stored_name, content_type=real_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), organisation_key=organisation_key,
        uploaded_by=uploaded_by, uploaded_at=now,
    )
    session.add(row)
    session.flush()
    record(session, "attached", actor=uploaded_by, at=now, message_id=message_id,
           details={"attachment_id": row.id, "filename": row.filename, "content_type": real_type,
                    "size": row.size, "task_id": task_id, "organisation": organisation_key})
    return row


def open_attachment(session: Session, attachment_id: int, login: str,
                    *, upload_dir: str | None = None) -> tuple[Attachment, Path]:
    """The attachment and its file, if ``login`` may see its message.

    NotFound both when it does not exist and when it is not visible, so guessing ids tells
    nothing about other agencies' cases.
    """
    row = session.get(Attachment, attachment_id)
    if row is None or not can_see_message(session, row.message_id, login):
        raise NotFound(t("runtime.attachment_missing", id=attachment_id))
    path = Path(upload_dir) if upload_dir else default_upload_dir()
    path = path / row.stored_name
    if not path.is_file():
        raise NotFound(t("runtime.attachment_file_missing", id=attachment_id))
    return row, path


def _delete_on_rollback(session: Session, path: Path) -> None:
    # A file written for a row that is never committed would be an orphan nobody can reach.
    state = {"done": False}

    def rolled_back(_session: Session) -> None:
        if not state["done"]:
            state["done"] = True
            path.unlink(missing_ok=True)

    def committed(_session: Session) -> None:
        state["done"] = True

    event.listen(session, "after_rollback", rolled_back)
    event.listen(session, "after_commit", committed)


def _megabytes(size: int) -> Text:
    if size >= 1024 * 1024:
        return t("runtime.size_mb", size=f"{size / (1024 * 1024):.0f}")
    return t("runtime.size_bytes", size=size)
