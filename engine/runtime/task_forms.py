"""A task's form as the page shows it: components, options with labels, what is hidden, first values.

The same hiding rule the server validates with (engine.forms) decides what a re-rendered form
shows, so a field the user cannot see is never required of them. It sits in runtime, below the
task page's read model (engine.views.task), because completing a task (engine.runtime.completion)
checks a submission against exactly this form: one home for both the page and the check.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidSubmission
from engine.expressions import language as expressions
from engine.forms import (
    CHOICE_TYPES,
    INPUT_TYPES,
    Field,
    FormDefinition,
    FormError,
    feel_to_expression,
    validate_submission,
    visible_fields,
)
from engine.forms.page_properties import EXCLUDES, STARTS_WITH
from engine.models import Instance, Organisation, Task
from engine.runtime import cases as runtime
from engine.runtime import store
from engine.runtime.claims import already_done
from engine.spiff import inspect
from engine.spiff.script_engine import case_variables
from engine.texts import Text, t

# The form properties a task page reads (startsWith, excludes): engine.forms.page_properties, checked at deployment.


@dataclass(frozen=True)
class Option:
    value: str
    label: str


_EMPTY: Mapping[str, Any] = {"textfield": "", "textarea": "", "checklist": [], "filepicker": [], "checkbox": False}



def components(schema_components: Sequence[Any], path: str = "components") -> Iterator[tuple[dict[str, Any], str, int]]:
    """Every component of a form, depth first, with its name (as parse_form names it) and depth."""
    yield from _walk(schema_components, path, 0)


def _walk(items: Sequence[Any], path: str, depth: int) -> Iterator[tuple[dict[str, Any], str, int]]:
    for index, component in enumerate(items if isinstance(items, list) else []):
        if not isinstance(component, dict):
            continue
        yield component, component_name(component, path, index), depth
        if component.get("type") == "group":
            yield from _walk(component.get("components") or [], f"{path}[{index}].components", depth + 1)


def component_name(component: Mapping[str, Any], path: str, index: int) -> str:
    return str(component.get("id") or component.get("key") or f"{path}[{index}]")


class _NullDefault(dict[str, Any]):
    """A name with no value is null, as in FEEL."""

    def __missing__(self, key: str) -> None:
        return None


def _condition_true(hide: Any, variables: Mapping[str, Any]) -> bool:
    if hide is None or hide == "":
        return False
    try:
        return expressions.evaluate(feel_to_expression(hide), variables, {}) is True
    except (FormError, expressions.ExpressionError):
        return False  # FEEL gives null for what cannot be compared; null never hides


def hidden_components(form: FormDefinition, data: Mapping[str, Any]) -> frozenset[str]:
    """Names of the components hidden for ``data`` (form values over case variables).

    Input fields follow engine.forms.visible_fields exactly (the rule the server validates with);
    text and group components are hidden by their own condition or a hidden group around them."""
    visible = {f.key for f in visible_fields(form, data)}
    hidden_keys = {f.key for f in form.fields} - visible
    initial = {f.key: f.default if f.default is not None else _EMPTY.get(f.type) for f in form.fields}
    variables = _NullDefault({**initial, **data, **{key: None for key in hidden_keys}})
    field_names = {f.id: f.key for f in form.fields}
    hidden: set[str] = set()
    hidden_groups: list[tuple[int, bool]] = []  # (depth, hidden) of the enclosing groups
    for component, name, depth in components(form.schema.get("components") or []):
        while hidden_groups and hidden_groups[-1][0] >= depth:
            hidden_groups.pop()
        outer = any(h for _, h in hidden_groups)
        if name in field_names and component.get("type") in INPUT_TYPES:
            is_hidden = field_names[name] in hidden_keys
        else:
            conditional = component.get("conditional")
            own = conditional.get("hide") if isinstance(conditional, dict) else None
            is_hidden = outer or _condition_true(own, variables)
        if is_hidden:
            hidden.add(name)
        if component.get("type") == "group":
            hidden_groups.append((depth, is_hidden))
    return frozenset(hidden)


def dynamic_options(session: Session, region: str) -> dict[str, tuple[Option, ...]]:
    """valuesKey lists: the engine's (agency_options, labelled with organisation names)."""
    names = {o.key: o.name for o in session.scalars(select(Organisation).where(Organisation.region == region))}
    return {key: tuple(Option(v, names.get(v, v)) for v in values)
            for key, values in runtime.form_options(session, region).items()}


