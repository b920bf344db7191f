"""The procedure card as a regulator reads it (issue 16): steps are the tasks people act on, the
deadlines a table of their own, each once; the version is «версия 1» under the procedure's name;
the zone in words; a parameter said once and by its label; no variable names or internal words."""
from __future__ import annotations

from engine.texts import language
from engine.views.procedure_card import procedure_card
from tests.factories import ROOT, deploy_files
from tests.pagetext import assert_no_internal_names, visible_text
from tests.web.test_procedure_pages import _regulator


def card_xml() -> str:
    return (ROOT / "bpmn" / "templates" / "municipal.bpmn").read_text(encoding="utf-8")


def _table(html: str, table_id: str) -> str:
    return visible_text(html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0])


def test_the_orenburg_card_lists_steps_and_deadlines_apart(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _regulator(app)
    html = client_for("regulator").get("/procedures/orenburg/1").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    text = visible_text(main)
    assert "Оренбург: сообщения из открытых источников (указ № 156-ук) версия 1" in text
    assert "orenburg v1" not in text and "<code>" not in main
    steps = _table(main, "procedure-card")
    assert "Принять сообщение или вернуть куратору Исполнитель органа власти 30 рабочих минут с начала шага п. 7" in steps
    # Timers, gateways and end events are not steps: no timer's name, no «Ответ не даётся» twice.
    assert "30 рабочих минут на возврат" not in steps and "Категория сообщения" not in steps
    assert "Ответ не даётся (п. 17)" not in steps and text.count("Ответ не даётся (п. 17)") <= 1
    deadlines = _table(main, "procedure-deadlines")
    assert "Принять сообщение или вернуть куратору 30 рабочих минут с начала шага п. 7" in deadlines
    assert deadlines.count("Согласовать проект ответа 30 рабочих минут с начала шага п. 10") == 1
    # The whole answer's timer stands on no step: it reads by its own name, its term by its form label.
    assert ("9 рабочих часов с момента выявления (по умолчанию; «Срок ответа, рабочих часов с момента выявления» "
            "задаётся в деле) п. 8") in deadlines
    assert "answer_hours" not in text and "draft_hours" not in text
    assert "Asia/Yekaterinburg" not in text and "(время: Оренбургская область, UTC+5)" in text
    assert "surge.*" not in text and "(правило процедуры о всплесках)" in text
    for internal in ("взведённ", "Данные дела", "published", "co_agencies"):
        assert internal not in text, internal
    assert_no_internal_names(text)


def test_a_parameter_deadline_says_parameter_once(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _regulator(app)
    with app.extensions["otklik_db"].session() as session:
        deploy_files(session, "bpmn/kaluga.bpmn")
    html = client_for("regulator").get("/procedures/kaluga/1").get_data(as_text=True)
    steps = _table(html, "procedure-card")
    assert "Подготовить проект ответа с мерами " in steps
    assert "8 рабочих часов с начала шага (параметр процедуры, по умолчанию) п. 2.2, 6, 1.3" in steps
    assert "(параметр)" not in steps and "draft_hours" not in steps + _table(html, "procedure-deadlines")


def test_a_template_s_declared_parameters_read_with_labels_and_units() -> None:
    with language("ru"):
        card = procedure_card(card_xml())
    declared = {p.label: p.value for p in card.declared}
    assert declared["Срок направления сообщения после выявления"] == "8 рабочих часов"
    assert declared["Срок подготовки и размещения ответа"] == "1 рабочий день"
    assert declared["Кто размещает ответ"] == "уполномоченное должностное лицо"
    assert declared["Сообщения регистрирует приёмная"] == "да"
    with language("en"):
        english = {p.label: p.value for p in procedure_card(card_xml()).declared}
    assert english["Срок подготовки и размещения ответа"] == "1 working day"  # labels are the diagram's words
    assert all(step.kind in ("user_task", "service_task") for step in card.tasks)
    assert {d.step for d in card.deadlines()} >= {"Подготовить проект ответа"}
