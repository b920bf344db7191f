"""Adopting and upgrading write their own audit events (engine.templates.history), read back by
procedure version; an adopted procedure is named after its territory, never «(шаблон)»; a value
that merely equalled a template default that moved is offered the new default, never silently."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import AuditEvent
from engine.templates import TemplateError, adopt, upgrade, upgrade_plan
from engine.templates.history import ADOPTED, UPGRADED, Change, events
from tests.templates.template_data import ANALYST, PROCESS, TEMPLATE, deploy_template, version_2


def _kinds(session) -> list[str]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEvent.kind).where(AuditEvent.kind.in_((ADOPTED, UPGRADED)))))


def test_adopting_and_upgrading_are_recorded_with_the_parameters_they_changed(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        adopt(session, TEMPLATE, "kalmanka", {"answer_days": "2", "publisher": "executor", "draft_days": "0"}, ANALYST)
        adopt(session, TEMPLATE, "kalmanka", {"answer_days": "2", "publisher": "executor"}, ANALYST)  # nothing new
        assert _kinds(session) == [ADOPTED]
        deploy_template(session, version_2())
        upgrade(session, PROCESS, ANALYST, {"notify_days": "1", "answer_days": "4"})
        upgrade(session, PROCESS, ANALYST, {"notify_days": "1", "answer_days": "4"})  # the same again: nothing
        assert _kinds(session) == [ADOPTED, UPGRADED]
        found = events(session, PROCESS)
    adopted, upgraded = found[1], found[2]
    assert (adopted.kind, adopted.template, adopted.template_version, adopted.actor) == (ADOPTED, TEMPLATE, 1, ANALYST)
    assert adopted.changes == (Change("answer_days", "1", "2"), Change("publisher", "official", "executor"))
    assert (upgraded.kind, upgraded.template_version, upgraded.previous_template_version) == (UPGRADED, 2, 1)
    assert set(upgraded.changes) == {Change("answer_days", "2", "4"), Change("notify_days", None, "1"),
                                     Change("final_days", "7", None)}


def test_an_adopted_procedure_is_named_after_its_territory(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        row = adopt(session, TEMPLATE, "kalmanka", {}, ANALYST)
        assert row.name == "Типовой муниципальный порядок: сообщения из открытых источников — Калманский район Алтайского края"
        assert "шаблон" not in row.name
        assert adopt(session, TEMPLATE, "kalmanka", {}, ANALYST, name="Порядок района").name == "Порядок района"


def _default_moved() -> str:
    """Version 2 with routing_hours' default 8 → 6 (nothing else)."""
    text = version_2()
    old = '<camunda:property name="var.routing_hours" value="8" />'
    assert text.count(old) == 1
    return text.replace(old, '<camunda:property name="var.routing_hours" value="6" />')


@pytest.mark.parametrize(("keep", "expected", "note"), [((), "6", "default_taken"), (("routing_hours",), "8", "default_kept")])
def test_a_value_that_was_the_old_default_is_offered_the_new_one(kalmanka, keep, expected, note) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        adopt(session, TEMPLATE, "kalmanka", {"answer_days": "2"}, ANALYST)  # routing_hours left at the default 8
        deploy_template(session, _default_moved())
        plan = upgrade_plan(session, PROCESS)
        [moved] = plan.default_moved
        assert (moved.parameter.name, moved.old_default, moved.value) == ("routing_hours", "8", "6")
        assert "routing_hours" not in {i.parameter.name for i in plan.kept}
        assert plan.values["routing_hours"] == "6" and plan.values["answer_days"] == "2"  # a choice stays
        with pytest.raises(TemplateError) as refused:
            upgrade(session, PROCESS, ANALYST, keep_defaults=("answer_days",))  # not a moved default
        assert refused.value.field == "keep_default" and "routing_hours" in str(refused.value)
        row = upgrade(session, PROCESS, ANALYST, keep_defaults=keep)
        assert row.variables["routing_hours"] == expected
        [change] = [c for c in events(session, PROCESS)[2].changes if c.name == "routing_hours"]
        assert change == Change("routing_hours", "8", expected, note)


def test_a_value_the_municipality_chose_is_kept_when_the_default_moves(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        adopt(session, TEMPLATE, "kalmanka", {"routing_hours": "16"}, ANALYST)
        deploy_template(session, _default_moved())
        plan = upgrade_plan(session, PROCESS)
        assert plan.default_moved == ()
        assert {i.parameter.name: i.value for i in plan.kept}["routing_hours"] == "16"
