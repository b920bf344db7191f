"""Who deploys a template and adopts from it, and what an adopted procedure must name (issue 14).

A template declaring no territory is every municipality's model: it deploys and adopts like the
shipped one (which declares Kalmanka, whose act it follows), its authors are the analysts of a region
that has municipalities — never one municipality's analyst — and every reviewer sees it. A regional
analyst (Altai's) deploys and adopts for the municipalities under its region. An adopted procedure's
template.source and template.version name a deployed template version, or deployment refuses it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.deployment import browser
from engine.deployment.deployer import Source, deploy
from engine.deployment.versions import deployment_for
from engine.errors import DeploymentError, Forbidden
from engine.models import Deployment
from engine.templates import TemplateError, adopt, preview_adoption
from engine.views.procedures import procedures
from tests.factories import official, organisation
from tests.templates.template_data import ANALYST, OFFICIAL, PROCESS, TEMPLATE, TEMPLATE_FILE

REGIONAL, FOREIGN = "alt_analyst", "orb_analyst"
WITH_REGION = '<camunda:property name="region" value="kalmanka" />'


def without_region(text: str | None = None) -> str:
    """The municipal template declaring no territory (the shipped one declares Kalmanka)."""
    text = text if text is not None else TEMPLATE_FILE.read_text(encoding="utf-8")
    assert text.count(WITH_REGION) == 1
    return text.replace(WITH_REGION, "")


@pytest.fixture
def analysts(kalmanka):  # type: ignore[no-untyped-def]
    """Beside Kalmanka's analyst: Altai's (the region Kalmanka is a municipality of) and Orenburg's."""
    with kalmanka.db.session() as session:
        official(session, REGIONAL, organisation(session, "alt_gov", "region", "altai"), "analyst")
        official(session, FOREIGN, organisation(session, "orb_gov", "region", "orenburg"), "analyst")
        official(session, "orb_regulator", organisation(session, "orb_reg", "region", "orenburg"), "regulator")
    return kalmanka


def _upload(text: str) -> list[Source]:
    return [Source("municipal.bpmn", text.encode("utf-8"))]


def test_a_template_without_territory_is_deployed_by_a_regions_analyst_and_seen_by_every_reviewer(analysts) -> None:  # type: ignore[no-untyped-def]
    template = without_region(TEMPLATE_FILE.read_text(encoding="utf-8").replace(
        'id="municipal_template"', 'id="model_template"').replace(
        'bpmnElement="municipal_template"', 'bpmnElement="model_template"'))
    with analysts.db.session() as session:
        for municipal in (ANALYST,):  # one municipality's analyst would change its neighbours' model
            [planned] = browser.check_upload(session, municipal, _upload(template)).planned
            assert (planned.region, planned.allowed) == ("", False)
            with pytest.raises(Forbidden) as refused:
                browser.deploy_upload(session, municipal, _upload(template))
            assert "template 'model_template' declares no territory" in str(refused.value), str(refused.value)
        [planned] = browser.check_upload(session, REGIONAL, _upload(template)).planned
        assert planned.allowed and planned.version == 1
        [deployed] = browser.deploy_upload(session, REGIONAL, _upload(template))
        assert (deployed.process_id, deployed.kind, deployed.region) == ("model_template", "template", "")
        for reviewer in (ANALYST, FOREIGN, "orb_regulator", OFFICIAL):  # every territory's reviewers see it
            assert deployment_for(session, reviewer, "model_template", 1).kind == "template"
            assert "model_template" in {p.process_id for p in procedures(session, reviewer)}
        # ...and adopt it for their own territory: the procedure declares the adopter's.
        row = adopt(session, "model_template", "kalmanka", {"answer_days": "3"}, ANALYST)
        assert (row.process_id, row.region, row.template_process_id) == ("model_template_kalmanka", "kalmanka",
                                                                          "model_template")
        with pytest.raises(Forbidden):  # a version 2 by a municipality's analyst: still not theirs
            browser.deploy_upload(session, ANALYST, _upload(template.replace("working_days(draft_days)",
                                                                             "working_days(draft_days + 1)")))


def test_a_template_declaring_its_territory_is_that_territorys_and_its_regions(analysts) -> None:  # type: ignore[no-untyped-def]
    v2 = TEMPLATE_FILE.read_text(encoding="utf-8").replace("working_days(draft_days)", "working_days(draft_days + 1)")
    with analysts.db.session() as session:
        assert browser.check_upload(session, ANALYST, _upload(v2)).planned[0].allowed  # Kalmanka's own
        with pytest.raises(Forbidden):
            browser.deploy_upload(session, FOREIGN, _upload(v2))
        assert browser.deploy_upload(session, REGIONAL, _upload(v2))[0].version == 2  # Kalmanka's region
        # Dropping the territory later makes it every municipality's: Kalmanka's analyst keeps it no more.
        with pytest.raises(Forbidden):
            browser.deploy_upload(session, ANALYST, _upload(without_region(v2)))
        assert browser.deploy_upload(session, REGIONAL, _upload(without_region(v2)))[0].version == 3


def test_a_regional_analyst_deploys_and_adopts_for_its_municipalities(analysts) -> None:  # type: ignore[no-untyped-def]
    with analysts.db.session() as session:
        assert {"altai", "kalmanka"} <= set(browser.deploy_regions(session, REGIONAL))
        assert browser.deploy_regions(session, ANALYST) == ["kalmanka"]  # a municipality: its own only
        assert "kalmanka" not in browser.deploy_regions(session, FOREIGN)
        with pytest.raises(TemplateError) as refused:
            adopt(session, TEMPLATE, "kalmanka", {}, FOREIGN)
        assert refused.value.field == "territory"
        row = adopt(session, TEMPLATE, "kalmanka", {"routing_hours": "4"}, REGIONAL)
        assert (row.process_id, row.region, row.deployed_by) == (PROCESS, "kalmanka", REGIONAL)
        # Kalmanka's own analyst keeps it too: the procedure is the municipality's.
        assert adopt(session, TEMPLATE, "kalmanka", {"routing_hours": "6"}, ANALYST).version == 2


@pytest.mark.parametrize(("source", "version", "said"), [
    ("no_such_template", "1", "template.source: there is no deployed template 'no_such_template'"),
    (TEMPLATE, "9", f"template.version: template '{TEMPLATE}' has no version 9; it has: 1"),
])
def test_an_adopted_procedure_names_a_deployed_template_version(kalmanka, source, version, said) -> None:  # type: ignore[no-untyped-def]
    with kalmanka.db.session() as session:
        adoption = preview_adoption(session, TEMPLATE, "kalmanka", {})
        text = adoption.bpmn_xml.replace(f'name="template.source" value="{TEMPLATE}"',
                                         f'name="template.source" value="{source}"').replace(
            'name="template.version" value="1"', f'name="template.version" value="{version}"')
        assert text != adoption.bpmn_xml
        sources = [Source(f"{PROCESS}.bpmn", text.encode("utf-8"))]
        sources += [Source(f"{form}.form", body.encode("utf-8")) for form, body in adoption.forms.items()]
        with pytest.raises(DeploymentError) as refused:
            deploy(session, sources, "analyst")
        [problem] = refused.value.problems
        assert problem.element == PROCESS and said in problem.text, problem.text
        assert session.scalar(select(Deployment.id).where(Deployment.process_id == PROCESS)) is None
        # The same diagram naming the deployed version deploys.
        assert deploy(session, [Source(f"{PROCESS}.bpmn", adoption.bpmn_xml.encode("utf-8")), *sources[1:]],
                      "analyst")[0].version == 1
