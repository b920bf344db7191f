"""engine.runtime.intake_files on every backend: an inline file stored with its message in the
caller's transaction, removed from disk when that transaction rolls back, never stored twice."""
from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from engine.errors import InvalidSubmission
from engine.models import Attachment
from engine.runtime import intake_files
from tests.persistence.test_intake import incoming

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def with_png(source_id: str = "post-1") -> intake_files.WithFiles:
    return intake_files.WithFiles(incoming(source_id), (intake_files.InlineFile(
        "photo", "image/png", base64.b64encode(PNG).decode()),))


def test_stored_once_with_its_message_and_removed_on_rollback(orenburg, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = intake_files.FileStore(str(tmp_path / "files"), 1000)
    with orenburg.db.session() as session:
        [taken] = intake_files.take_batch(session, [with_png()], "curator", store)
    with orenburg.db.session() as session:
        [row] = session.scalars(select(Attachment)).all()
        assert (row.message_id, row.filename, row.size) == (taken.message_id, "photo.png", len(PNG))  # type: ignore[union-attr]
        again = intake_files.take_batch(session, [with_png()], "curator", store)
        assert again[0].created is False  # type: ignore[union-attr]
        assert len(session.scalars(select(Attachment)).all()) == 1
    assert len(list((tmp_path / "files").iterdir())) == 1
    with pytest.raises(RuntimeError), orenburg.db.session() as session:
        intake_files.take_batch(session, [with_png("post-2")], "curator", store)
        assert len(list((tmp_path / "files").iterdir())) == 2
        raise RuntimeError("the request failed after the files were written")
    assert len(list((tmp_path / "files").iterdir())) == 1


def test_a_bad_file_refuses_only_its_message(orenburg, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = intake_files.FileStore(str(tmp_path), 1000)
    bad = intake_files.WithFiles(incoming("bad"), (intake_files.InlineFile("x", "image/png", "!!"),))
    with orenburg.db.session() as session:
        results = intake_files.take_batch(session, [bad, with_png("good")], "curator", store)
    assert isinstance(results[0], InvalidSubmission) and results[0].errors == {"attachments": "bad_base64"}
    assert results[1].created is True  # type: ignore[union-attr]
