"""Helpers shared by the Camunda Forms tests: building form JSON, parsing it, validating submissions."""
from __future__ import annotations

import json
from typing import Any

import pytest

from engine.errors import InvalidSubmission
from engine.forms import FormDefinition, FormError, parse_form, validate_submission
from engine.texts import render


def form_text(*components: dict[str, Any], form_id: str = "triage") -> str:
    return json.dumps({"id": form_id, "type": "default", "schemaVersion": 16, "components": list(components)})


def form(*components: dict[str, Any]) -> FormDefinition:
    return parse_form(form_text(*components))


def problems(*components: dict[str, Any]) -> list[str]:
    with pytest.raises(FormError) as caught:
        parse_form(form_text(*components))
    return [render(problem) for problem in caught.value.problems]  # Texts, in the suite's language


def errors(definition: FormDefinition, submitted: dict[str, Any], context: dict[str, Any] | None = None,
           options: dict[str, list[str]] | None = None) -> dict[str, str]:
    with pytest.raises(InvalidSubmission) as caught:
        validate_submission(definition, submitted, context or {}, options or {})
    return {key: render(error) for key, error in caught.value.errors.items()}  # Texts, in the suite's language


def clean(definition: FormDefinition, submitted: dict[str, Any], context: dict[str, Any] | None = None,
          options: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return validate_submission(definition, submitted, context or {}, options or {})


def options(*values: str) -> list[dict[str, str]]:
    return [{"label": v.title(), "value": v} for v in values]


TEXT = {"id": "F_name", "type": "textfield", "key": "name", "label": "Name"}
CATEGORY = {"id": "F_cat", "type": "select", "key": "category", "values": options("threat", "repeat", "other")}
