"""Issue 14, "Done when": a village council adopts the municipal template, sees what changed upstream
and upgrades — in Chromium, keeping its own choices.

A municipality is added as data (the Novoromanovo council of the Altai region, its analyst and
curator); the municipal template's version 1 is deployed as `make run` deploys it. The council's
analyst adopts the template in the browser with its own routing deadline and publisher, previewing
the procedure card first; a case starts on that procedure. The template's authors (an analyst of
the Kalmansky district, whose act the template follows) deploy a version 2 through /deploy, with the
draft deadline changed, the answer deadline's default moved (1 → 2 working days; the council had left
it at the default) and a new parameter. The council's procedure page shows the semantic diff and
offers the moved default with a ticked box; «Обновить до версии 2» deploys the council's version 2
with its own values kept, the moved default taken and the new parameter at its default, while the
running case stays on version 1. The version history says what adopting and upgrading did.
Screenshots go to tmp_path and, for the note, to /tmp/otk/shots14/ when that directory exists.
"""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.models import Deployment, Instance
from engine.runtime import cases as runtime
from tests.browser.conftest import PASSWORD, shot
from tests.browser.test_new_region_journey import deploy
from tests.factories import official, organisation
from tests.web.test_template_pages import COUNCIL, PROCESS, TEMPLATE, add_council, deploy_template, template_v2

NOTE_SHOTS = Path("/tmp/otk/shots14")
# Monday 10 November 2025, 10:00 in Barnaul (UTC+7).
MONDAY_MORNING = datetime(2025, 11, 10, 3, 0, tzinfo=UTC)


def _shot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    shot(page, name)  # docs/screenshots/, for the analyst guide, only with `make screenshots`
    if NOTE_SHOTS.is_dir():
        shutil.copy(path, NOTE_SHOTS / path.name)


def _prepare(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        add_council(session)
        kalmanka = organisation(session, "kal_admin", "municipality", "kalmanka", "Администрация Калманского района")
        official(session, "kal_analyst", kalmanka, "analyst").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
        deploy_template(session)


def _start_case(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region=COUNCIL, network="vk", url="https://vk.com/wall-7_1", author="Пётр Новороманов",
            text="В селе третий день нет воды в колонке на ул. Школьной", posted_at=MONDAY_MORNING,
            detected_at=MONDAY_MORNING), "nvr_curator", process_id=PROCESS)
        return instance.id


