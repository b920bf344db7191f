"""A file field the way a Camunda 7 form can declare one: a ``textfield`` with custom properties.

form-js for Camunda 7 (up to 7.22: form-js 1.8) has no ``filepicker`` — the Modeler's form linter
refuses it, and form-js's schema refuses a description on it — so a form written for Camunda 7
declares a file field as a text field carrying custom properties (the Modeler's "Custom
properties" group), which the schema and the linter accept and Otklik reads:

``files``     the file types the file dialog offers, as the HTML ``accept`` attribute has them
              (``image/*,video/*``, ``.pdf``); required, not empty. The server's own checks of
              a file (engine/runtime/attachments.py) apply whatever it says.
``multiple``  ``"true"``: more than one file; ``"false"`` (the default): one.

``with_file_fields`` gives the form with such a field as a ``filepicker`` (``accept``,
``multiple``), so the checks, the submission and the page read one kind of file field; a form for
a later form-js may still use ``filepicker`` itself.
"""
from __future__ import annotations

from typing import Any

from engine.texts import Text, t

FILES = "files"
MULTIPLE = "multiple"
_BOOLEANS = {"true": True, "false": False}


def _file_field(component: dict[str, Any], name: str, problems: list[tuple[Text, str, Text]]) -> dict[str, Any]:
    properties = component.get("properties")
    if not isinstance(properties, dict) or FILES not in properties:
        return component
    accept, multiple = properties.get(FILES), properties.get(MULTIPLE, "false")
    if component.get("type") != "textfield":
        problems.append((t("forms.files_not_textfield", kind=repr(str(component.get("type")))), name,
                         t("forms.files_on_textfield")))
        return component
    if not isinstance(accept, str) or not accept.strip():
        problems.append((t("forms.files_empty"), name, t("forms.files_change")))
        return component
    if multiple not in _BOOLEANS:
        problems.append((t("forms.files_multiple", value=repr(str(multiple))), name, t("forms.files_multiple_change")))
        return component
    return {**component, "type": "filepicker", "accept": accept.strip(), "multiple": _BOOLEANS[str(multiple)]}


def with_file_fields(items: Any, path: str, problems: list[tuple[Text, str, Text]]) -> Any:
    """The components with every declared file field a ``filepicker``, groups' too; a copy where
    anything changes. What is wrong with a declaration goes to ``problems`` (what, where, change),
    and the component stays as written."""
    if not isinstance(items, list):
        return items
    result = []
    for index, component in enumerate(items):
        if isinstance(component, dict):
            name = str(component.get("id") or component.get("key") or f"{path}[{index}]")
            component = _file_field(component, name, problems)
            children = component.get("components")
            if component.get("type") == "group" and isinstance(children, list):
                component = {**component, "components": with_file_fields(children, f"{path}[{index}].components", problems)}
        result.append(component)
    return result
