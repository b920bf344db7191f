"""Camunda Forms (form-js JSON, ``*.form``) for user tasks: checked at deployment, enforced on submission.

Otklik renders forms itself, so deployment refuses anything the renderer cannot show or the server
cannot check: other component types, FEEL in properties, group ``path``, FEEL option lists.
Submissions are validated here; the browser is never trusted.

Modules: ``definition`` (parse_form and its checks), ``feel`` (the FEEL subset of conditions, with the
analyst's reference), ``patterns`` (validate.pattern run by RE2, with the supported JavaScript subset),
``limits`` (the bounds on a form and on a submission), ``submission`` (visible_fields,
validate_submission), ``values`` (one submitted value against its field's rules), ``model`` (Field,
FormDefinition, FormError).
"""
from __future__ import annotations

from engine.forms.definition import CHOICE_TYPES, INPUT_TYPES, SUPPORTED_TYPES, parse_form
from engine.forms.feel import feel_to_expression
from engine.forms.limits import MAX_FILES, MAX_FORM_BYTES, MAX_GROUP_DEPTH
from engine.forms.model import Field, FormDefinition, FormError
from engine.forms.submission import validate_submission, visible_fields
from engine.forms.values import DEFAULT_MAX_LENGTH

__all__ = [
    "CHOICE_TYPES", "DEFAULT_MAX_LENGTH", "INPUT_TYPES", "MAX_FILES", "MAX_FORM_BYTES", "MAX_GROUP_DEPTH",
    "SUPPORTED_TYPES", "Field", "FormDefinition", "FormError", "feel_to_expression", "parse_form",
    "validate_submission", "visible_fields",
]
