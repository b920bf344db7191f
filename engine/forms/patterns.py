"""Regular expressions of forms (``validate.pattern``, the email and phone checks), run by RE2.

Python's ``re`` backtracks: ``(a+)+$`` against a 28-character value took 14 s, each character more
doubling it, and it held the GIL. RE2 matches in time linear in the text (a pattern of up to
MAX_PATTERN characters against a 20,000-character value: well under a second, measured ~0.3 s at
worst) and releases the GIL while it runs.

form-js patterns are JavaScript regular expressions (no flags); the supported subset is what RE2
shares with them: literals, ``.``, classes ``[...]`` ``[^...]``, ``\\d \\w \\s \\b`` (ASCII, as in
JavaScript; ``\\s`` leaves out non-ASCII spaces), ``* + ? {n} {n,} {n,m}`` (at most 1000) and their
lazy forms, ``|``, groups ``(...)`` ``(?:...)`` ``(?<name>...)``, anchors ``^ $``, escapes
``\\t \\n \\xHH \\uHHHH``. Refused at deployment, with what to write instead: lookarounds ``(?=``
``(?!`` ``(?<=`` ``(?<!``, backreferences ``\\1`` ``\\k<name>``, and patterns too large for RE2.
The whole value must match, as if the pattern were written ``^(?:...)$``.
"""
from __future__ import annotations

import functools
import re

import re2

from engine.texts import Text, t

MAX_PATTERN = 1_000  # characters; RE2's own memory limit (8 MiB) bounds the compiled program

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the analyst's problem line, not a line in the server log
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|.)", re.S)  # one escape at a time, so \\u0410 stays literal
_BACKREFERENCE = re.compile(r"invalid escape sequence: \\[1-9k]")


class PatternError(ValueError):
    """A pattern RE2 cannot run: ``what`` is what is wrong, ``change`` what to write instead (Texts,
    rendered when shown; str() is ``what`` in the current language)."""

    def __init__(self, what: Text, change: Text) -> None:
        super().__init__(what)
        self.what, self.change = what, change

    def __str__(self) -> str:
        return str(self.what)


def _from_javascript(pattern: str) -> str:
    """JavaScript's \\uHHHH written as RE2 writes it, \\x{HHHH}; every other escape is kept."""
    return _ESCAPE.sub(lambda m: f"\\x{{{m.group(1)}}}" if m.group(1) else m.group(0), pattern)


def _refusal(message: str) -> PatternError:
    if "(?=" in message or "(?!" in message:
        return PatternError(t("forms.pattern_lookahead"), t("forms.pattern_lookahead_change"))
    if "(?<=" in message or "(?<!" in message:
        return PatternError(t("forms.pattern_lookbehind"), t("forms.pattern_lookbehind_change"))
    if _BACKREFERENCE.search(message):
        return PatternError(t("forms.pattern_backreference"), t("forms.pattern_backreference_change"))
    if "too large" in message or "repetition size" in message:
        return PatternError(t("forms.pattern_too_large", detail=message), t("forms.pattern_too_large_change"))
    return PatternError(t("forms.pattern_invalid", detail=message),  # RE2's own words, in English
                        t("forms.pattern_invalid_change"))


def compiled(pattern: str) -> re2._Regexp:
    """The pattern compiled by RE2, or PatternError saying why it cannot be used."""
    if not isinstance(pattern, str):
        raise PatternError(t("forms.pattern_not_text"), t("forms.pattern_not_text_change"))
    if len(pattern) > MAX_PATTERN:  # before the cache, which would hash and keep huge text
        raise PatternError(t("forms.pattern_too_long", limit=MAX_PATTERN), t("forms.pattern_too_long_change"))
    return _compile(pattern)


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re2._Regexp:
    try:
        return re2.compile(_from_javascript(pattern), _OPTIONS)
    except re2.error as error:
        detail = error.args[0] if error.args else b""
        raise _refusal(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) from None
    except UnicodeEncodeError:  # a lone surrogate from JSON's \ud800
        raise PatternError(t("forms.pattern_bad_unicode"), t("forms.pattern_retype")) from None


def fullmatch(pattern: str, text: str) -> bool:
    """Whether the whole text matches a pattern that compiled() accepts."""
    try:
        return compiled(pattern).fullmatch(text) is not None
    except UnicodeEncodeError:  # a lone surrogate is not text that any pattern describes
        return False
