"""Notification texts as people read them, in their language, whenever they were written.

A notification keeps what it says as text codes and parameters (:func:`stored`, the ``subject_text``
and ``body_text`` columns), rendered when read (:func:`read`) in the reader's language, instants on
the territory's clock; e-mails are rendered in Russian when sent (engine.notifications.delivery).
Rows written before codes were kept read their stored Russian subject and body, and the oldest carry
ISO instants ("срок 2026-12-04T11:30:00+05:00"): those read through ``local_instants`` so an old row
reads like a new one (issue 16)."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from engine.calendar.regions import REGIONS
from engine.calendar.zone_words import zone_words
from engine.texts import DEFAULT_LANGUAGE, LANGUAGES, Text, current_language, language

# An instant as isoformat() writes it, with or without seconds, fraction and offset.
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")
LOCAL = "%d.%m.%Y %H:%M"


def zone_of(region: str | None) -> ZoneInfo:
    """The territory's clock; UTC for one not (or no longer) known."""
    territory = REGIONS.get(region) if region else None
    return ZoneInfo(territory.timezone if territory is not None else "UTC")


def local_instants(text: str, region: str | None) -> str:
    """``text`` with every ISO instant written as the territory's local dd.mm.yyyy HH:MM."""
    zone = zone_of(region)

    def local(match: re.Match[str]) -> str:
        try:
            instant = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)  # the engine stores instants in UTC
        return instant.astimezone(zone).strftime(LOCAL)

    return _ISO.sub(local, text)


# What a notification says, kept as text codes so each reader reads it in their language (issue 16):
# a list of parts joined by new lines — a literal string (a diagram's subject, a message's text, a
# link line) or a text {"code", "params"}. A parameter is a plain value, a nested text, an instant
# {"instant": ISO} (shown on the territory's clock when read) or {"rendered": {language: text}} for a
# text that renders by its own rule (a counted noun), kept in every language when it was written.
Part = Text | str
Stored = list[Any]
SUBJECT_CHARS = 300  # notification.subject is String(300); an e-mail subject stays one line
BODY_CHARS = 4000
STORED_CHARS = 16_000  # the JSON's size; a bigger text keeps only its Russian rendering (the columns)


class Rendered(Text):
    """A text already rendered in every language (what a stored ``{"rendered": …}`` reads back as)."""

    def render(self, lang: str | None = None) -> str:
        code = lang if lang is not None and lang in LANGUAGES else current_language()
        renderings = self.params
        return str(renderings.get(code) or renderings.get(DEFAULT_LANGUAGE) or next(iter(renderings.values()), ""))


def rendered_in_every_language(make: Callable[[str], str]) -> Rendered:
    """A text made per language by ``make(language)`` (a territory's name in it, a plural form)."""
    return Rendered("rendered", {code: make(code) for code in LANGUAGES})


def zone_text(region: str | None, at: datetime | None = None) -> Rendered:
    """The territory's clock in words («время: Оренбургская область, UTC+5»), its name in each
    language, for a notification that names the zone its times are in (never an IANA name)."""
    def make(code: str) -> str:
        with language(code):  # the territory's name is chosen in the language being written
            return zone_words(region, at).render(code)

    return rendered_in_every_language(make)


def _encode_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"instant": (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()}
    if type(value) is Text:
        return _encode_text(value)
    if isinstance(value, Text):  # a text with its own rendering rule: keep what it says in each language
        return {"rendered": {code: value.render(code) for code in LANGUAGES}}
    return str(value)


def _encode_text(text: Text) -> dict[str, Any]:
    return {"code": text.code, "params": {str(k): _encode_value(v) for k, v in text.params.items()}}


def encode(parts: Sequence[Part]) -> Stored:
    return [part if isinstance(part, str) else _encode_value(part) for part in parts]


def stored(parts: Sequence[Part]) -> Stored | None:
    """The JSON a notification keeps for ``parts``; None when it would be over :data:`STORED_CHARS`
    (then readers read the Russian columns, as they read rows written before codes were kept)."""
    found = encode(parts)
    return found if len(json.dumps(found, ensure_ascii=False)) <= STORED_CHARS else None


def _decode_value(value: Any, zone: ZoneInfo) -> Any:
    if isinstance(value, dict):
        if "instant" in value:
            try:
                return datetime.fromisoformat(str(value["instant"])).astimezone(zone).strftime(LOCAL)
            except ValueError:
                return str(value["instant"])
        if "rendered" in value and isinstance(value["rendered"], dict):
            return Rendered("rendered", {str(k): str(v) for k, v in value["rendered"].items()})
        if "code" in value:
            params = value.get("params")
            params = params if isinstance(params, dict) else {}
            return Text(str(value["code"]), {str(k): _decode_value(v, zone) for k, v in params.items()})
    return value


def one_line(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def read(found: Stored | None, fallback: str, region: str | None, lang: str | None = None) -> str:
    """What a notification says in ``lang`` (else the reader's current language): its codes rendered,
    instants on the territory's clock; a row without codes (written before they were kept) reads as
    stored, its ISO instants made local (:func:`local_instants`)."""
    if not isinstance(found, list) or not found:
        return local_instants(fallback, region)
    zone = zone_of(region)
    lines = []
    for part in found:
        value = _decode_value(part, zone)
        # A literal (a diagram's subject, a message's text) may carry an ISO instant too: read it local.
        lines.append(value.render(lang) if isinstance(value, Text) else local_instants(str(value), region))
    return "\n".join(lines)


def compose(parts: Sequence[Part], region: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """``parts`` as they read in ``lang`` now (the Russian columns), instants on the territory's clock."""
    return read(encode(parts), "", region, lang)


def subject_in(found: Stored | None, fallback: str, region: str | None, lang: str | None = None) -> str:
    """A notification's subject as a reader reads it: :func:`read`, one bounded line."""
    return one_line(read(found, fallback, region, lang), SUBJECT_CHARS)


def body_in(found: Stored | None, fallback: str, region: str | None, lang: str | None = None) -> str:
    """A notification's body as a reader reads it: :func:`read`, bounded."""
    return read(found, fallback, region, lang)[:BODY_CHARS]