def test_a_council_adopts_the_template_sees_version_2_and_upgrades_keeping_its_values(  # type: ignore[no-untyped-def]
        page_for, live_app, live_db, virtual_clock, tmp_path) -> None:
    virtual_clock.set(MONDAY_MORNING)
    _prepare(live_db)

    # Adopt: the list, the generated form, the preview of the card, the deployment.
    analyst = page_for("nvr_analyst")
    analyst.goto(f"{live_app}/templates")
    row = analyst.locator(f'tr[data-template="{TEMPLATE}"]')
    assert "версия 1" in row.inner_text() and "пока никто" in row.inner_text(), row.inner_text()
    row.get_by_role("link", name="Принять шаблон").click()
    analyst.wait_for_url(f"**/templates/{TEMPLATE}/adopt")
    assert analyst.locator("#f-p-routing_hours").get_attribute("type") == "number"
    assert analyst.locator("#f-p-use_reception").get_attribute("type") == "checkbox"
    analyst.select_option("#f-territory", COUNCIL)
    analyst.fill("#f-p-routing_hours", "4")
    analyst.select_option("#f-p-publisher", "executor")
    analyst.locator("#f-p-routing_hours").press("Enter")  # the first button: «Предпросмотр»
    analyst.wait_for_selector("#preview-card")
    card = analyst.locator("#preview-card").inner_text()
    assert "4 рабочих час" in card, card
    assert analyst.input_value("#f-p-routing_hours") == "4"  # nothing typed is lost
    _shot(analyst, tmp_path, "14-1-adopt-preview")
    with live_db.session() as session:
        assert session.scalars(select(Deployment).where(Deployment.process_id == PROCESS)).all() == []
    analyst.get_by_role("button", name="Развернуть").click()
    analyst.wait_for_url(f"**/procedures/{PROCESS}/1")
    assert analyst.locator("#template-upgrade").count() == 0
    case_id = _start_case(live_db)

    # The template's authors publish version 2 through /deploy.
    authors = page_for("kal_analyst")
    v2 = tmp_path / "municipal.bpmn"
    moved = '<camunda:property name="var.answer_days" value="1" />'
    assert template_v2().count(moved) == 1
    v2.write_text(template_v2().replace(moved, '<camunda:property name="var.answer_days" value="2" />'), "utf-8")
    deploy(authors, live_app, v2)
    with live_db.session() as session:
        assert session.scalar(select(Deployment.version).where(Deployment.process_id == TEMPLATE)
                              .order_by(Deployment.version.desc()).limit(1)) == 2

    # The council's procedure page: what changed upstream, and the values an upgrade deploys.
    analyst.goto(f"{live_app}/procedures/{PROCESS}/1")
    panel = analyst.locator("#template-upgrade")
    text = panel.inner_text()
    assert "Доступна новая версия шаблона" in text, text
    assert "working_days(draft_days) → working_days(draft_days + 1)" in text, text  # the changed deadline
    assert "«Срок уведомления автора»" in text and "notify_days" not in text  # the new parameter by its label, in the diff and the form
    assert analyst.input_value("#f-p-routing_hours") == "4"  # the council's own value
    assert analyst.input_value("#f-p-publisher") == "executor"
    assert analyst.input_value("#f-p-notify_days") == "3"  # the new parameter's default
    assert "новый параметр" in analyst.locator('tr[data-parameter="notify_days"]').inner_text()
    moved_row = analyst.locator('tr[data-parameter="answer_days"]').inner_text()
    assert "значение по умолчанию изменилось: 1 → 2" in moved_row, moved_row  # never silent
    assert analyst.locator("#f-take-answer_days").is_checked()  # the council had kept the default: take the new one
    _shot(analyst, tmp_path, "14-2-upgrade-panel")
    analyst.get_by_role("button", name="Обновить до версии 2").click()
    analyst.wait_for_url(f"**/procedures/{PROCESS}/2")
    page = analyst.locator("main").inner_text()
    assert "обновлена до версии шаблона 2" in page, page
    facts = analyst.locator("dl.facts").inner_text()
    # By label with units, the choice in the help's words: never routing_hours, 'executor' (issue 16).
    assert ("Срок направления сообщения после выявления\n4 рабочих часа" in facts
            and "Кто размещает ответ\nисполнитель, после согласования уполномоченным лицом" in facts
            and "Срок уведомления автора\n3 рабочих дня" in facts), facts
    assert "Срок подготовки и размещения ответа\n2 рабочих дня" in facts, facts  # the moved default, taken
    assert analyst.locator("#template-upgrade").count() == 0
    _shot(analyst, tmp_path, "14-3-upgraded")

    with live_db.session() as session:
        assert session.execute(select(Deployment.version, Deployment.template_version)
                               .where(Deployment.process_id == PROCESS).order_by(Deployment.version)).all() == [
            (1, 1), (2, 2)]
        instance = session.get(Instance, case_id)
        assert instance is not None
        version = session.scalar(select(Deployment.version).where(Deployment.id == instance.deployment_id))
        assert version == 1  # the running case stays on the version it started on
    analyst.goto(f"{live_app}/procedures/{PROCESS}/diff")  # the version history says what was done
    history = analyst.locator("#versions").inner_text()
    assert ("обновлена по шаблону «Типовой муниципальный порядок: сообщения из открытых источников (шаблон)»: версия 1 → 2"
        in history), history
    assert "значение по умолчанию изменилось, взято новое: 1 → 2" in history and "4 (в шаблоне 8)" in history, history
    _shot(analyst, tmp_path, "14-6-version-history")
    analyst.goto(f"{live_app}/templates")
    adopters = analyst.locator(f'tr[data-template="{TEMPLATE}"]').inner_text()
    assert "Новоромановский сельсовет" in adopters and "по версии шаблона 2" in adopters, adopters
    _shot(analyst, tmp_path, "14-4-templates-list")
    for page in (analyst, authors):
        assert page.console_errors == [], page.console_errors
