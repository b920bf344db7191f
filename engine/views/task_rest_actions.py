"""Camunda 7's task REST, acting side: ``POST /engine-rest/task/{id}/claim``, ``/unclaim`` and
``/complete`` (issue 17). Each is the task page's own action: claims.claim, claims.unclaim and
completion.complete_with_files, so who may claim, release and complete, and what a form accepts,
is decided by the code the web pages run — this module only turns Camunda's typed variables into
what a browser sends for the same form.

Completing: a variable the request leaves out is sent as the form starts it (what
``form-variables`` shows: the case's value, the field's default) — as a browser submits a field
nobody touched. Variables the form does not have, read-only fields, values of the wrong type and
file ids the case does not hold are refused, never dropped; new files cannot be sent this way.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine.errors import Forbidden, InvalidSubmission
from engine.forms import Field
from engine.runtime import claims, completion
from engine.runtime import task_forms as taskform
from engine.texts import Text, t
from engine.views.task_rest import MAX_LIST_VALUES, variable_type

MAX_VARIABLES = 100
MAX_JSON_CHARS = 100_000
CLAIM_EXAMPLE = '{"userId": "<login>"}'
COMPLETE_EXAMPLE = '{"variables": {"<field>": {"value": "…", "type": "String"}}}'


class BadBody(ValueError):
    """The body is not what the call takes; ``example`` shows what it does."""

    def __init__(self, example: str, problem: Text | None = None) -> None:
        super().__init__(example)
        self.example, self.problem = example, problem

    @property
    def text(self) -> Text:
        return self.problem or t("task_rest.bad_body", example=self.example)


def claim_task(session: Session, task_id: str, login: str, body: Any) -> None:
    """Claim for oneself: ``{"userId": login}`` (or no userId). Otklik never assigns a task to
    someone else; the rest is claims.claim (Forbidden, NotFound, Conflict, ClaimedByOther)."""
    if body is not None and not isinstance(body, dict):
        raise BadBody(CLAIM_EXAMPLE)
    user = (body or {}).get("userId")
    if user is not None and user != login:
        raise Forbidden(t("task_rest.other_user", login=login))
    claims.claim(session, task_id, login)


def unclaim_task(session: Session, task_id: str, login: str) -> None:
    claims.unclaim(session, task_id, login)


def _variables(body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadBody(COMPLETE_EXAMPLE)
    if body.get("withVariablesInReturn") is True:
        raise BadBody(COMPLETE_EXAMPLE, t("task_rest.variables_in_return"))
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise BadBody(COMPLETE_EXAMPLE)
    if len(variables) > MAX_VARIABLES:
        raise BadBody(COMPLETE_EXAMPLE, t("task_rest.too_many_variables", limit=MAX_VARIABLES))
    return variables


def _expected(kind: str) -> Text:
    expected = t("task_rest.expected.list", limit=MAX_LIST_VALUES) if kind == "Json" else \
        t("task_rest.expected." + {"Boolean": "boolean", "Long": "number", "Double": "number"}.get(kind, "string"))
    return t("task_rest.expected", expected=expected)


def _strings(field: Field, value: Any) -> list[str] | None:
    """A value (typed variable's or the form's starting one) as the browser's strings; None: wrong type."""
    kind = variable_type(field)
    if value is None:
        return []
    if kind == "Json":
        if isinstance(value, str) and len(value) <= MAX_JSON_CHARS:
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                return None
        ok = isinstance(value, list) and len(value) <= MAX_LIST_VALUES and all(isinstance(v, str) for v in value)
        return list(value) if ok else None
    if kind == "Boolean":
        if isinstance(value, bool):
            return ["true" if value else "false"]
        return [value] if value in ("true", "false") else None
    if kind in ("Long", "Double"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [str(value)]
        return [value] if isinstance(value, str) else None
    return [value] if isinstance(value, str) else None


def _typed_value(typed: Any) -> tuple[Any, bool]:
    """A Camunda typed variable's value; False when it is not ``{"value": …, "type": …}``."""
    if not isinstance(typed, dict):
        return None, False
    return typed.get("value"), True


def fields_from_variables(opened: taskform.OpenTaskForm,
                          variables: Mapping[str, Any]) -> tuple[dict[str, list[str]], dict[str, Text | str]]:
    """What a browser would send for the form (field key → its strings) and the problems."""
    form = opened.form
    fields: dict[str, list[str]] = {}
    problems: dict[str, Text | str] = {}
    known = {f.key: f for f in form.fields} if form else {}
    for name in variables:
        if name not in known:
            problems[str(name)[:200]] = t("task_rest.unknown_variable",
                                          names=", ".join(k for k, f in known.items() if not f.readonly) or "—")
        elif known[name].readonly:
            problems[name] = t("task_rest.readonly_variable")
    for key, field in known.items():
        if field.readonly or key in problems:
            continue
        value, ok = _typed_value(variables[key]) if key in variables else (opened.values.get(key), True)
        sent = _strings(field, value) if ok else None
        if sent is None:
            problems[key] = _expected(variable_type(field))
            # The other fields are checked as if this one were left as the form starts it.
            fields[key] = _strings(field, opened.values.get(key)) or []
            continue
        if field.type == "filepicker":
            held = {str(v) for v in opened.values.get(key) or []}
            if stray := [v for v in sent if v not in held]:
                problems[key] = t("task_rest.not_attached", id=stray[0][:100])
                continue
        fields[key] = sent
    return fields, problems


def complete_task(session: Session, task_id: str, login: str, body: Any, *, upload_dir: str, max_bytes: int) -> None:
    """Complete with typed variables, checked as the task page checks its form. Raises BadBody,
    NotFound, Forbidden, ClaimedByOther, Conflict, or InvalidSubmission with every field's problem
    (nothing is kept: the caller's unit of work rolls back)."""
    variables = _variables(body)
    opened = taskform.open_task_form(session, task_id, login)  # the page's own checks: see, open
    fields, problems = fields_from_variables(opened, variables)
    if problems:
        # The type problems and, for the other fields, what the form itself says — all at once.
        claims.ensure_may_complete(opened.task, login)
        if opened.form is not None:
            submission = completion.read_submission(opened.form, fields, {}, opened.values)
            try:
                taskform.check_submission(session, opened, submission.values)
            except InvalidSubmission as error:
                problems = {**error.errors, **problems}
        raise InvalidSubmission(problems)
    completion.complete_with_files(session, task_id, login, fields, {}, upload_dir=upload_dir, max_bytes=max_bytes)
