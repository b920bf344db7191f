"""The heatmap as a supervisor reads it (issue 16): each step by the name drawn on the diagram,
never its BPMN id, and the median working time in words («4 ч 20 мин»), never minutes as "260.0"."""
from __future__ import annotations

from engine.views.heatmap import heatmap
from tests.pagetext import assert_no_internal_names, visible_text
from tests.scenario.driver import Case
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE


def _two_late_drafts(app, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """Two November cases, each draft 5 minutes after п. 9's deadline (260 working minutes)."""
    case = Case(app.extensions["otklik_db"], virtual_clock, "orenburg", "Asia/Yekaterinburg")
    for day in ("10", "11"):
        case.start(posted=f"2025-11-{day}T09:40", detected=f"2025-11-{day}T10:00")
        case.complete("route_message", "curator", ROUTE)
        case.at(f"2025-11-{day}T10:45")
        case.complete("accept_message", EXEC, {"competent": True})
        case.at(f"2025-11-{day}T16:05")
        case.complete("draft_answer", EXEC, DRAFT)
        case.complete("approve_answer", "curator", {"decision": "approve"})
        case.complete("publish_answer", EXEC, PUBLISH)


def test_the_heatmap_names_steps_as_drawn_and_times_in_words(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _two_late_drafts(app, virtual_clock)
    with app.extensions["otklik_db"].session() as session:
        cells = heatmap(session, "orenburg", "2025-11").cells
    draft_name = cells["draft_answer"].name
    assert draft_name and draft_name != "draft_answer"  # the diagram's name for the step
    html = client_for("supervisor").get("/procedures/heatmap?region=orenburg&period=2025-11").get_data(as_text=True)
    table = visible_text(html.split('id="heat-table"', 1)[1].split("</table>", 1)[0])
    assert f"{draft_name} 2 п. 9: 2 2 4 ч 20 мин" in table  # name, breaches, by clause, done, median
    assert f"{cells['accept_message'].name} 0 2 45 мин" in table
    assert "Медиана рабочего времени" in table and "Медиана, мин" not in table
    for element_id in ("draft_answer", "accept_message", "route_message", "publish_answer"):
        assert element_id not in table  # the ids stay in data attributes, for the diagram
    assert "260" not in table and "45.0" not in table
    assert_no_internal_names(visible_text(html.split("<main", 1)[1]))  # the header is base.html's


def test_a_step_drawn_without_a_name_reads_in_words_not_as_its_id(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _two_late_drafts(app, virtual_clock)
    with app.extensions["otklik_db"].session() as session:
        found = heatmap(session, "orenburg", "2025-11")
        found.cells["draft_answer"].name = ""  # as an element the newest version no longer draws
    assert found.cells["accept_message"].name  # the others keep theirs
    with app.test_request_context():
        from flask import render_template
        html = render_template("procedures/heatmap.html", regions=[("orenburg", "Оренбургская область")],
                               region="orenburg", period="2025-11", heatmap=found, error=None,
                               deadline_label=str)
    table = visible_text(html.split('id="heat-table"', 1)[1].split("</table>", 1)[0])
    assert "шаг без названия или из прежней версии 2" in table and "draft_answer" not in table
