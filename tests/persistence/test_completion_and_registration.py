"""The use cases the web views call: a task completed with uploads, a message registered with
its attachments (engine.runtime.completion, engine.runtime.registration) — one transaction
each, nothing kept when refused. SQLite and PostgreSQL."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.forms import parse_form
from engine.models import Attachment, Message, Task
from engine.runtime import claims
from engine.runtime.attachments import Upload
from engine.runtime.cases import MessageInput
from engine.runtime.completion import SubmissionRefused, complete_with_files, read_submission
from engine.runtime.registration import checked_files, register_with_attachments
from tests.scenario.driver import Case
from tests.scenario.test_orenburg import ROUTE

EXEC = "exec_orb_roads"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
MAX = 1024 * 1024


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploads"  # tmp_path also holds the SQLite database


def stored(directory: Path) -> list[Path]:
    return list(directory.iterdir()) if directory.exists() else []


def png(name: str = "yama.png") -> Upload:
    return Upload(name, "image/png", io.BytesIO(PNG))


@pytest.fixture
def draft(orenburg) -> Case:  # type: ignore[no-untyped-def]
    case = orenburg
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    return case


def test_uploads_become_the_filepicker_value_in_the_completing_transaction(draft, uploads) -> None:  # type: ignore[no-untyped-def]
    task = draft.task("draft_answer")
    with draft.db.session() as session:
        done = complete_with_files(session, task.id, EXEC, {"answer_kind": ["answer"], "answer_text": ["С фото"]},
                                   {"attachments": [png()]}, upload_dir=str(uploads), max_bytes=MAX)
        assert (done.id, done.status) == (task.id, "completed")
    with draft.db.session() as session:
        saved = session.scalars(select(Attachment)).one()
        assert (saved.filename, saved.task_id, saved.organisation_key) == ("yama.png", task.id, "orb_roads")
        assert (uploads / saved.stored_name).read_bytes() == PNG
    assert draft.open_elements() == ["approve_answer"]


def test_a_form_with_errors_is_refused_with_what_was_sent_and_stores_no_file(draft, uploads) -> None:  # type: ignore[no-untyped-def]
    task = draft.task("draft_answer")
    with pytest.raises(SubmissionRefused) as refused, draft.db.session() as session:
        complete_with_files(session, task.id, EXEC, {"answer_kind": ["answer"], "answer_text": [""]},
                            {"attachments": [png()]}, upload_dir=str(uploads), max_bytes=MAX)
    assert "answer_text" in refused.value.errors
    assert refused.value.submission.values["answer_kind"] == "answer"
    assert refused.value.files_lost == ["attachments"] and refused.value.kept_files == {"attachments": []}
    with draft.db.session() as session:
        assert session.scalars(select(Attachment)).all() == []
    assert stored(uploads) == []
    assert draft.task("draft_answer").id == task.id  # still open


def test_a_refused_upload_rolls_back_the_valid_one_too(draft, uploads) -> None:  # type: ignore[no-untyped-def]
    task = draft.task("draft_answer")
    bad = Upload("virus.exe", "image/png", io.BytesIO(b"MZ..."))
    with pytest.raises(SubmissionRefused) as refused, draft.db.session() as session:
        complete_with_files(session, task.id, EXEC, {"answer_kind": ["answer"], "answer_text": ["Текст"]},
                            {"attachments": [png("ok.png"), bad]}, upload_dir=str(uploads), max_bytes=MAX)
    # A text by code, in the reader's language: the suite pins English (the Russian one is in tests/web/test_messages.py).
    assert refused.value.errors["attachments"].startswith("File 'virus.exe' is not a photo or video")
    assert stored(uploads) == []  # the first, valid file is removed with the rollback


def test_someone_elses_claim_refuses_before_any_form_check(draft, uploads) -> None:  # type: ignore[no-untyped-def]
    task = draft.task("draft_answer")
    with draft.db.session() as session:
        other = session.get(Task, task.id)
        assert other is not None
        other.claimed_by = "someone_else"
    with pytest.raises(claims.ClaimedByOther), draft.db.session() as session:
        complete_with_files(session, task.id, EXEC, {}, {"attachments": [png()]}, upload_dir=str(uploads),
                            max_bytes=MAX)
    assert stored(uploads) == []


def test_a_submission_keeps_only_the_file_ids_the_case_holds_for_that_field() -> None:
    form = parse_form('{"id": "f", "type": "default", "components": ['
                      '{"id": "a", "type": "filepicker", "key": "files", "label": "Файлы", "multiple": true},'
                      '{"id": "b", "type": "checkbox", "key": "flag", "label": "Флажок"},'
                      '{"id": "c", "type": "checklist", "key": "items", "label": "Пункты",'
                      ' "values": [{"label": "1", "value": "one"}]},'
                      '{"id": "d", "type": "textfield", "key": "note", "label": "Заметка"},'
                      '{"id": "e", "type": "textfield", "key": "fixed", "label": "Нельзя", "readonly": true}]}', "f")
    sent = {"files": ["7", "999"], "flag": ["false"], "items": ["one"], "fixed": ["x"]}
    submission = read_submission(form, sent, {"files": [png(), Upload("", "", io.BytesIO())]}, {"files": [7, 8]})
    assert submission.values == {"files": ["7"], "flag": False, "items": ["one"], "note": None}
    assert [f.filename for f in submission.files["files"]] == ["yama.png"]  # a nameless input is no file
    assert read_submission(form, {"flag": ["on"]}, {}, {}).values["flag"] is True


# ---------------------------------------------------------------- registration

def message(case: Case, **changes: object) -> MessageInput:
    fields = {"region": "orenburg", "network": "vk", "url": "https://vk.com/wall-1_2", "author": "Иван Петров",
              "text": "Яма у школы", "posted_at": case.local("2025-11-10T09:40"),
              "detected_at": case.local("2025-11-10T10:00"), **changes}
    return MessageInput(**fields)  # type: ignore[arg-type]


def test_a_message_is_registered_with_its_files_for_the_curators_organisation(orenburg, uploads) -> None:  # type: ignore[no-untyped-def]
    orenburg.clock.set(orenburg.local("2025-11-10T10:05"))
    files, problems = checked_files([png(), Upload("", "", io.BytesIO()),
                                     Upload("notes.txt", "text/plain", io.BytesIO(b"hello"))], MAX)
    assert [f.filename for f in files] == ["yama.png"] and len(problems) == 1 and "notes.txt" in problems[0]
    with orenburg.db.session() as session:
        instance = register_with_attachments(session, message(orenburg), "curator", files,
                                             upload_dir=str(uploads), max_bytes=MAX)
        message_id = instance.message_id
    with orenburg.db.session() as session:
        saved = session.scalars(select(Attachment)).one()
        assert (saved.message_id, saved.organisation_key, saved.task_id) == (message_id, "orb_minpolicy", None)
    assert Path(uploads / saved.stored_name).is_file()


def test_a_refused_registration_stores_no_file(orenburg, uploads) -> None:  # type: ignore[no-untyped-def]
    from engine.errors import InvalidSubmission

    orenburg.clock.set(orenburg.local("2025-11-10T10:05"))
    files, _problems = checked_files([png()], MAX)
    with pytest.raises(InvalidSubmission), orenburg.db.session() as session:
        register_with_attachments(session, message(orenburg, author=" "), "curator", files,
                                  upload_dir=str(uploads), max_bytes=MAX)
    with orenburg.db.session() as session:
        assert session.scalars(select(Message)).all() == []
    assert stored(uploads) == []
