"""What form-js's JSON schema and Camunda 7's form linter refuse that would change what Otklik does.

The full checks run in ``make test`` on forms/ (tests/forms/lint_forms.mjs, on Node); the deploy
page has no Node, so deployment refuses here, in Python, the part of them that matters for a form
uploaded from the browser: a property on a component type that does not have it — Otklik would
enforce it (a pattern on a textarea, a minimum on a text field) or silently ignore it (options on
a text field, ``accept`` outside a file field), while Camunda Modeler marks the form invalid —
and a ``filepicker`` in a form for Camunda 7 (its forms have none; engine/forms/uploads.py is the
Camunda 7 way), or with a description, which the schema refuses.

Only at deployment (``parse_form(..., deploying=True)``): a version deployed before keeps loading.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.forms import walk
from engine.texts import Text, t

_CHOICES = ("checklist", "radio", "select", "taglist")
# form-js's schema (packages/form-json-schema 1.18.0, allOf "… : false" unless the type is listed).
ONLY_ON: dict[str, tuple[str, ...]] = {
    "values": _CHOICES, "valuesKey": _CHOICES, "valuesExpression": _CHOICES,
    "accept": ("filepicker",), "multiple": ("filepicker",),
    "decimalDigits": ("number",), "subtype": ("datetime",),
    "validate.pattern": ("textfield",), "validate.validationType": ("textfield",),
    "validate.minLength": ("textfield", "textarea"), "validate.maxLength": ("textfield", "textarea"),
    "validate.min": ("number",), "validate.max": ("number",),
}


def _declared(component: dict[str, Any], path: str) -> bool:
    parent, _, name = path.rpartition(".")
    holder = component.get(parent) if parent else component
    return isinstance(holder, dict) and name in holder


def camunda_7(schema: dict[str, Any]) -> str | None:
    """The Camunda 7 version a form declares ("7.22.0"), None when it declares another platform or none."""
    version = schema.get("executionPlatformVersion")
    if schema.get("executionPlatform") == "Camunda Platform" and isinstance(version, str) and version.startswith("7."):
        return version
    return None


def problems(schema: dict[str, Any]) -> Iterator[tuple[Text, str, Text]]:
    """(what, component, change) for each refusal, the form as written (before engine.forms.uploads)."""
    version = camunda_7(schema)
    for component, name in walk.components(schema.get("components")):
        kind = component.get("type")
        if kind == "filepicker" and version is not None:
            yield t("forms.c7_no_filepicker", version=version), name, t("forms.files_on_textfield")
        elif kind == "filepicker" and "description" in component:
            yield t("forms.filepicker_description"), name, t("forms.files_on_textfield")
        for path, types in ONLY_ON.items():
            if isinstance(kind, str) and kind not in types and _declared(component, path):
                yield (t("forms.only_on", prop=repr(path), types=", ".join(types)), name,
                       t("forms.only_on_change", prop=repr(path)))
