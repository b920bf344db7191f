"""Bounds on a form definition and on what a submission may send, so that neither an analyst's file
nor a crafted request can make checking it slow or crash it; each is refused with a one-line problem
(deployment) or a field error (submission).
"""
from __future__ import annotations

from engine.expressions.language import MAX_INT
from engine.forms.patterns import MAX_PATTERN

# --- a form definition (checked at deployment) -----------------------------------------------------
MAX_FORM_BYTES = 256 * 1024
MAX_GROUP_DEPTH = 10
MAX_COMPONENTS = 200  # in all, groups' included (the largest shipped form has 9): each hide condition runs per submission
MAX_OPTIONS = 1_000  # static options of one select, radio or checklist
MAX_PROPERTY_TEXT = 2_000  # any text property: label, description, id, an option's label or value, ...
MAX_STATIC_TEXT = 20_000  # a text component's content
MAX_KEY = 100  # a field key: a process variable's name
MAX_FORM_ID = 200
MAX_JSON_DIGITS = 4_300  # an integer in the JSON (Python's default conversion limit, whatever it is set to)
MAX_PROBLEMS = 50  # listed for one form; the rest are counted
MAX_DECIMAL_DIGITS = 15  # a float holds 15-17 significant digits, so more would check nothing
MAX_NUMBER = MAX_INT  # |validate.min|, |validate.max| and a submitted number: what expressions accept

# --- a submission ----------------------------------------------------------------------------------
MAX_TEXT = 20_000  # any submitted text, and so validate.minLength/maxLength (a VK post is at most 16,384)
MAX_NUMBER_TEXT = 100  # a number field's submitted text, before it is parsed
MAX_FILES = 50

__all__ = ["MAX_COMPONENTS", "MAX_DECIMAL_DIGITS", "MAX_FILES", "MAX_FORM_BYTES", "MAX_FORM_ID", "MAX_GROUP_DEPTH",
           "MAX_JSON_DIGITS", "MAX_KEY", "MAX_NUMBER", "MAX_NUMBER_TEXT", "MAX_OPTIONS", "MAX_PATTERN", "MAX_PROBLEMS",
           "MAX_PROPERTY_TEXT", "MAX_STATIC_TEXT", "MAX_TEXT"]
