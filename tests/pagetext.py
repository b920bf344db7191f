"""What a page must never show a person (issue 16): a demo login or organisation key, an ISO
timestamp, an IANA zone name. Web and browser tests hand the text a person reads (a response's
visible text, ``page.inner_text("body")``) to ``assert_no_internal_names``; a failure lists each
offending word with a little of the text around it, so the test says where the internal name leaked.

Logins and keys are matched as whole words, case-sensitively (they are lower-case with
underscores), so «Куратор» or an English "Curator" heading is not a hit but ``curator`` is."""
from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from engine.demo.people import OFFICIALS, ORGANISATIONS

DEMO_LOGINS = frozenset(login for login, *_ in OFFICIALS)
DEMO_ORGANISATION_KEYS = frozenset(key for key, *_ in ORGANISATIONS)

# A word is letters, digits, '_' and '-' here, so "exec_health" is not found inside "exec_health2"
# and "admin" is not found in "kal_admin" (that one is found as itself).
_EDGE = r"(?<![\w-]){}(?![\w-])"
ISO_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
IANA_ZONE = re.compile(
    r"\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z][A-Za-z0-9_+-]*")


def _word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so "kal_exec_roads" is reported as itself rather than a shorter key inside it.
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(_EDGE.format(f"(?:{alternatives})"))


_INTERNAL_WORDS = _word_pattern(DEMO_LOGINS | DEMO_ORGANISATION_KEYS)


def internal_names(text: str, allow: Iterable[str] = ()) -> list[str]:
    """Every internal name in ``text`` with up to 30 characters either side, in order of appearance.
    ``allow`` lists words a particular page may legitimately show (e.g. the admin page's login column)."""
    allowed = set(allow)
    found: list[str] = []
    for pattern in (_INTERNAL_WORDS, ISO_TIMESTAMP, IANA_ZONE):
        for match in pattern.finditer(text):
            if match.group(0) in allowed:
                continue
            start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
            context = text[start:end].replace("\n", " ")
            found.append(f"{match.group(0)!r} in «…{context}…»")
    return found


def assert_no_internal_names(text: str, allow: Iterable[str] = ()) -> None:
    """Fail if ``text`` shows a demo login, an organisation key, an ISO timestamp or an IANA zone."""
    found = internal_names(text, allow)
    assert not found, "internal names a person would read:\n" + "\n".join(found)


# Tags that break a line or a cell: a space between their texts, as a browser shows them apart. Inline
# tags (strong, a, span, time) join their text to the next, as the eye reads "шаг: «…»".
_BLOCKS = frozenset({"address", "article", "aside", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
                     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li",
                     "main", "nav", "ol", "option", "p", "section", "table", "tbody", "td", "tfoot", "th",
                     "thead", "tr", "ul", "button", "label", "summary", "details"})


class _VisibleText(HTMLParser):
    """The text of an HTML page a person reads: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """A page's visible text from its HTML (for Flask test-client responses), whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()
