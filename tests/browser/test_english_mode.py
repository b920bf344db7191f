"""English mode, complete (issue 16 item 7), in Chromium at 1366×768: curator, executor, regulator,
analyst and administrator switch to English on the sign-in page and open their main pages — inbox, a
task, the message card, the registry, reports, the procedure page, the comparison, /admin. Each page's
text, with the data taken out (diagram element names and documentation, the deployed forms' labels
and options, organisation, people and territory names, message texts: tests/pagetext_en.py), has no
Cyrillic left; a failure prints each page's offending lines.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from engine.demo import seed as demo
from engine.models import User
from engine.runtime.timers import fire_due_timers
from tests.browser.conftest import PASSWORD, shot
from tests.browser.test_orenburg_journey import draft, open_task, submit
from tests.factories import ROOT, deploy_files
from tests.pagetext_en import cyrillic_left, data_pattern, data_strings

DIAGRAMS = [str(p.relative_to(ROOT)) for folder in ("bpmn", "bpmn/templates") for p in sorted((ROOT / folder).glob("*.bpmn"))]
EXECUTOR = "exec_orb_roads"  # tests.factories.orenburg_people: the agency register_and_route routes to
SHOTS = Path("/tmp/otk/shots")  # for whoever walks the pages by eye; written only when it exists
# Pages still waiting for another part of issue 16 ("<role> <path>" prefix → what is left); empty when all is done.
PENDING: dict[str, str] = {}


def _sign_in(browser, base: str, login: str, english: bool = True):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{base}/login")
    if english:
        page.locator("button[lang=en]").click()  # the switch is on every page, the sign-in page too
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/inbox")
    assert page.locator("html").get_attribute("lang") == ("en" if english else "ru")  # it sticks across the sign-in
    return page


def _register_and_route(curator: Any, base: str) -> None:
    """A message registered and routed to the roads agency (where the page lands after is not this test's)."""
    curator.goto(f"{base}/messages/new")
    curator.select_option("select[name=network]", "vk")
    curator.fill("input[name=url]", "https://vk.com/wall-1_2")
    curator.fill("input[name=author]", "Мария Иванова")
    curator.fill("textarea[name=text]", "Во дворе дома 5 по ул. Советской третий день не вывозят мусор.")
    curator.fill("input[name=posted_at]", "2025-11-10T09:40")
    curator.fill("input[name=detected_at]", "2025-11-10T10:00")
    submit(curator)
    open_task(curator, base, "Определить тему")
    curator.check("input[name=category][value=ordinary]")
    curator.select_option("select[name=topic]", "housing_utilities")
    curator.fill("input[name=location]", "Оренбург, ул. Советская, 5")
    curator.select_option("select[name=importance]", "normal")
    curator.select_option("select[name=agency]", "orb_roads")
    submit(curator)


# A diagram's own labels are data and bpmn-js breaks them into SVG lines (innerText loses their spaces):
# the page's text is read with the diagrams hidden; the viewer's HTML overlays (badges) stay.
_TEXT_WITHOUT_DIAGRAMS = """() => {
  const drawn = [...document.querySelectorAll("svg")];
  drawn.forEach(svg => svg.style.setProperty("display", "none"));
  const text = document.body.innerText;
  drawn.forEach(svg => svg.style.removeProperty("display"));
  return text;
}"""


def _text(page: Any) -> str:
    """The page's text without what is written in Russian on purpose (the «Русский» switch, lang="ru")."""
    text = page.evaluate(_TEXT_WITHOUT_DIAGRAMS)
    for marked in page.locator("body [lang=ru]").all_inner_texts():  # not <html lang>: that is the whole page
        text = text.replace(marked, "")
    return text


def test_english_pages_have_no_russian_but_data(browser, live_app, live_db, virtual_clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fast_hash = lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000")  # noqa: E731
    with live_db.session() as session:  # `make run`: every diagram deployed, then `otklik demo`
        deploy_files(session, *(d for d in DIAGRAMS if d != "bpmn/orenburg.bpmn"))
    with live_db.session() as session:
        demo.seed(session, fast_hash, check_password_hash, tmp_path / "logins.txt")
        for user in session.query(User):
            user.password_hash = fast_hash(PASSWORD)

    # Two Orenburg cases, made in Russian as officials would: one waiting for approval, one for the executor.
    virtual_clock.set(datetime(2025, 11, 10, 5, 5, tzinfo=UTC))  # 10:05 in Orenburg
    maker = _sign_in(browser, live_app, "curator", english=False)
    _register_and_route(maker, live_app)
    _register_and_route(maker, live_app)
    draft(_sign_in(browser, live_app, EXECUTOR, english=False), live_app)  # the first case goes to approval

    with live_db.session(readonly=True) as session:
        data = data_pattern(data_strings(session))

    failures: dict[str, list[str]] = {}

    def check(page: Any, label: str) -> None:
        page.wait_for_load_state()
        left = cyrillic_left(_text(page), data)
        path = page.url.removeprefix(live_app)
        if left:
            failures[f"{label} {path}"] = left
        if SHOTS.is_dir():
            page.screenshot(path=str(SHOTS / f"h5-en-{label}-{path.strip('/').replace('/', '_') or 'root'}.png"))

    def visit(page: Any, label: str, *paths: str, status: int = 200) -> None:
        for path in paths:
            response = page.goto(f"{live_app}{path}")
            assert response is not None and response.status == status, f"{label} {path}: {response and response.status}"
            check(page, label)

    def submit_unchecked(page: Any, label: str) -> None:
        """The page's form sent as it is, past the browser's own checks: the server's refusals, in English."""
        page.evaluate("() => document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
        submit(page)
        check(page, label + "-refused")

    curator = _sign_in(browser, live_app, "curator")
    check(curator, "curator")
    open_task(curator, live_app, "Согласовать")  # a task's name is the diagram's: data
    check(curator, "curator")
    approval = curator.url
    shot(curator, "16-7-english-task")
    submit_unchecked(curator, "curator")  # no decision chosen
    curator.goto(approval)
    links = curator.locator("main a[href*='/messages/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    card = next((href for href in links if re.fullmatch(r"/messages/\d+", href)), None)
    assert card is not None, f"the task page links to its message's card: {links}"
    visit(curator, "curator", card, "/messages", "/reports", "/notifications", "/messages/new")
    submit_unchecked(curator, "curator")  # an empty registration
    visit(curator, "curator", "/messages/999999", status=404)

    executor = _sign_in(browser, live_app, EXECUTOR)
    check(executor, "executor")
    open_task(executor, live_app, "Принять сообщение")
    check(executor, "executor")
    submit(executor)  # accepted ("competent" is ticked by default): the flash and the next step, in English
    check(executor, "executor-done")
    visit(executor, "executor", card)
    visit(executor, "executor", "/admin/", status=403)

    # Two hours on: the approval and the second case's acceptance are overdue; the worker records the
    # breaches and tells the supervisor (the card's history and the notification centre have them).
    virtual_clock.set(datetime(2025, 11, 10, 9, 0, tzinfo=UTC))
    fire_due_timers(live_db)
    supervisor = _sign_in(browser, live_app, "supervisor")
    visit(supervisor, "supervisor", "/inbox", "/notifications", card, "/reports")
    supervisor.goto(f"{live_app}{card}")
    shot(supervisor, "16-7-english-card")

    regulator = _sign_in(browser, live_app, "regulator")
    visit(regulator, "regulator", "/inbox", "/messages", card, "/reports", "/procedures", "/procedures/orenburg/1",
          "/procedures/compare", "/procedures/heatmap?region=orenburg", "/surges")

    regulator.goto(f"{live_app}/procedures/compare")
    shot(regulator, "16-7-english-comparison")
    regulator.goto(f"{live_app}/procedures/orenburg/1")
    shot(regulator, "16-7-english-procedure")

    analyst = _sign_in(browser, live_app, "analyst")
    visit(analyst, "analyst", "/inbox", "/procedures", "/procedures/orenburg/1", "/deploy", "/templates")

    admin = _sign_in(browser, live_app, "admin")
    visit(admin, "admin", "/admin/", "/admin/officials", "/admin/roles", "/admin/organisations", "/admin/territories",
          "/admin/territories/orenburg", "/incidents", "/admin/notifications")

    report = "\n".join(f"{page}:\n    " + "\n    ".join(lines) for page, lines in failures.items())
    pending = {page: reason for page in failures for prefix, reason in PENDING.items() if page.startswith(prefix)}
    if failures and set(failures) == set(pending):
        pytest.xfail("only pages another part of issue 16 is still finishing: "
                     + "; ".join(sorted(set(pending.values()))) + "\n" + report)
    assert not failures, "Russian left on English pages (data removed):\n" + report
