"""A number with its noun in the reader's language: «1 сообщение», «3 сообщения», «25 сообщений».

engine.texts has no plurals; the surge texts need them (a count read by the Governor must read right).
The forms are codes of engine/texts/surges.py (``surge.word.<noun>.<form>``); which form a number
takes is the language's rule, chosen when the text is rendered, like every Text.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.texts import LANGUAGES, Text, current_language

__all__ = ["Counted", "Joined", "counted", "joined", "plural_form"]


def plural_form(number: float, language: str) -> str:
    """``one``, ``few`` or ``many`` (CLDR's categories; a fraction is ``few`` in Russian: «2,5 раза»)."""
    if not float(number).is_integer():
        return "few" if language == "ru" else "many"
    whole = abs(int(number))
    if language != "ru":
        return "one" if whole == 1 else "many"
    if whole % 10 == 1 and whole % 100 != 11:
        return "one"
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return "few"
    return "many"


@dataclass(frozen=True)
class Counted(Text):
    """``number`` followed by the noun's form for it (``noun`` a key of the ``surge.word.*`` codes)."""

    number: float = 0
    noun: str = ""

    def render(self, lang: str | None = None) -> str:
        code = lang if lang is not None and lang in LANGUAGES else current_language()
        shown = str(int(self.number)) if float(self.number).is_integer() else str(round(self.number, 2))
        if code == "ru":
            shown = shown.replace(".", ",")
        word = LANGUAGES[code].get(f"surge.word.{self.noun}.{plural_form(self.number, code)}", self.noun)
        return f"{shown} {word}"


def counted(number: float, noun: str) -> Counted:
    return Counted(f"surge.word.{noun}", {}, number, noun)


@dataclass(frozen=True)
class Joined(Text):
    """Texts joined with ", ", each rendered in the reader's language (recipients: «Губернатору, …»)."""

    parts: tuple[Text, ...] = ()

    def render(self, lang: str | None = None) -> str:
        return ", ".join(part.render(lang) for part in self.parts)


def joined(parts: tuple[Text, ...]) -> Joined:
    return Joined("surge.joined", {}, parts)
