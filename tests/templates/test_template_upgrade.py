"""Upgrading an adopted procedure to the template's newest version (engine.templates): the plan shows
parameters kept, added (at the default) and removed (with the value they had) and the template's
semantic diff; the upgrade keeps the procedure's values and running cases stay on their version."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import NotFound
from engine.models import Instance
from engine.templates import TemplateError, adopt, upgrade, upgrade_plan
from tests.templates.template_data import ANALYST, PROCESS, TEMPLATE, deploy_template, start, version_2


def test_an_upgrade_keeps_the_values_and_running_cases_stay_on_their_version(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        first = adopt(session, TEMPLATE, "kalmanka", {"answer_days": "2", "final_days": "5", "publisher": "executor"},
                      ANALYST)
        first_id = first.id
        assert not upgrade_plan(session, PROCESS).behind
    running = start(kalmanka)
    with kalmanka.db.session() as session:
        assert deploy_template(session, version_2()).version == 2
        plan = upgrade_plan(session, PROCESS)
        assert (plan.current, plan.newest, plan.behind, plan.territory) == (1, 2, True, "kalmanka")
        assert {i.parameter.name: i.value for i in plan.kept} == {
            "routing_hours": "8", "answer_days": "2", "draft_days": "0", "publisher": "executor", "use_reception": "true"}
        assert {i.parameter.name: i.value for i in plan.added} == {"notify_days": "3"}
        assert {i.parameter.name: i.value for i in plan.removed} == {"final_days": "5"}
        [changed] = [c for c in plan.diff.changes if c.element_id == "draft_deadline"]
        assert changed.kind == "changed" and any("draft_days + 1" in r for r in changed.reasons)
        assert not any(c.element_id.endswith("_di") for c in plan.diff.changes)  # no layout noise

        row = upgrade(session, PROCESS, ANALYST)
        assert (row.version, row.template_version) == (2, 2)
        assert {k: row.variables[k] for k in ("answer_days", "publisher", "notify_days", "final_days")} == {
            "answer_days": "2", "publisher": "'executor'", "notify_days": "3", "final_days": "7"}
        assert "final_days" not in {p["name"] for p in row.parameters}
        assert not upgrade_plan(session, PROCESS).behind
        assert upgrade(session, PROCESS, ANALYST).version == 2  # nothing new: the same version
        assert session.scalar(select(Instance.deployment_id).where(Instance.id == running)) == first_id
    again = start(kalmanka, "2025-11-10T11:00")
    with kalmanka.db.session() as session:
        assert session.scalar(select(Instance.deployment_id).where(Instance.id == again)) == row.id


def test_an_upgrade_may_change_a_value_and_refuses_a_bad_one(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        adopt(session, TEMPLATE, "kalmanka", {"answer_days": "2"}, ANALYST)
        deploy_template(session, version_2())
        with pytest.raises(TemplateError) as refused:
            upgrade(session, PROCESS, ANALYST, {"notify_days": "soon"})
        assert refused.value.field == "notify_days" and "parameter 'notify_days'" in str(refused.value)
        with pytest.raises(TemplateError) as refused:
            upgrade(session, PROCESS, ANALYST, {"final_days": "5"})  # removed by version 2
        assert refused.value.field == "final_days"
        row = upgrade(session, PROCESS, ANALYST, {"notify_days": "1", "answer_days": "4"})
        assert (row.variables["notify_days"], row.variables["answer_days"]) == ("1", "4")


def test_only_an_adopted_procedure_upgrades(kalmanka) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        for process in (TEMPLATE, "no_such_procedure"):
            with pytest.raises(NotFound) as refused:
                upgrade_plan(session, process)
            assert "was not adopted from a template" in str(refused.value)
