"""/templates, adopting a template and upgrading an adopted procedure in the browser (issue 14).

A village council of the Kalmansky district — a municipality added as data, with its own analyst —
adopts the municipal template (bpmn/templates/municipal.bpmn) through a form generated from the
template's declared parameters, previews its procedure card, deploys it, and later upgrades it to a
template version 2 keeping its own values.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.deployment.deployer import Source, deploy, library_forms
from engine.directory.territories import TerritoryInput, add_territory
from engine.models import Deployment
from tests.factories import official, organisation
from tests.web.conftest import PASSWORD, csrf_token

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_FILE = ROOT / "bpmn" / "templates" / "municipal.bpmn"
TEMPLATE = "municipal_template"
COUNCIL = "novoromanovo"
PROCESS = f"{TEMPLATE}_{COUNCIL}"


def template_v2() -> str:
    """The template as its authors would publish a version 2: the draft deadline one working day
    longer and a new parameter (notify_days, at 3 by default)."""
    text = TEMPLATE_FILE.read_text(encoding="utf-8")
    assert text.count(">working_days(draft_days)<") == 1
    text = text.replace(">working_days(draft_days)<", ">working_days(draft_days + 1)<")
    anchor = '<camunda:property name="var.published" value="False" />'
    assert text.count(anchor) == 1
    return text.replace(anchor, anchor + '\n        <camunda:property name="var.notify_days" value="3" />'
                        '\n        <camunda:property name="param.notify_days.type" value="days" />'
                        '\n        <camunda:property name="param.notify_days.label" value="Срок уведомления автора" />'
                        '\n        <camunda:property name="param.notify_days.help" value="Рабочих дней после регистрации" />')


def add_council(session) -> None:  # type: ignore[no-untyped-def]
    """The village council as data: a municipality of the Altai region, its administration and analyst."""
    add_territory(session, TerritoryInput(COUNCIL, "Новоромановский сельсовет", "Asia/Barnaul", "municipality",
                                          "altai"), "install")
    admin = organisation(session, "nvr_admin", "municipality", COUNCIL, "Администрация Новоромановского сельсовета")
    for login, role in (("nvr_analyst", "analyst"), ("nvr_curator", "curator")):
        official(session, login, admin, role).password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def deploy_template(session, text: str | None = None) -> None:  # type: ignore[no-untyped-def]
    data = (text if text is not None else TEMPLATE_FILE.read_text(encoding="utf-8")).encode("utf-8")
    deploy(session, [Source("municipal.bpmn", data)], "install", extra_forms=library_forms())


@pytest.fixture(autouse=True)
def council(app):  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        add_council(session)
        deploy_template(session)


def rows(app, process_id: str = PROCESS) -> list[tuple[int, int | None, list]]:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        found = session.execute(select(Deployment.version, Deployment.template_version, Deployment.parameters)
                                .where(Deployment.process_id == process_id).order_by(Deployment.version))
        return [(v, t, p) for v, t, p in found]


def values_of(parameters: list[dict]) -> dict[str, str]:
    return {p["name"]: p["default"] for p in parameters}


def adopt_form(**changes: str | None) -> dict[str, str]:
    """What the adoption form posts: the template's defaults (a ticked reception), some changed."""
    form: dict[str, str | None] = {"territory": COUNCIL, "process_id": "", "p-routing_hours": "8", "p-answer_days": "1",
            "p-draft_days": "0",
            "p-final_days": "7", "p-publisher": "official", "p-use_reception": "true"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def post(client, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/templates")})


def previewed(page: str) -> str:
    found = re.search(r'name="previewed" value="([0-9a-f]+)"', page)
    assert found, page
    return found.group(1)


def adopt(client, **changes: str | None):  # type: ignore[no-untyped-def]
    """Preview, then «Развернуть» with what the preview showed, as the page does."""
    form = adopt_form(**changes)
    page = post(client, f"/templates/{TEMPLATE}/adopt", {**form, "action": "preview"}).get_data(as_text=True)
    return post(client, f"/templates/{TEMPLATE}/adopt", {**form, "action": "deploy", "previewed": previewed(page)})


def test_the_templates_page_lists_versions_and_adopters_by_name(client_for, app) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    page = analyst.get("/templates").get_data(as_text=True)
    assert "Типовой муниципальный порядок" in page and "версия 1" in page  # «версия 1», not "v1" (issue 16)
    assert "no one yet" in page or "пока никто" in page
    response = adopt(analyst)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = analyst.get("/templates").get_data(as_text=True)
    row = page[page.index(f'data-template="{TEMPLATE}"'):]
    assert "Новоромановский сельсовет" in row, row
    assert f">{COUNCIL}<" not in row  # the territory by its name, never its key


def test_the_adoption_form_is_generated_from_the_declared_parameters(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("nvr_analyst").get(f"/templates/{TEMPLATE}/adopt").get_data(as_text=True)
    assert re.search(r'<input type="number"[^>]*name="p-routing_hours" value="8"', page), page
    assert re.search(r'<input type="checkbox" id="f-p-use_reception" name="p-use_reception" value="true" checked', page)
    assert re.search(r'<select id="f-p-publisher" name="p-publisher"', page)
    assert '<option value="executor">' in page
    assert "Рабочих часов с момента выявления" in page  # the template's help under the field
    assert '<option value="novoromanovo">Новоромановский сельсовет</option>' in page  # the analyst's territory
    assert 'name="csrf_token"' in page


def test_preview_shows_the_card_with_the_chosen_values_and_deploys_nothing(client_for, app) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for("nvr_analyst"), f"/templates/{TEMPLATE}/adopt",
                    adopt_form(**{"p-routing_hours": "4", "p-publisher": "executor", "action": "preview"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    card = page[page.index('id="preview-card"'):]
    assert "4 working hours" in card or "4 рабочих час" in card, card
    assert 'value="deploy"' in page  # «Развернуть» after the preview
    assert re.search(r'name="p-routing_hours" value="4"', page)  # nothing typed is lost
    assert rows(app) == []


def test_a_value_outside_its_declaration_is_refused_beside_its_field(client_for, app) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for("nvr_analyst"), f"/templates/{TEMPLATE}/adopt",
                    adopt_form(**{"p-routing_hours": "восемь", "p-answer_days": "3", "action": "deploy"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="e-p-routing_hours">([^<]*)</p>', page)
    assert error and "routing_hours" in error.group(1), page
    assert re.search(r'name="p-answer_days" value="3"', page)  # the other values stay as typed
    assert 'aria-invalid="true"' in page
    assert rows(app) == []


def test_adopting_deploys_the_councils_procedure_linked_to_the_template(client_for, app) -> None:  # type: ignore[no-untyped-def]
    response = adopt(client_for("nvr_analyst"), **{"p-routing_hours": "4", "p-use_reception": None})
    assert response.status_code == 302 and response.location.endswith(f"/procedures/{PROCESS}/1")
    [(version, template_version, parameters)] = rows(app)
    assert (version, template_version) == (1, 1)
    assert values_of(parameters)["routing_hours"] == "4"
    assert values_of(parameters)["use_reception"] == "false"  # an unticked box is «no»


def test_deploy_deploys_only_what_the_preview_showed(client_for, app) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    page = post(analyst, f"/templates/{TEMPLATE}/adopt",
                adopt_form(**{"p-routing_hours": "4", "action": "preview"})).get_data(as_text=True)
    # The value is changed after the preview: the new card is shown again, nothing deployed.
    response = post(analyst, f"/templates/{TEMPLATE}/adopt",
                    adopt_form(**{"p-routing_hours": "5", "action": "deploy", "previewed": previewed(page)}))
    page = response.get_data(as_text=True)
    assert 'id="stale"' in page and ("5 working hours" in page or "5 рабочих час" in page), page
    assert rows(app) == []
    response = post(analyst, f"/templates/{TEMPLATE}/adopt",
                    adopt_form(**{"p-routing_hours": "5", "action": "deploy", "previewed": previewed(page)}))
    assert response.status_code == 302
    assert values_of(rows(app)[0][2])["routing_hours"] == "5"


def test_an_unknown_template_is_not_found(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("nvr_analyst").get("/templates/orenburg/adopt").status_code == 404


def test_without_csrf_or_the_analyst_role_nothing_is_adopted(client_for, app) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    assert analyst.post(f"/templates/{TEMPLATE}/adopt", data=adopt_form(action="deploy")).status_code == 400
    curator = client_for("nvr_curator")
    assert curator.get("/templates").status_code == 403
    assert curator.post(f"/templates/{TEMPLATE}/adopt", data=adopt_form(action="deploy")).status_code in (400, 403)
    assert rows(app) == []


def test_an_analyst_adopts_only_for_own_territories(client_for, app) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        other = organisation(session, "orb_analysts", "curator", "orenburg")
        official(session, "orb_analyst", other, "analyst").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    response = adopt(client_for("orb_analyst"))
    assert response.status_code == 422
    assert re.search(r'<p class="field-error" id="e-territory">', response.get_data(as_text=True))
    assert rows(app) == []


def test_an_adopted_procedure_offers_the_new_template_version_and_upgrades_keeping_its_values(client_for, app) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    adopt(analyst, **{"p-routing_hours": "4"})
    assert 'id="template-upgrade"' not in analyst.get(f"/procedures/{PROCESS}/1").get_data(as_text=True)
    with app.extensions["otklik_db"].session() as session:
        deploy_template(session, template_v2())
    page = analyst.get(f"/procedures/{PROCESS}/1").get_data(as_text=True)
    panel = page[page.index('id="template-upgrade"'):]
    assert "working_days(draft_days) → working_days(draft_days + 1)" in panel, panel  # the changed deadline
    assert "notify_days" in panel and 'class="parameter-added"' in panel  # the new parameter, at its default
    assert re.search(r'name="p-notify_days" value="3"', panel)
    assert re.search(r'name="p-routing_hours" value="4"', panel)  # the council's own value, kept
    assert "BPMNShape" not in panel and "dc:Bounds" not in panel  # no layout noise
    changes = panel[panel.index('id="upgrade-process-changes"'):panel.index("</ul>", panel.index('id="upgrade-process-changes"'))]
    assert "параметр «Срок уведомления автора»: добавлено = 3" in changes and "notify_days" not in changes, changes
    folded = panel[panel.index('<details id="upgrade-declarations">'):]
    assert "param.notify_days.label" in folded[:folded.index("</details>")]  # folded apart, not dropped

    response = analyst.post(f"/procedures/{PROCESS}/upgrade", data={
        "csrf_token": csrf_token(analyst, f"/procedures/{PROCESS}/1"), "p-routing_hours": "4", "p-answer_days": "1",
        "p-draft_days": "0", "p-final_days": "7", "p-publisher": "official", "p-use_reception": "true",
        "p-notify_days": "3"})
    assert response.status_code == 302 and response.location.endswith(f"/procedures/{PROCESS}/2")
    versions = rows(app)
    assert [(v, t) for v, t, _ in versions] == [(1, 1), (2, 2)]
    assert values_of(versions[1][2])["routing_hours"] == "4" and values_of(versions[1][2])["notify_days"] == "3"
    assert 'id="template-upgrade"' not in analyst.get(f"/procedures/{PROCESS}/2").get_data(as_text=True)


def test_only_the_councils_analysts_see_the_upgrade_button(client_for, app) -> None:  # type: ignore[no-untyped-def]
    adopt(client_for("nvr_analyst"))
    with app.extensions["otklik_db"].session() as session:
        deploy_template(session, template_v2())
    page = client_for("nvr_curator").get(f"/procedures/{PROCESS}/1").get_data(as_text=True)
    assert 'id="template-upgrade"' in page and 'id="upgrade-form"' not in page


def test_the_pages_speak_english_when_asked(client_for) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    analyst.post("/locale/en", data={"csrf_token": csrf_token(analyst, "/templates"), "next": "/templates"})
    page = analyst.get("/templates").get_data(as_text=True)
    assert "Procedure templates" in page and "no one yet" in page and "Adopt the template" in page
    response = post(analyst, f"/templates/{TEMPLATE}/adopt", adopt_form(**{"p-draft_days": "x", "action": "preview"}))
    page = response.get_data(as_text=True)
    assert "Template default: 0" in page and "Preview" in page
    error = re.search(r'<p class="field-error" id="e-p-draft_days">([^<]*)</p>', page)
    assert error and "draft_days" in error.group(1) and not re.search("[а-яА-Я]", error.group(1).replace(
        "Срок подготовки проекта ответа", "")), error  # the engine's refusal in English too (the label is the template's)


def test_a_refused_upgrade_comes_back_with_what_was_typed_and_why(client_for, app) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    adopt(analyst, **{"p-routing_hours": "4"})
    with app.extensions["otklik_db"].session() as session:
        deploy_template(session, template_v2())
    response = analyst.post(f"/procedures/{PROCESS}/upgrade", data={
        "csrf_token": csrf_token(analyst, f"/procedures/{PROCESS}/1"), "p-routing_hours": "6", "p-answer_days": "1",
        "p-draft_days": "0", "p-final_days": "7", "p-publisher": "official", "p-notify_days": "9999"})
    assert response.status_code == 302 and response.location.endswith(f"/procedures/{PROCESS}/1")
    assert [v for v, _, _ in rows(app)] == [1]
    page = analyst.get(f"/procedures/{PROCESS}/1").get_data(as_text=True)
    panel = page[page.index('id="template-upgrade"'):]
    error = re.search(r'<p class="field-error" id="e-p-notify_days">([^<]*)</p>', panel)
    assert error and "notify_days" in error.group(1), panel
    assert re.search(r'name="p-notify_days" aria-invalid="true" aria-describedby="e-p-notify_days" value="9999"', panel)
    assert re.search(r'name="p-routing_hours" value="6"', panel)  # what was typed, not the stored 4
    # Shown once: the next visit shows the procedure's own values again.
    page = analyst.get(f"/procedures/{PROCESS}/1").get_data(as_text=True)
    assert re.search(r'name="p-routing_hours" value="4"', page) and "e-p-notify_days" not in page


def test_upgrading_a_procedure_not_adopted_from_a_template_is_not_found(client_for) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for("nvr_analyst")
    response = analyst.post("/procedures/orenburg/upgrade", data={"csrf_token": csrf_token(analyst, "/templates")})
    assert response.status_code == 404



def test_a_templates_own_page_says_it_never_runs_and_links_to_adoption(client_for, app) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        kalmanka = organisation(session, "kal_admin", "municipality", "kalmanka")
        official(session, "kal_analyst", kalmanka, "analyst").password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    page = client_for("kal_analyst").get(f"/procedures/{TEMPLATE}/1").get_data(as_text=True)
    note = page[page.index('id="template-note"'):]
    assert f'href="/templates/{TEMPLATE}/adopt"' in note[:note.index("</p>")]
    assert 'id="template-note"' not in client_for("curator").get("/procedures/orenburg/1").get_data(as_text=True)


def test_a_template_without_territory_is_every_municipalitys(client_for, app) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a template declaring no territory is visible to every municipality's analysts —
    its page, its history, the list — and adoptable by them; the council's analyst sees it too."""
    text = TEMPLATE_FILE.read_text(encoding="utf-8").replace('<camunda:property name="region" value="kalmanka" />', "")
    text = text.replace('"municipal_template"', '"model_template"')
    with app.extensions["otklik_db"].session() as session:
        deploy_template(session, text)
    analyst = client_for("nvr_analyst")  # an analyst of a council in Altai: the template declares no territory
    page = analyst.get("/procedures/model_template/1")
    assert page.status_code == 200, page.get_data(as_text=True)
    assert 'id="template-note"' in page.get_data(as_text=True)
    assert "шаблон для всех муниципалитетов" in page.get_data(as_text=True) or "every municipality" in page.get_data(as_text=True)
    assert "(время UTC)" in page.get_data(as_text=True)  # no territory, no local time: said so
    assert 'data-template="model_template"' in analyst.get("/templates").get_data(as_text=True)
    assert "model_template" in analyst.get("/procedures").get_data(as_text=True)
    assert analyst.get("/procedures/model_template/diff").status_code == 200  # its version history
    # Uploading a version: a council's analyst is told who deploys a template for every municipality.
    page = analyst.post("/deploy/check", data={"csrf_token": csrf_token(analyst, "/deploy"),
                                               "files": (io.BytesIO(text.encode("utf-8")), "model.bpmn")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "шаблон без территории развёртывают аналитики региона" in page, page


def test_a_moved_default_is_offered_and_the_history_says_what_adopting_and_upgrading_did(client_for, app) -> None:  # type: ignore[no-untyped-def]
    """The council left answer_days at the default 1; version 2 makes it 2: the panel says «1 → 2»
    with a ticked box; unticked, the council keeps 1. The version history names both events."""
    analyst = client_for("nvr_analyst")
    adopt(analyst, **{"p-routing_hours": "4"})
    moved = template_v2().replace('<camunda:property name="var.answer_days" value="1" />',
                                  '<camunda:property name="var.answer_days" value="2" />')
    with app.extensions["otklik_db"].session() as session:
        deploy_template(session, moved)
    page = analyst.get(f"/procedures/{PROCESS}/1").get_data(as_text=True)
    row = page[page.index('data-parameter="answer_days"'):]
    row = row[:row.index("</tr>")]
    assert 'class="parameter-moved"' in page and "1 → 2" in row, row
    assert re.search(r'<input type="checkbox" id="f-take-answer_days" name="take-answer_days" value="true" checked>', row)
    assert 'name="p-answer_days"' not in row  # one control: take the new default or keep the old one
    response = analyst.post(f"/procedures/{PROCESS}/upgrade", data={  # the box unticked: keep 1
        "csrf_token": csrf_token(analyst, f"/procedures/{PROCESS}/1"), "p-routing_hours": "4", "p-draft_days": "0",
        "p-final_days": "7", "p-publisher": "official", "p-use_reception": "true", "p-notify_days": "3"})
    assert response.status_code == 302 and response.location.endswith(f"/procedures/{PROCESS}/2")
    assert values_of(rows(app)[1][2])["answer_days"] == "1"
    history = analyst.get(f"/procedures/{PROCESS}/diff").get_data(as_text=True)
    adopted = history[history.index('data-event="template_adopted"'):]
    assert "принята по шаблону «Типовой муниципальный порядок: сообщения из открытых источников (шаблон)» версии 1" in adopted
    assert "Срок направления сообщения после выявления:\n    4 (в шаблоне 8)" in adopted or (
        "Срок направления сообщения после выявления:" in adopted and "4 (в шаблоне 8)" in adopted), adopted
    event = adopted.split("</div>", 1)[0]
    assert "<code>" not in event and "municipal_template" not in event  # labels and names, not keys (issue 16)
    upgraded = history[history.index('data-event="template_upgraded"'):]
    upgraded = upgraded[:upgraded.index("</div>")]
    assert "версия 1 → 2" in upgraded and "оставлено прежнее 1" in upgraded and "новый параметр: 3" in upgraded, upgraded
