"""English labels of a form's options (issue 16 item 7), declared in the form, checked at deployment.

An option's label is data, shown as the analyst drew it; but a topic or an importance level is also
shown outside its form — the registry, the message card, the reports — where a reader of English
should read English. A select, radio or checklist may carry, as Camunda Forms custom properties
(the Modeler's "Custom properties" group), ``label.en.<value>`` = the option's English label.
Pages in English show it where they show the option outside the form (engine.views.registry
``option_labels``); without one, the label as drawn. docs/analyst-guide.md section 4 describes it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.forms import walk
from engine.texts import Text, current_language, t

PREFIX = "label.en."
MAX_LABEL = 300
_CHOICES = ("select", "radio", "checklist")


def _values(component: Mapping[str, Any]) -> set[str]:
    options = component.get("values")  # anything may be here in a hand-edited form: a list is read, the rest ignored
    return {str(o["value"]) for o in options if isinstance(o, dict) and "value" in o} if isinstance(options, list) else set()


def problems(components: Any) -> list[tuple[Text, str, Text]]:
    """Each ``label.en.<value>`` that names no option of its field, is empty or too long: (what, where, change)."""
    found: list[tuple[Text, str, Text]] = []
    for component, name in walk.components(components):
        properties = component.get("properties")
        if not isinstance(properties, dict):
            continue
        declared = {k: v for k, v in properties.items() if isinstance(k, str) and k.startswith(PREFIX)}
        if declared and component.get("type") not in _CHOICES:
            found.append((t("forms.english_label_not_choice", kind=repr(str(component.get("type")))), name,
                          t("forms.english_label_change")))
            continue
        values = _values(component)
        for key, label in declared.items():
            value = key[len(PREFIX):]
            if value not in values:
                found.append((t("forms.english_label_unknown", value=value[:60]), name,
                              t("forms.english_label_change")))
            elif not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
                found.append((t("forms.english_label_bad", value=repr(value[:60]), limit=MAX_LABEL), name,
                              t("forms.english_label_change")))
    return found


def option_label(component: Mapping[str, Any], option: Mapping[str, Any], language: str | None = None) -> str:
    """An option's label for a reader of ``language`` (default: the current one): its declared
    English label in English, else the label as drawn, else its value."""
    value = str(option.get("value"))
    drawn = str(option.get("label") or value)
    if (language or current_language()) != "en":
        return drawn
    properties = component.get("properties")
    english = properties.get(PREFIX + value) if isinstance(properties, dict) else None
    return english.strip() if isinstance(english, str) and english.strip() else drawn
