"""Every text the engine writes for people, by code, in Russian (the default) and English.

A refusal or a deployment problem is a :class:`Text`: a code and its parameters, rendered in the
language of whoever reads it — the web request's locale, the console's ``OTKLIK_LANG`` or
``LANG`` — when it is shown, not when it is raised. The tables — one module per area
(``common``, ``validation``, ``forms``, ``expressions``, ``deployment``,
``directory``, ``runtime``), each with ``RU`` and
``EN`` — hold one template per code; a test checks that both languages have every code and the
same parameters, and that no code is defined twice.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from engine.settings import settings
from engine.texts import (
    common,
    contract,
    credentials,
    dataflow,
    deployment,
    diff,
    directory,
    expressions,
    external,
    forms,
    imports,
    integrations,
    notifications,
    palette,
    repeats,
    reports,
    runtime,
    schedule,
    surges,
    task_rest,
    templates,
    validation,
    views,
)

AREAS = (common, validation, forms, expressions, deployment, directory, runtime, contract, dataflow, palette, views, templates,
         notifications, reports, surges, schedule, diff, credentials, imports, repeats, external, integrations, task_rest)
LANGUAGES: Mapping[str, Mapping[str, str]] = {
    "ru": {code: text for area in AREAS for code, text in area.RU.items()},
    "en": {code: text for area in AREAS for code, text in area.EN.items()},
}
DEFAULT_LANGUAGE = "ru"

_language: ContextVar[str | None] = ContextVar("otklik_language", default=None)


def current_language() -> str:
    """The language being written in: the one set for this request or command, else the
    process's (``OTKLIK_LANG``, then ``LANG``), else Russian."""
    chosen = _language.get()
    return chosen if chosen is not None and chosen in LANGUAGES else settings().language


@contextmanager
def language(code: str | None) -> Iterator[None]:
    """Write in ``code`` for a while (a web request in its locale); unknown codes fall back."""
    token = _language.set(code if code in LANGUAGES else None)
    try:
        yield
    finally:
        _language.reset(token)


def set_language(code: str | None) -> object:
    """Set the language until :func:`reset_language` with the returned token (request hooks)."""
    return _language.set(code if code in LANGUAGES else None)


def reset_language(token: object) -> None:
    _language.reset(token)  # type: ignore[arg-type]  # the token set_language returned


@dataclass(frozen=True)
class Text:
    """A text by code; ``str()`` renders it in the current language. Parameters may be Texts."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        code = lang if lang is not None and lang in LANGUAGES else current_language()
        template = LANGUAGES[code].get(self.code) or LANGUAGES["en"].get(self.code) or self.code
        values = {k: (v.render(code) if isinstance(v, Text) else v) for k, v in self.params.items()}
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):  # a table slip must not hide the problem itself
            return f"{template} {values}"

    def __str__(self) -> str:
        return self.render()


def t(code: str, **params: Any) -> Text:
    """``t("form.too_large", size=300000)``: a Text whose code is in the tables."""
    return Text(code, params)


def render(value: Text | str, lang: str | None = None) -> str:
    """A Text in ``lang`` (or the current language); plain text as it is."""
    return value.render(lang) if isinstance(value, Text) else value
