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

MAX_PATTERN = 1_000  # characters; RE2's own memory limit (8 MiB) bounds the compiled program

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the analyst's problem line, not a line in the server log
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|.)", re.S)  # one escape at a time, so \\u0410 stays literal
_BACKREFERENCE = re.compile(r"invalid escape sequence: \\[1-9k]")


class PatternError(ValueError):
    """A pattern RE2 cannot run: str() is what is wrong, ``change`` what to write instead."""

    def __init__(self, what: str, change: str) -> None:
        super().__init__(what)
        self.change = change


def _from_javascript(pattern: str) -> str:
    """JavaScript's \\uHHHH written as RE2 writes it, \\x{HHHH}; every other escape is kept."""
    return _ESCAPE.sub(lambda m: f"\\x{{{m.group(1)}}}" if m.group(1) else m.group(0), pattern)


def _refusal(message: str) -> PatternError:
    if "(?=" in message or "(?!" in message:
        return PatternError("uses a lookahead, which is not supported",
                            "describe the whole value instead, e.g. [0-9]{6} rather than (?=[0-9]{6}$).*")
    if "(?<=" in message or "(?<!" in message:
        return PatternError("uses a lookbehind, which is not supported",
                            "describe the whole value from its start instead, e.g. [A-Z][0-9]+ rather than (?<=[A-Z])[0-9]+")
    if _BACKREFERENCE.search(message):
        return PatternError("uses a backreference, which is not supported",
                            "repeat the group's pattern instead, e.g. ([a-z]+)-[a-z]+ rather than ([a-z]+)-\\1")
    if "too large" in message or "repetition size" in message:
        return PatternError(f"is too large ({message})",
                            "use smaller repetition counts, e.g. {1,100}, or check the length with maxLength instead")
    return PatternError(f"is not a valid regular expression ({message})",
                        "fix the pattern (JavaScript syntax without lookarounds or backreferences; "
                        "it must match the whole value)")


def compiled(pattern: str) -> re2._Regexp:
    """The pattern compiled by RE2, or PatternError saying why it cannot be used."""
    if not isinstance(pattern, str):
        raise PatternError("is not text", "write the pattern as text")
    if len(pattern) > MAX_PATTERN:  # before the cache, which would hash and keep huge text
        raise PatternError(f"is longer than {MAX_PATTERN} characters", "shorten it, or check the length with maxLength")
    return _compile(pattern)


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re2._Regexp:
    try:
        return re2.compile(_from_javascript(pattern), _OPTIONS)
    except re2.error as error:
        detail = error.args[0] if error.args else b""
        raise _refusal(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) from None
    except UnicodeEncodeError:  # a lone surrogate from JSON's \ud800
        raise PatternError("contains a character that is not valid Unicode", "retype the pattern") from None


def fullmatch(pattern: str, text: str) -> bool:
    """Whether the whole text matches a pattern that compiled() accepts."""
    try:
        return compiled(pattern).fullmatch(text) is not None
    except UnicodeEncodeError:  # a lone surrogate is not text that any pattern describes
        return False
