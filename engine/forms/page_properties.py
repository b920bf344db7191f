"""Custom properties a form declares for its task page, checked at deployment (never ignored).

``startsWith`` — space-separated case variables; the field starts with the first of them that
holds an offered value (a reroute keeps the earlier routing and starts on the agency the executor
suggested). ``excludes`` — on a checklist, the key of a radio or select of the same form whose
chosen value may not be ticked here too (the main agency is not its own co-executor).
engine/runtime/task_forms.py applies them; docs/analyst-guide.md section 4 describes them.
"""
from __future__ import annotations

import re
from typing import Any

from engine.forms import walk
from engine.texts import Text, t

STARTS_WITH = "startsWith"
EXCLUDES = "excludes"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")


def problems(components: Any) -> list[tuple[Text, str, Text]]:
    """What is wrong with a ``startsWith`` or ``excludes`` declaration: (what, where, change)."""
    found: list[tuple[Text, str, Text]] = []
    walked = list(walk.components(components))
    single_choices = {c["key"] for c, _ in walked if c.get("type") in ("radio", "select") and isinstance(c.get("key"), str)}
    for component, name in walked:
        properties = component.get("properties")
        if not isinstance(properties, dict):
            continue
        starts = properties.get(STARTS_WITH)
        if starts is not None and (not isinstance(starts, str) or not starts.split()
                                   or not all(_NAME.fullmatch(word) for word in starts.split())):
            found.append((t("forms.starts_with_bad"), name, t("forms.starts_with_change")))
        excludes = properties.get(EXCLUDES)
        if excludes is None:
            continue
        if component.get("type") != "checklist":
            found.append((t("forms.excludes_not_checklist", kind=repr(str(component.get("type")))), name,
                          t("forms.excludes_change")))
        elif not isinstance(excludes, str) or excludes not in single_choices:
            found.append((t("forms.excludes_unknown", key=repr(str(excludes))), name, t("forms.excludes_change")))
    return found