def options_for(component: Mapping[str, Any], dynamic: Mapping[str, tuple[Option, ...]],
                 context: Mapping[str, Any]) -> tuple[Option, ...]:
    values = component.get("values")
    if isinstance(values, list):
        return tuple(Option(str(v.get("value")), str(v.get("label") or v.get("value")))
                     for v in values if isinstance(v, dict))
    key = component.get("valuesKey")
    if not isinstance(key, str):
        return ()
    if key in dynamic:
        return dynamic[key]
    # As in form-js, a valuesKey list may come from the task data, as values or {label, value} items.
    source = context.get(key)
    items = source if isinstance(source, (list, tuple)) else ()
    return tuple(Option(str(i.get("value")), str(i.get("label") or i.get("value"))) if isinstance(i, Mapping)
                 else Option(str(i), str(i)) for i in items)


def choice_options(form: FormDefinition, dynamic: Mapping[str, tuple[Option, ...]],
                  context: Mapping[str, Any]) -> dict[str, tuple[Option, ...]]:
    result = {}
    for component, _name, _depth in components(form.schema.get("components") or []):
        if component.get("type") in CHOICE_TYPES and isinstance(component.get("key"), str):
            result[component["key"]] = options_for(component, dynamic, context)
    return result


_DECISION_TYPES = frozenset({"radio", "select", "checkbox"})


def field_properties(form: FormDefinition) -> dict[str, dict[str, str]]:
    """Field key → its custom properties (strings only, as the Modeler writes them)."""
    found: dict[str, dict[str, str]] = {}
    for component, _name, _depth in components(form.schema.get("components") or []):
        properties = component.get("properties")
        if isinstance(component.get("key"), str) and isinstance(properties, dict):
            found[component["key"]] = {str(k): str(v) for k, v in properties.items() if isinstance(v, str)}
    return found


def _started(field: Field, variables: str, context: Mapping[str, Any], options: Sequence[Option] | None) -> Any:
    allowed = {o.value for o in options} if options is not None and field.type in CHOICE_TYPES else None
    for name in variables.split():
        value = context.get(name)
        if value is None or value == "" or value == []:
            continue
        if allowed is None or (field.type == "checklist" and isinstance(value, list)):
            return [v for v in value if v in allowed] if allowed is not None else value
        if value in allowed:
            return value
    return None


def initial_value(field: Field, context: Mapping[str, Any], options: Sequence[Option] | None,
                  properties: Mapping[str, str] | None = None) -> Any:
    default = field.default if field.default is not None else _EMPTY.get(field.type)
    starts_with = (properties or {}).get(STARTS_WITH)
    if starts_with:
        started = _started(field, starts_with, context, options)
        return default if started is None else started
    value = context.get(field.key)
    if value is None or field.type in _DECISION_TYPES:
        # A decision is taken anew each round: the second approval must not open on "rework".
        return default
    allowed = {o.value for o in options} if options is not None and field.type in CHOICE_TYPES else None
    if allowed is not None:
        if field.type == "checklist":
            return [v for v in value if v in allowed] if isinstance(value, list) else default
        return value if value in allowed else default
    if field.type == "filepicker":
        return [str(v) for v in value] if isinstance(value, list) else default
    return value


