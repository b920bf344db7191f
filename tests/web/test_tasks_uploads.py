"""File uploads on task forms and the form renderer on every component type through the Flask test client (Orenburg, virtual clock).

The case starts Monday 2025-11-10: posted 09:40, detected 10:00 Asia/Yekaterinburg; routing is due 10:30.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from flask import Flask, render_template_string
from sqlalchemy import select

from engine import texts
from engine.forms import parse_form
from engine.models import Task
from tests.web import tasks_support
from tests.web.tasks_support import EXEC, client_as, complete, routed, task_of, text_of

password_hash = tasks_support.password_hash  # fixtures shared by the test_tasks_* modules
tasks_app = tasks_support.tasks_app


# ---------------------------------------------------------------- uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def draft_task(app: Flask) -> Task:
    routed(app)
    complete(app, "accept_message", EXEC, {"competent": True})
    return task_of(app, "draft_answer")


def case_value(app: Flask, name: str) -> Any:
    from engine.models import Instance
    from engine.runtime import store
    from engine.spiff.script_engine import case_variables

    with app.extensions["otklik_db"].session() as session:
        instance = session.scalars(select(Instance)).one()
        return case_variables(store.load(session, instance)).get(name)


def test_uploaded_files_become_the_filepicker_value_and_are_kept_on_rework(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Attachment

    task = draft_task(tasks_app)
    client = client_as(tasks_app, EXEC)
    response = client.post(f"/tasks/{task.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "С фото", "attachments": [(io.BytesIO(PNG), "yama.png", "image/png")]})
    assert response.status_code == 303, text_of(response)
    with tasks_app.extensions["otklik_db"].session() as session:
        saved = session.scalars(select(Attachment)).one()
        assert (saved.filename, saved.task_id, saved.organisation_key) == ("yama.png", task.id, "orb_roads")
    assert case_value(tasks_app, "attachments") == [str(saved.id)]
    approve = text_of(client_as(tasks_app, "curator").get(f"/tasks/{task_of(tasks_app, 'approve_answer').id}"))
    assert f'<a href="/attachments/{saved.id}">yama.png</a>' in approve

    complete(tasks_app, "approve_answer", "curator", {"decision": "rework", "comment": "Короче"})
    rework = task_of(tasks_app, "rework_answer")
    page = text_of(client.get(f"/tasks/{rework.id}"))
    assert f'name="attachments" value="{saved.id}" checked> Оставить файл «yama.png»' in page
    # The kept file stays; an id the case never held (another message's file, say) is dropped.
    response = client.post(f"/tasks/{rework.id}", data={"answer_kind": "answer", "answer_text": "Короче",
                                                        "attachments": [str(saved.id), "999"]})
    assert response.status_code == 303
    assert case_value(tasks_app, "attachments") == [str(saved.id)]


def test_a_rejected_upload_is_reported_beside_the_field_and_nothing_is_stored(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Attachment

    task = draft_task(tasks_app)
    response = client_as(tasks_app, EXEC).post(f"/tasks/{task.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "Текст сохранится",
        "attachments": [(io.BytesIO(PNG), "ok.png", "image/png"), (io.BytesIO(b"MZ..."), "virus.exe", "image/png")]})
    page = text_of(response)
    assert response.status_code == 422
    assert 'id="field-field_attachments-error">Файл «virus.exe» не является фото или видео' in page
    assert ">Текст сохранится</textarea>" in page and "выберите их ещё раз" in page
    with tasks_app.extensions["otklik_db"].session() as session:
        assert session.scalars(select(Attachment)).all() == []
    assert list(Path(tasks_app.config["UPLOAD_DIR"]).glob("*")) == []  # the first, valid file is removed too
    assert task_of(tasks_app, "draft_answer").id == task.id


def test_a_form_with_errors_stores_no_upload(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Attachment

    task = draft_task(tasks_app)
    response = client_as(tasks_app, EXEC).post(f"/tasks/{task.id}", content_type="multipart/form-data", data={
        "answer_kind": "answer", "answer_text": "", "attachments": [(io.BytesIO(PNG), "ok.png", "image/png")]})
    assert response.status_code == 422
    with tasks_app.extensions["otklik_db"].session() as session:
        assert session.scalars(select(Attachment)).all() == []


# ---------------------------------------------------------------- the renderer on every component type

FORM = {
    "id": "everything", "type": "default", "components": [
        {"id": "intro", "type": "text", "text": "Первый абзац <b>жирный</b>\n\nВторой абзац"},
        {"id": "box", "type": "group", "label": "Группа", "components": [
            {"id": "f_when", "type": "datetime", "key": "when", "subtype": "datetime", "dateLabel": "Когда"},
            {"id": "f_day", "type": "datetime", "key": "day", "subtype": "date", "label": "День"},
            {"id": "f_items", "type": "checklist", "key": "items", "label": "Пункты",
             "values": [{"label": "Один", "value": "one"}, {"label": "Два", "value": "two"}]},
        ]},
        {"id": "f_count", "type": "number", "key": "count", "label": "Сколько", "decimalDigits": 0,
         "validate": {"min": 1, "max": 3, "required": True}},
        {"id": "f_flag", "type": "checkbox", "key": "flag", "label": "Флажок"},
        {"id": "f_files", "type": "filepicker", "key": "files", "label": "Файлы", "accept": ".pdf", "multiple": True},
        {"id": "f_note", "type": "textarea", "key": "note", "label": "Заметка", "readonly": True},
        {"id": "hidden_text", "type": "text", "text": "Только без флажка", "conditional": {"hide": "=flag"}},
    ]}


def test_renderer_draws_every_supported_component(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.runtime.task_forms import Option, hidden_components
    from web import form_render

    form = parse_form(json.dumps(FORM))
    values = {"when": "2025-11-10T14:30:00", "day": "2025-11-10", "items": ["two"], "count": 2, "flag": True,
              "files": ["7"], "note": "только чтение"}
    options = {"items": (Option("one", "Один"), Option("two", "Два"))}
    hidden = hidden_components(form, values)
    assert hidden == {"hidden_text"}
    with tasks_app.test_request_context(), texts.language("ru"):  # the request's locale (set by web/__init__.py)
        widgets = form_render.build(form, values, options, hidden, {"count": texts.t("forms.above_maximum", bound=3)})
        html = render_template_string('{% from "forms/fields.html" import widgets %}{{ widgets(ws) }}', ws=widgets)
    assert "<p>Первый абзац &lt;b&gt;жирный&lt;/b&gt;</p>" in html and "<p>Второй абзац</p>" in html
    assert '<fieldset class="form-group" data-component="box">' in html and "<legend>Группа</legend>" in html
    assert 'type="datetime-local" value="2025-11-10T14:30"' in html and 'type="date" value="2025-11-10"' in html
    assert re.search(r'name="items" value="two"\s+checked', html)
    assert re.search(r'type="number" value="2" inputmode="decimal" step="1" min="1" max="3"', html)
    assert "Не больше 3" in html and "autofocus" in html
    assert 'name="flag" value="true" checked' in html
    assert 'type="file" accept=".pdf" multiple' in html and 'name="files" value="7" checked' in html
    assert re.search(r'name="note"[^>]*disabled', html)
    assert re.search(r'data-component="hidden_text" data-hide-if="=flag" hidden', html)


def test_error_messages_are_shown_in_the_request_language(tasks_app) -> None:  # type: ignore[no-untyped-def]
    """The engine's field errors are Texts: the page shows them in its locale, Russian by default."""
    from web import form_render

    form = parse_form(json.dumps({"id": "f", "components": [
        {"id": "a", "type": "textfield", "key": "a"}, {"id": "b", "type": "number", "key": "b"},
        {"id": "c", "type": "textfield", "key": "c"}]}))
    errors = {"a": texts.t("forms.too_long", limit=2000), "b": texts.t("forms.below_minimum", bound=5),
              "c": "something new"}  # a plain message (not a Text) is shown as it is
    for language, expected in (("ru", ["Не более 2000 символов", "Не меньше 5", "something new"]),
                               ("en", ["must be at most 2000 characters", "must be at least 5", "something new"])):
        with tasks_app.test_request_context(), texts.language(language):
            widgets = form_render.build(form, {}, {}, frozenset(), errors)
        assert [w.error for w in widgets] == expected
