"""Stored option values shown as the analyst labelled them in the deployment's forms.

A message stores ``roads_transport``; the registry, the card and the reports show «Дороги и
транспорт» (or its ``label.en.<value>``). A deployment never changes, so the labels of one are
cached by its content hash and the reader's language and never go stale.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine.forms import walk
from engine.forms.english_labels import option_label
from engine.models import Deployment
from engine.texts import current_language

TOPIC_FIELD = "topic"  # the message's own column (Message.topic, engine.runtime.cases.MESSAGE_FIELDS)
_CACHE_LIMIT = 1000  # distinct (deployment, language) pairs before the cache starts over
_TOPICS: dict[tuple[str, str], dict[str, str]] = {}  # (content hash, language) → value → label


def form_option_labels(forms: Mapping[str, str] | None, keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """Field key → {value: label} for the choice fields ``keys`` of these forms; the first form
    that offers a value names it. A form that does not parse is skipped: deploy refused it."""
    wanted = set(keys)
    found: dict[str, dict[str, str]] = {}
    for text in (forms or {}).values():
        try:
            components: Any = json.loads(text).get("components", [])
        except (ValueError, AttributeError):
            continue
        for component, _ in walk.components(components):
            key = component.get("key")
            if key in wanted and isinstance(key, str):
                for option in component.get("values") or []:
                    if isinstance(option, dict) and "value" in option:
                        found.setdefault(key, {}).setdefault(str(option["value"]), option_label(component, option))
    return found


def option_labels(deployment: Deployment, keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """Field key → {value: label} for the choice fields ``keys`` of a deployment's forms."""
    return form_option_labels(deployment.forms, keys)


def topic_labels(session: Session, deployments: Iterable[tuple[int, str]]) -> dict[str, str]:
    """Topic value → label over (deployment id, content hash) pairs, the first pair's label first.
    Only ids and hashes are passed in: a deployment's forms (hundreds of KB) are read on a miss."""
    found: dict[str, str] = {}
    for deployment_id, content_hash in deployments:
        cached = (content_hash, current_language())  # an option's label depends on the reader's language
        if cached not in _TOPICS:
            if len(_TOPICS) > _CACHE_LIMIT:
                _TOPICS.clear()
            deployment = session.get_one(Deployment, deployment_id)
            _TOPICS[cached] = option_labels(deployment, (TOPIC_FIELD,)).get(TOPIC_FIELD, {})
        for value, label in _TOPICS[cached].items():
            found.setdefault(value, label)
    return found
