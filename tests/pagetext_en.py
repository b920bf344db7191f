"""What is left of a page in English once its data is taken out (issue 16 item 7).

Data stays as drawn or typed: a diagram's element names and documentation, its process properties
(parameter labels, the procedure's name), the deployed forms' labels, option labels and texts, the
names of organisations, officials and territories, what a message says and what officials typed into
a case. Everything else on an English page is the application's own words and must have no Cyrillic.
``data_strings`` collects the data from a database and the deployed files; ``cyrillic_left`` returns
the page's lines that still have Cyrillic after every data string is removed, so a failure names them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Deployment, Instance, Message, Organisation, Territory, User
from tests.pagetext import IANA_ZONE

ROOT = Path(__file__).resolve().parents[1]
CYRILLIC = re.compile("[А-Яа-яЁё]")
_BPMN_TEXT = ("name", "value")  # element names; camunda:property values (parameter labels, the procedure's name)


def _cyrillic(value: Any) -> bool:
    return isinstance(value, str) and bool(CYRILLIC.search(value))


def _json_strings(value: Any) -> Iterator[str]:
    """Every string with Cyrillic anywhere in a JSON value (a form, an instance's data)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, str):
        if value.lstrip().startswith(("{", "[")):  # serialized JSON inside JSON (SpiffWorkflow's data)
            try:
                yield from _json_strings(json.loads(value))
                return
            except ValueError:
                pass
        if _cyrillic(value):
            yield value


def _choice_words(help_text: str) -> Iterator[str]:
    """A parameter's help names its choices «official — уполномоченное должностное лицо (…); executor — …»:
    the words of each, as the comparison shows them (engine.views.comparison_adopted)."""
    for part in help_text.split(";"):
        _, dash, words = part.strip().partition(" — ")
        if dash and _cyrillic(words):
            yield words.strip()
            yield words.split(" (", 1)[0].strip()


_CLAUSE_AT_END = re.compile(r",?\s*\(?п\.\s*[\d.]+\)?\s*$")


def _diagram_strings(xml: bytes | str) -> Iterator[str]:
    root = etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml,
                            parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in _BPMN_TEXT:
            value = element.get(attribute)
            if _cyrillic(value):
                yield value  # type: ignore[misc]  # checked just above
                yield from _choice_words(value)  # type: ignore[arg-type]
                # A timer's name as a violation notice cites it, without the clause its subject already
                # names ("30 рабочих минут на согласование проекта", engine.runtime.services._deadline_words).
                yield _CLAUSE_AT_END.sub("", value).strip()  # type: ignore[arg-type]
        if _cyrillic(element.text):
            yield element.text  # type: ignore[misc]  # documentation, text annotations, conditions' text


def file_strings(root: Path = ROOT) -> set[str]:
    """The data of the diagrams and forms in the repository (what `make run` deploys)."""
    found: set[str] = set()
    for path in [*(root / "bpmn").rglob("*.bpmn")]:
        found.update(_diagram_strings(path.read_bytes()))
    for path in (root / "forms").glob("*.form"):
        found.update(_json_strings(json.loads(path.read_text(encoding="utf-8"))))
    return found


def database_strings(session: Session) -> set[str]:
    """The data of a database: names, messages, deployed diagrams and forms, what cases hold."""
    found: set[str] = set()
    for column in (Organisation.name, User.full_name, Territory.name, Deployment.name,
                   Message.text, Message.author, Message.location):
        found.update(v for v in session.scalars(select(column)) if _cyrillic(v))
    for xml in session.scalars(select(Deployment.bpmn_xml)):
        found.update(_diagram_strings(xml))
    for column in (Deployment.forms, Deployment.variables, Deployment.parameters):  # JSON: forms' texts, labels
        for value in session.scalars(select(column)):
            found.update(_json_strings(value))
    for state in session.scalars(select(Instance.state)):
        found.update(_json_strings(state))
    return found


def data_strings(session: Session, root: Path = ROOT) -> set[str]:
    return file_strings(root) | database_strings(session)


def _pieces(strings: Iterable[str]) -> set[str]:
    """Each data string and each of its lines (a page breaks a long text into lines), trimmed; a text
    naming an IANA zone also in the parts around it (pages write the zone in words there instead)."""
    pieces: set[str] = set()
    for text in strings:
        for piece in (text, *text.splitlines(), *IANA_ZONE.split(text)):
            piece = " ".join(piece.split())
            if piece:
                pieces.add(piece)
    return pieces


def data_pattern(strings: Iterable[str]) -> re.Pattern[str]:
    """Whole occurrences of any data string (longest first), never a part of a longer word."""
    def whole(piece: str) -> str:  # a piece ending in a letter must not end inside a word ("«" may)
        return (r"(?<!\w)" if piece[0].isalnum() else "") + re.escape(piece) + (r"(?!\w)" if piece[-1].isalnum() else "")

    alternatives = "|".join(whole(s) for s in sorted(_pieces(strings), key=len, reverse=True))
    return re.compile(alternatives or r"(?!x)x")


def cyrillic_left(text: str, data: re.Pattern[str]) -> list[str]:
    """The lines of a page's text that still have Cyrillic once its data is taken out, each with its
    data shown as ▪ (so what is left to translate stands out)."""
    left = []
    for line in text.splitlines():
        rest = data.sub("▪", " ".join(line.split()))
        if CYRILLIC.search(rest):
            left.append(rest)
    return left
