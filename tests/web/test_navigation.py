"""The top bar marks exactly the section a page belongs to (issue 16, item 8): «Новое сообщение» is
its own item, so «Сообщения» is not lit while a message is being registered."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.pagetext import visible_text


class _CurrentItems(HTMLParser):
    """The words of every link in the page's top bar marked aria-current="page"."""

    def __init__(self) -> None:
        super().__init__()
        self.current: list[str] = []
        self._in_header = False
        self._in_current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self._in_header = True
        elif tag == "a" and self._in_header and ("aria-current", "page") in attrs:
            self._in_current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self._in_header = False
        elif tag == "a" and self._in_current is not None:
            self.current.append("".join(self._in_current).strip())
            self._in_current = None

    def handle_data(self, data: str) -> None:
        if self._in_current is not None:
            self._in_current.append(data)


def current_items(html: str) -> list[str]:
    parser = _CurrentItems()
    parser.feed(html)
    return parser.current


@pytest.mark.parametrize(("path", "item"), [
    ("/messages/new", "Новое сообщение"),
    ("/messages", "Сообщения"),
    ("/inbox", "Входящие"),
    ("/procedures", "Процедуры"),
    ("/procedures/orenburg/1", "Процедуры"),
    ("/notifications", "Уведомления"),
])
def test_the_top_bar_marks_only_the_current_section(client_for, path: str, item: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("curator").get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert current_items(html) == [item]
    assert "Новое сообщение" in visible_text(html)  # offered on every page, lit only on its own
