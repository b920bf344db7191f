"""English is complete for everything the application writes (issue 16 item 7).

Two sources of words: the Babel catalogue (every ``_()``/``_l()`` msgid in web/ and engine/, extracted
exactly as ``make translations`` does, must have a non-empty, non-fuzzy English msgstr) and the engine's
text tables (every code has English with no Cyrillic left — data such as a territory's or a person's
name only ever arrives through a placeholder).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from engine import texts

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
ELEMENT_TEMPLATES = ROOT / "bpmn" / ".camunda" / "element-templates"
CYRILLIC = re.compile("[А-Яа-яЁё]")
# «…» quoting a Russian element template's name as the Modeler shows it (data, not the application's words).
QUOTED = re.compile(r"«([^»]*)»")


def _extract(target: Path) -> Catalog:
    """The msgids of web/ and engine/, with the Makefile's `translations` flags."""
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "lazy_gettext", "-k", "_l", "--ignore-dirs=.* _* node_modules instance", "-o", str(target), "."],
        cwd=ROOT, check=True, timeout=120)
    with target.open("rb") as handle:
        return read_po(handle)


def _translated(entry: Message | None) -> bool:
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(isinstance(s, str) and s.strip() for s in strings)


def untranslated(template: Catalog, english: Catalog) -> list[str]:
    """Each msgid of ``template`` with no usable English, with where it is used."""
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = english.get(message.id, message.context)
        if not _translated(entry):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:3])
            state = "missing" if entry is None else ("fuzzy" if entry.fuzzy else "empty")
            missing.append(f"{state}: {message.id!r} ({where})")
    return missing


@pytest.fixture(scope="module")
def english() -> Catalog:
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def test_every_msgid_of_web_and_engine_has_english(tmp_path_factory: pytest.TempPathFactory, english: Catalog) -> None:
    template = _extract(tmp_path_factory.mktemp("pot") / "messages.pot")
    assert len(template) > 500, "extraction found almost nothing: babel.cfg or the flags changed"
    missing = untranslated(template, english)
    assert not missing, ("untranslated in web/translations/en/LC_MESSAGES/messages.po — append an entry:\n  "
                         + "\n  ".join(missing))


def test_the_check_catches_a_missing_an_empty_and_a_fuzzy_entry(english: Catalog) -> None:
    template = Catalog(locale="ru")
    template.add("Входящие", locations=[("web/templates/base.html", 16)])
    template.add("Совсем новая строка", locations=[("web/x.py", 1)])
    assert untranslated(template, english) == ["missing: 'Совсем новая строка' (web/x.py:1)"]
    english_copy = Catalog(locale="en")
    english_copy.add("Входящие", "")
    assert untranslated(template, english_copy)[0].startswith("empty: 'Входящие'")
    english_copy.add("Входящие", "Inbox", flags=["fuzzy"])
    assert untranslated(template, english_copy)[0].startswith("fuzzy: 'Входящие'")


def _element_template_names() -> set[str]:
    names = set()
    for path in ELEMENT_TEMPLATES.glob("*.json"):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        for template in loaded if isinstance(loaded, list) else [loaded]:
            names.add(template["name"])
    return names


def cyrillic_left(table: dict[str, str], data_names: set[str]) -> list[str]:
    """Codes whose English still has Cyrillic outside «a quoted element template name» (data)."""
    def is_data(quoted: str) -> bool:
        stem = quoted.rstrip(" …").strip()
        return bool(stem) and any(name.startswith(stem) for name in data_names)

    left = []
    for code, text in table.items():
        words = QUOTED.sub(lambda m: "" if is_data(m.group(1)) else m.group(0), text)
        if CYRILLIC.search(words):
            left.append(f"{code}: {text!r}")
    return left


def test_every_engine_text_has_english_without_cyrillic() -> None:
    assert set(texts.LANGUAGES["en"]) >= set(texts.LANGUAGES["ru"])
    left = cyrillic_left(dict(texts.LANGUAGES["en"]), _element_template_names())
    assert not left, "English texts still in Russian:\n  " + "\n  ".join(left)


def test_the_cyrillic_check_allows_only_quoted_element_template_names() -> None:
    names = {"Срок в рабочих часах"}
    assert cyrillic_left({"a": "use a «Срок в рабочих …» template"}, names) == []
    assert cyrillic_left({"b": "use a «Срок в днях» template"}, names) == ["b: 'use a «Срок в днях» template'"]
    assert cyrillic_left({"c": "deadline 9 ч"}, names) == ["c: 'deadline 9 ч'"]