def coerce_for_conditions(form: FormDefinition, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Submitted text turned into what conditions compare (numbers, true/false), best effort:
    only to decide which fields a re-rendered form shows; validation is validate_submission's."""
    data: dict[str, Any] = {}
    for field in form.fields:
        value = raw.get(field.key)
        if field.type == "checkbox":
            data[field.key] = bool(value) and value not in ("false", "0")
        elif field.type == "number":
            try:
                text = str(value).strip()
                data[field.key] = int(text) if text.lstrip("+-").isdigit() else float(text)
            except (TypeError, ValueError):
                data[field.key] = None
        elif value is not None:
            data[field.key] = value
    return data


def hidden_for_submission(view: FormPage, raw: Mapping[str, Any]) -> frozenset[str]:
    """Which components a re-rendered form hides, given what the user submitted."""
    if view.form is None:
        return frozenset()
    return hidden_components(view.form, {**view.context, **coerce_for_conditions(view.form, raw)})


def check_submission(session: Session, view: FormPage, submitted: Mapping[str, Any]) -> dict[str, Any]:
    """Validate as complete_task will (InvalidSubmission), before anything is stored, e.g. uploads;
    then the form's ``excludes`` rules."""
    if view.form is None:
        return {}
    cleaned = validate_submission(view.form, submitted, view.context, runtime.form_options(session, view.task.region))
    _check_exclusions(view.form, cleaned)
    return cleaned


def _check_exclusions(form: FormDefinition, cleaned: Mapping[str, Any]) -> None:
    labels = {f.key: f.label or f.key for f in form.fields}
    errors: dict[str, str | Text] = {}
    for key, properties in field_properties(form).items():
        other = properties.get(EXCLUDES)
        ticked, chosen = cleaned.get(key), cleaned.get(other or "")
        if other and isinstance(ticked, list) and chosen not in (None, "") and chosen in ticked:
            errors[key] = t("forms.excluded_choice", field=labels.get(other, other))
    if errors:
        raise InvalidSubmission(errors)


def chosen_labels(form: FormDefinition, options: Mapping[str, Sequence[Option]],
                  sent: Mapping[str, Any]) -> tuple[str, ...]:
    """Labels of the options chosen in the form's deciding fields: a radio or select that another
    component's condition reads (approve or rework, publish or return), so a flash says what was
    decided in the form's own words, never in element ids or values."""
    conditions = " ".join(str((c.get("conditional") or {}).get("hide") or "")
                          for c, _name, _depth in components(form.schema.get("components") or [])
                          if isinstance(c.get("conditional"), dict))
    chosen = []
    for field in form.fields:
        if field.type not in ("radio", "select") or not re.search(rf"\b{re.escape(field.key)}\b", conditions):
            continue
        labels = {o.value: o.label for o in options.get(field.key, ())}
        value = sent.get(field.key)
        if isinstance(value, str) and value in labels:
            chosen.append(labels[value])
    return tuple(chosen)


# ---------------------------------------------------------------- an open task's form

class FormPage(Protocol):
    """What the submission checks read of a task page: engine.views.task.TaskView and OpenTaskForm."""

    @property
    def task(self) -> Task: ...
    @property
    def form(self) -> FormDefinition | None: ...
    @property
    def context(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class OpenTaskForm:
    task: Task
    instance: Instance
    form: FormDefinition | None
    task_data: dict[str, Any]  # the task's own data (multi-instance parts live here)
    context: dict[str, Any]  # task and case variables, as complete_task sees them
    dynamic: dict[str, tuple[Option, ...]]  # valuesKey lists of the task's region
    options: dict[str, tuple[Option, ...]]  # choice field key → options with labels
    values: dict[str, Any]  # field key → value the form starts with
    own_timers: tuple[tuple[str, datetime], ...]  # armed boundary timers on this task (name, due)
    # Armed timers guarding the case, not one task: name, due, the deadline key its violation declares.
    case_timers: tuple[tuple[str, datetime, str | None], ...]


def open_task_form(session: Session, task_id: str, login: str) -> OpenTaskForm:
    """An open task's form with the values it starts with; NotFound, Forbidden, or Conflict when
    the task is no longer open. The task page (engine.views.task) and the completion both start here."""
    task, form = runtime.task_form(session, task_id, login)  # checks that the user may see it
    if task.status != "open":
        raise already_done(task)
    instance = session.get_one(Instance, task.instance_id)
    workflow = store.load_for_reading(session, instance)  # a page: the read path, not the write path
    spiff_task = inspect.get_task(workflow, task.id)
    task_data = dict(spiff_task.data) if spiff_task is not None else {}
    context = {**task_data, **case_variables(workflow)}  # as complete_task validates against
    dynamic = dynamic_options(session, task.region)
    options = choice_options(form, dynamic, context) if form else {}
    properties = field_properties(form) if form else {}
    values = {f.key: initial_value(f, context, options.get(f.key), properties.get(f.key))
              for f in form.fields} if form else {}
    own = tuple(inspect.own_timers(spiff_task)) if spiff_task is not None else ()
    return OpenTaskForm(task, instance, form, task_data, context, dynamic, options, values,
                        own, tuple(inspect.case_timers(workflow)))
