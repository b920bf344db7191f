"""Texts by code (engine.texts): both languages have every code with the same parameters; the
language is the request's, else the console's (OTKLIK_LANG, LANG), else Russian."""
from __future__ import annotations

import string

import pytest

from engine import texts
from engine.errors import DeploymentError, Problem
from engine.settings import Settings


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_code_with_the_same_parameters() -> None:
    ru, en = texts.LANGUAGES["ru"], texts.LANGUAGES["en"]
    assert set(ru) == set(en), f"only Russian: {sorted(set(ru) - set(en))}; only English: {sorted(set(en) - set(ru))}"
    differ = [code for code in ru if _fields(ru[code]) != _fields(en[code])]
    assert not differ, f"parameters differ: {differ}"


def test_no_code_is_defined_in_two_areas() -> None:
    seen: dict[str, str] = {}
    for area in texts.AREAS:
        for code in area.RU:
            assert code not in seen, f"{code} is in {seen[code]} and {area.__name__}"
            seen[code] = area.__name__


# Brand names Russian writes in Latin letters (the networks' own spelling).
BRANDS = frozenset({"network.telegram", "network.facebook", "network.twitter", "network.instagram"})


def test_russian_texts_are_russian() -> None:
    latin_only = [code for code, text in texts.LANGUAGES["ru"].items()
                  if not any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text)
                  and code != "problem.where" and code not in BRANDS]
    assert not latin_only, f"Russian table has untranslated texts: {latin_only}"


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "ru"), ({"LANG": "C.UTF-8"}, "ru"), ({"LANG": "ru_RU.UTF-8"}, "ru"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"OTKLIK_LANG": "en"}, "en"), ({"OTKLIK_LANG": "ru", "LANG": "en_GB.UTF-8"}, "ru"),
])
def test_the_console_language_follows_otklik_lang_then_lang(environ: dict[str, str], language: str) -> None:
    assert Settings.from_environment(environ).language == language


def test_a_text_renders_in_the_language_it_is_read_in() -> None:
    sample = texts.Text("problem.where", {"file": "a.bpmn", "element": "task", "message": "x"})
    assert sample.render("ru") == sample.render("en") == "a.bpmn: task: x"
    problem = Problem("a.bpmn", "task", texts.Text("no.such.code"))
    assert str(problem) == "a.bpmn: task: no.such.code"  # an unknown code shows itself, never hides the problem
    error = DeploymentError([problem])
    with texts.language("en"):
        assert str(error) == "a.bpmn: task: no.such.code"
