"""How much one request may make the server read (little by default, more only where files go),
and the one character no request may carry (NUL).

Werkzeug parses an urlencoded body in one piece: MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS do not
apply to it, only MAX_CONTENT_LENGTH does. So the app-wide MAX_CONTENT_LENGTH is the limit of a
form without files (500 KB, web.config), and the few views that take files raise it for their
own request, and only for a multipart body sent by a signed-in official: multipart is parsed
incrementally, keeping the per-field and per-part limits, and an anonymous client never makes
the server read more than 500 KB (the CSRF check reads the form before any view runs, which is
why these limits are set in a before_request registered ahead of it).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, current_app, request
from flask_login import current_user

from engine.deployment import browser as browserdeploy


@dataclass(frozen=True)
class Uploads:
    """A view that takes files: its body may be MAX_UPLOAD_REQUEST_BYTES; ``field_bytes`` raises
    the limit of one form field (not file) where the view needs it."""

    field_bytes: int | None = None


# Every view whose request may be larger than a form. One place, so a review sees them all.
UPLOAD_VIEWS = {
    "messages.register": Uploads(),   # photos and videos of the message
    "tasks.task_page": Uploads(),     # files a task form asks for
    "deploy.check": Uploads(),        # .bpmn and .form files
    "imports.upload": Uploads(),      # a monitoring system's export (engine.runtime.import_file: 10 MiB)
    # The check page carries each checked file back in a hidden field (engine.deployment.browser.pack).
    "deploy.deploy": Uploads(field_bytes=browserdeploy.MAX_CARRIED_CHARS),
}


# The intake API's JSON body (web.api_v1): a batch of 500 long posts is larger than a form. Read by
# its view only after the caller is authenticated; config API_MAX_BODY_BYTES.
API_MAX_BODY_BYTES = 16_000_000


def _limits_for_this_request() -> None:
    if request.blueprint == "api_v1" and request.mimetype == "application/json":
        request.max_content_length = current_app.config.get("API_MAX_BODY_BYTES", API_MAX_BODY_BYTES)
        return
    uploads = UPLOAD_VIEWS.get(request.endpoint or "")
    if uploads is None or request.mimetype != "multipart/form-data" or not current_user.is_authenticated:
        return
    request.max_content_length = current_app.config["MAX_UPLOAD_REQUEST_BYTES"]
    if uploads.field_bytes is not None:
        request.max_form_memory_size = uploads.field_bytes


def _no_nul_characters() -> None:
    """400 for a NUL character anywhere in the path, the query or a form field (names too).
    No page needs one, and PostgreSQL refuses any string holding it: ``/tasks/a%00b`` or a login
    typed with one used to end in a 500 — for anyone, signed in or not."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        texts += [*request.form.keys(), *request.form.values(), *request.files.keys(),
                  *(f.filename or "" for f in request.files.values())]
    if any("\0" in text for text in texts):
        abort(400)


def register(app: Flask) -> None:
    """Call before csrf.init_app: the limits must be set before anything reads the form."""
    app.before_request(_limits_for_this_request)
    app.before_request(_no_nul_characters)
