"""The language switch (issue 16 item 7): on every page, the sign-in page too; the page comes back as
it was, its filters kept; the choice sticks across pages, signing in and signing out."""
from __future__ import annotations

import re

from tests.web import test_admin
from tests.web.test_admin import PASSWORD, _text

app, admin = test_admin.app, test_admin.admin


def _switch(page: str) -> tuple[str, str]:
    found = re.search(r'action="(/locale/\w+)"[^>]*>.*?name="next" value="([^"]*)"', page, re.S)
    assert found, "every page carries the switch"
    return found[1], found[2].replace("&amp;", "&")


def test_switching_keeps_the_page_and_its_filters_and_sticks(app, admin) -> None:  # type: ignore[no-untyped-def]
    page = _text(admin.get("/admin/territories?x=1&y=2"))
    action, back = _switch(page)
    assert (action, back) == ("/locale/en", "/admin/territories?x=1&y=2")
    response = admin.post(action, data={"next": back})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/territories?x=1&y=2"
    assert '<html lang="en">' in _text(admin.get("/admin/"))  # another page: still English
    assert _switch(_text(admin.get("/admin/")))[1] == "/admin/"  # no query: the bare path


def test_the_choice_outlives_signing_out_and_in(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    action, back = _switch(_text(client.get("/login")))
    client.post(action, data={"next": back})
    assert '<html lang="en">' in _text(client.get("/login"))
    assert client.post("/login", data={"login": "boss", "password": PASSWORD}).status_code == 302
    assert '<html lang="en">' in _text(client.get("/admin/"))
    client.post("/logout")
    assert '<html lang="en">' in _text(client.get("/login"))
