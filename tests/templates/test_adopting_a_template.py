"""Adopting the municipal template for a territory (engine.templates): a preview stores nothing, the
adopted procedure runs with the chosen values, a value outside its declaration is refused naming the
parameter, only the territory's analyst adopts, and the template itself never starts a case."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.bpmn.reader import read_diagram
from engine.errors import Forbidden, NotFound
from engine.models import Deployment
from engine.templates import (
    Adopter,
    TemplateError,
    adopt,
    check_values,
    parameters_of,
    preview_adoption,
    templates,
)
from engine.views.adoption_preview import preview
from engine.views.procedure_card import procedure_card
from tests.templates.template_data import ANALYST, OFFICIAL, PROCESS, TEMPLATE, start


def _count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(Deployment))


def test_a_preview_generates_the_procedure_and_stores_nothing(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        before = _count(session)
        adoption = preview_adoption(session, TEMPLATE, "kalmanka", {"answer_days": "2", "publisher": "executor"})
        assert _count(session) == before
    assert (adoption.process_id, adoption.template_version, adoption.territory) == (PROCESS, 1, "kalmanka")
    assert adoption.changed == {"answer_days": "2", "publisher": "executor"}
    diagram = read_diagram(adoption.bpmn_xml)
    assert diagram.process_id == PROCESS and diagram.pools.get(PROCESS)
    declared = diagram.properties
    assert (declared["region"], declared["template"], declared["template.source"], declared["template.version"]) == (
        "kalmanka", "false", TEMPLATE, "1")
    assert (declared["var.answer_days"], declared["var.publisher"], declared["var.routing_hours"]) == ("2", "'executor'", "8")
    with kalmanka.db.session() as session:  # the page's call: the adoption with its card
        shown = preview(session, TEMPLATE, "kalmanka", {"answer_days": "2", "publisher": "executor"})
    assert shown.adoption == adoption
    assert (shown.card.process_id, shown.card.region, shown.card.name) == (PROCESS, "kalmanka", adoption.name)
    assert shown.card == procedure_card(adoption.bpmn_xml, adoption.forms)
    assert {n.form_ref for n in diagram.nodes.values() if n.form_ref} <= set(adoption.forms)


def test_an_adopted_deadline_shows_in_a_case_due_time(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        start(kalmanka)  # the template is deployed, but a template never starts a case
    with kalmanka.db.session() as session:
        row = adopt(session, TEMPLATE, "kalmanka", {"routing_hours": "16"}, ANALYST)
        assert (row.process_id, row.version, row.kind, row.region) == (PROCESS, 1, "procedure", "kalmanka")
        assert (row.template_process_id, row.template_version) == (TEMPLATE, 1)
        assert row.variables["routing_hours"] == "16"
        assert {p["name"]: p["default"] for p in row.parameters}["routing_hours"] == "16"
    start(kalmanka)
    # 16 working hours from Monday 10:00 (the template's 8 would be Tuesday 10:00).
    assert kalmanka.due("send_to_reception") == kalmanka.local("2025-11-12T10:00")


@pytest.mark.parametrize(("values", "field", "said"), [
    ({"answer_days": "two"}, "answer_days", "parameter 'answer_days'"),
    ({"answer_days": "999"}, "answer_days", "above the limit 250"),
    ({"publisher": "mayor"}, "publisher", "'mayor' is not one of the allowed values: official, executor"),
    ({"use_reception": "maybe"}, "use_reception", "parameter 'use_reception'"),
    ({"colour": "red"}, "colour", "has no parameter 'colour'"),
])
def test_a_value_outside_its_declaration_is_refused_naming_the_parameter(kalmanka, values, field, said) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        before = _count(session)
        with pytest.raises(TemplateError) as refused:
            adopt(session, TEMPLATE, "kalmanka", values, ANALYST)
        assert refused.value.field == field and said in str(refused.value)
        assert _count(session) == before


def test_only_an_analyst_of_the_territory_adopts(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        with pytest.raises(TemplateError) as refused:
            adopt(session, TEMPLATE, "kalmanka", {}, OFFICIAL)  # a curator of Kalmanka, not its analyst
        assert refused.value.field == "territory" and isinstance(refused.value, Forbidden)  # a page answers 403
        with pytest.raises(TemplateError):
            adopt(session, TEMPLATE, "orenburg", {}, ANALYST)  # Kalmanka's analyst, another territory
        with pytest.raises(TemplateError) as refused:
            adopt(session, TEMPLATE, "kalmanka", {}, ANALYST, process_id="1st procedure")
        assert refused.value.field == "process_id"
        with pytest.raises(TemplateError) as refused:
            adopt(session, TEMPLATE, "kalmanka", {}, ANALYST, process_id=TEMPLATE)
        assert refused.value.field == "process_id"
        assert adopt(session, TEMPLATE, "kalmanka", {}, ANALYST).process_id == PROCESS


def test_templates_list_their_versions_parameters_and_adopters(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        [listed] = templates(session)
        assert (listed.process_id, listed.versions, listed.adopters) == (TEMPLATE, (1,), ())
        parameters = parameters_of(session, TEMPLATE)
        assert [p.name for p in listed.parameters] == [p.name for p in parameters]
        assert check_values(parameters, {"use_reception": "No", "answer_days": " 3 "})["use_reception"] == "false"
        assert check_values(parameters, {"answer_days": " 3 "})["answer_days"] == "3"
        adopt(session, TEMPLATE, "kalmanka", {"draft_days": "1"}, ANALYST, name="Порядок сельсовета")
        [listed] = templates(session)
        assert listed.adopters == (Adopter("kalmanka", PROCESS, 1),)
        with pytest.raises(NotFound):
            parameters_of(session, PROCESS)  # a procedure is no template (a page answers 404)
