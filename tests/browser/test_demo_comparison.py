"""The regulator's comparison after `make run`'s steps (issue 14), in Chromium: the demo's village
council adopted the municipal template, and its column says so — template and version in the
header, its own choices in bold beside the template's cells, and the parameters that differ listed."""
from __future__ import annotations

import shutil
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from engine.demo import seed as demo
from engine.models import User
from tests.browser.conftest import PASSWORD, shot
from tests.factories import ROOT, deploy_files

DIAGRAMS = [str(p.relative_to(ROOT)) for folder in ("bpmn", "bpmn/templates") for p in sorted((ROOT / folder).glob("*.bpmn"))]
TEMPLATE_WORDS = "по шаблону «Типовой муниципальный порядок: сообщения из открытых источников (шаблон)», версия 1"
NOTE_SHOTS = Path("/tmp/otk/shots14")  # the session's note collects the flow's screenshots here when it exists


def test_the_regulator_sees_the_council_beside_its_template(live_db, page_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fast_hash = lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000")  # noqa: E731
    with live_db.session() as session:  # otklik deploy bpmn/*.bpmn bpmn/templates/*.bpmn, then otklik demo
        deploy_files(session, *(d for d in DIAGRAMS if d != "bpmn/orenburg.bpmn"))
    with live_db.session() as session:
        demo.seed(session, fast_hash, check_password_hash, tmp_path / "logins.txt")
        for user in session.query(User):
            user.password_hash = fast_hash(PASSWORD)

    page = page_for("regulator")
    page.goto(page.url.replace("/inbox", "/procedures/compare"))
    header = page.locator("#comparison thead th", has=page.locator("[data-template]"))
    assert "Берёзовский сельсовет" in header.inner_text() and TEMPLATE_WORDS in header.inner_text()
    assert "municipal_template" not in header.inner_text()  # the template by its name, never its id (issue 16)
    routing = page.locator('td[data-step="routing"][data-region="berezovka"]')
    mark = routing.locator("strong.differs")
    assert mark.is_visible() and mark.inner_text() == "не как в шаблоне (Срок направления сообщения после выявления)"
    assert routing.locator(".template-cell").inner_text().startswith("в шаблоне: 8 рабочих часов")
    assert mark.evaluate("e => Number(getComputedStyle(e).fontWeight)") >= 600  # bold, readable in black and white
    assert page.locator('td[data-step="routing"][data-region="kalmanka"] strong.differs').count() == 0
    listed = page.locator('td[data-step="adopted"][data-region="berezovka"] [data-parameter]')
    assert sorted(listed.evaluate_all("els => els.map(e => e.dataset.parameter)")) == [
        "publisher", "routing_hours", "use_reception"]
    assert page.console_errors == []  # type: ignore[attr-defined]
    shot(page, "14-5-comparison-adopted")
    if NOTE_SHOTS.is_dir():
        path = tmp_path / "14-5-comparison-adopted.png"
        page.screenshot(path=str(path), full_page=True)
        shutil.copy(path, NOTE_SHOTS / path.name)
