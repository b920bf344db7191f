"""A message only ever starts a procedure deployed for its own region.

Before: start_procedure chose the deployment by ``process_id == message.region`` alone, and the
deploy page only guarded process ids already deployed. An Orenburg analyst could deploy a diagram
``<process id="kaluga">`` declaring region ``orenburg`` before Kaluga's first deployment; Kaluga's
messages then ran on it, in Orenburg, and Orenburg's curator read them. Now start_procedure takes
only a deployment of the message's own territory, whatever its process id (ids are free names,
issue 13); a territory has one procedure and a process id one territory (the deployer refuses a
second, naming both), and the browser lets analysts deploy only for their own territories.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.deployment import browser as browserdeploy
from engine.deployment.deployer import Source, deploy, library_forms
from engine.errors import DeploymentError, NotFound
from engine.models import Deployment, Instance, Organisation
from engine.runtime import cases as runtime
from tests.factories import ROOT, official

ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
# Orenburg's own diagram (region property "orenburg") under Kaluga's key.
HIJACK = ORENBURG.replace(b'processRef="orenburg"', b'processRef="kaluga"').replace(
    b'<bpmn:process id="orenburg"', b'<bpmn:process id="kaluga"')


def _kaluga_message(now) -> runtime.MessageInput:  # type: ignore[no-untyped-def]
    return runtime.MessageInput(region="kaluga", network="vk", url="https://vk.com/wall-2_1", author="Житель Калуги",
                                text="Не убран снег", posted_at=now - timedelta(minutes=20), detected_at=now)


def _kaluga_deployments(db) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Deployment.process_id, Deployment.region).where(Deployment.process_id == "kaluga"))]


def test_a_diagram_named_like_kaluga_serves_only_the_territory_it_declares(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """An Orenburg analyst may call their procedure "kaluga" (a free name): it serves Orenburg, and
    Kaluga's messages never run on it."""
    with db.session() as session:
        ministry = session.scalar(select(Organisation).where(Organisation.key == "orb_minpolicy"))
        official(session, "orb_analyst", ministry, "analyst")
    with db.session() as session:
        browserdeploy.deploy_upload(session, "orb_analyst", [Source("hijack.bpmn", HIJACK)])
    assert _kaluga_deployments(db) == [("kaluga", "orenburg")]
    with pytest.raises(NotFound, match="no procedure is deployed for territory 'kaluga'"):
        with db.session() as session:
            runtime.start_procedure(session, _kaluga_message(virtual_clock.current), "klg_curator")
    with db.session() as session:
        assert session.scalar(select(Instance)) is None


def test_a_process_id_another_territory_deployed_stays_theirs(orenburg, db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        deploy(session, [Source("hijack.bpmn", HIJACK)], actor="admin", extra_forms=library_forms())
    with pytest.raises(DeploymentError) as refused:
        with db.session() as session:
            deploy(session, [Source.read(ROOT / "bpmn" / "kaluga.bpmn")], actor="admin", extra_forms=library_forms())
    lines = [str(p) for p in refused.value.problems]
    assert any("'kaluga'" in line and "'orenburg'" in line for line in lines), lines
    assert _kaluga_deployments(db) == [("kaluga", "orenburg")]


def test_the_browser_allows_only_the_analysts_territories_whatever_the_process_id() -> None:
    """The browser's own rule, for a plan that would pass (e.g. a changed validator). Process ids
    are free names (issue 13): the territory the diagram declares decides, never the id's spelling."""
    from engine.deployment.template_rules import may_deploy
    from engine.directory.access import Grant

    analyst = [Grant("analyst", "orb_ministry", "orenburg")]

    class NoRows:
        def scalars(self, _query):  # type: ignore[no-untyped-def]
            return []

    assert not may_deploy(NoRows(), analyst, "orenburg", "kaluga")  # type: ignore[arg-type]
    assert may_deploy(NoRows(), analyst, "orenburg", "orenburg")  # type: ignore[arg-type]
    assert may_deploy(NoRows(), analyst, "orenburg_v2", "orenburg")  # type: ignore[arg-type]
    assert may_deploy(NoRows(), analyst, "kaluga", "orenburg")  # type: ignore[arg-type]  # a name, not Kaluga's

    class KalugaRows:
        def scalars(self, _query):  # type: ignore[no-untyped-def]
            return ["kaluga"]

    # An id another territory deployed under stays theirs.
    assert not may_deploy(KalugaRows(), analyst, "kaluga", "orenburg")  # type: ignore[arg-type]


def test_a_kaluga_message_never_starts_a_deployment_of_another_region(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    # A row as an older release (or a hand-made insert) could have stored it.
    with db.session() as session:
        mine = session.scalar(select(Deployment).where(Deployment.process_id == "orenburg"))
        session.add(Deployment(process_id="kaluga", version=1, name=mine.name, region="orenburg",
                               content_hash="hijack", filename="hijack.bpmn", bpmn_xml=HIJACK.decode(),
                               forms=mine.forms, variables=mine.variables, spec=mine.spec, deployed_by="orb_analyst",
                               deployed_at=virtual_clock.current))
    with pytest.raises(NotFound):
        with db.session() as session:
            runtime.start_procedure(session, _kaluga_message(virtual_clock.current), "klg_curator")
    with pytest.raises(NotFound):  # named explicitly, too
        with db.session() as session:
            runtime.start_procedure(session, _kaluga_message(virtual_clock.current), "klg_curator", process_id="orenburg")
    with db.session() as session:
        assert session.scalar(select(Instance)) is None


def test_kalugas_own_deployment_starts_even_beside_a_foreign_row(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import deploy_files

    with db.session() as session:
        deploy_files(session, "bpmn/kaluga.bpmn")
        own = session.scalar(select(Deployment).where(Deployment.process_id == "kaluga"))
        session.add(Deployment(process_id="kaluga", version=own.version + 1, name=own.name, region="orenburg",
                               content_hash="hijack", filename="hijack.bpmn", bpmn_xml=own.bpmn_xml, forms=own.forms,
                               variables=own.variables, spec=own.spec, deployed_by="orb_analyst",
                               deployed_at=virtual_clock.current))
    with db.session() as session:
        instance = runtime.start_procedure(session, _kaluga_message(virtual_clock.current), "klg_curator")
        assert (instance.deployment_id, instance.region) == (own.id, "kaluga")


def test_region_views_ignore_a_foreign_row_under_the_regions_key(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    """The comparison table and the heatmap take a region's procedure by its key too."""
    from engine.views.comparison_deployed import comparison_for_deployments
    from engine.views.heatmap import heatmap
    from tests.factories import deploy_files

    with db.session() as session:
        deploy_files(session, "bpmn/kaluga.bpmn")
        own = session.scalar(select(Deployment).where(Deployment.process_id == "kaluga"))
        session.add(Deployment(process_id="kaluga", version=own.version + 1, name="Чужая", region="orenburg",
                               content_hash="hijack", filename="hijack.bpmn", bpmn_xml=HIJACK.decode(), forms={},
                               variables={}, spec="{}", deployed_by="orb_analyst", deployed_at=virtual_clock.current))
    with db.session() as session:
        assert comparison_for_deployments(session).versions["kaluga"] == own.version
        assert heatmap(session, "kaluga", "2025-10").deployment.id == own.id
