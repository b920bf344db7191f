"""The components of a form-js schema, nested ones included, each with a name for problems.

Deploy checks name the component they refuse: its ``id``, else its ``key``, else its place in the
schema (``components[2].components[0]``) — an analyst finds any of these in Camunda Modeler.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def components(items: Any, path: str = "components") -> Iterator[tuple[dict[str, Any], str]]:
    """Every component dict under ``items``, depth first; anything that is not a list or dict is
    skipped here (the schema check reports it), so a hand-edited form cannot crash a check."""
    for index, component in enumerate(items if isinstance(items, list) else []):
        if isinstance(component, dict):
            yield component, str(component.get("id") or component.get("key") or f"{path}[{index}]")
            yield from components(component.get("components"), f"{path}[{index}].components")
