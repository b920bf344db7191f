"""A process without an id passes the BPMN XSD (the attribute is optional there) but nothing can be
deployed under it: one line says what to set, instead of a None reaching the deployer. Apart from
that, process ids are free names: a diagram declares the territory it serves (issue 13)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine.deployment.deployer import Source, deploy, library_forms, plan
from engine.directory.territories import TerritoryInput, add_territory
from engine.errors import DeploymentError, Forbidden, NotFound
from engine.models import Deployment, Task
from engine.runtime.cases import MessageInput, start_procedure
from tests.factories import official, organisation

ORENBURG = (Path(__file__).resolve().parents[2] / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")


def test_a_process_without_an_id_is_refused_with_what_to_set() -> None:
    # Only the process's own id attribute goes (its <bpmn:process ...> start tag).
    text, count = re.subn(r'(<bpmn:process\b[^>]*?)\s+id="orenburg"', r"\1", ORENBURG, count=1)
    assert count == 1
    with pytest.raises(DeploymentError) as error:
        plan([Source("no_id.bpmn", text.encode("utf-8"))], library_forms())
    assert [str(p) for p in error.value.problems] == [
        "no_id.bpmn: the process has no id; set the process Id in Camunda Modeler (e.g. the region key)"]


# --- a deployment serves a territory, not a process id (issue 13) -------------------------------

def _diagram(process_id: str = "orenburg", region: str | None = "orenburg") -> bytes:
    text = ORENBURG.replace('<bpmn:process id="orenburg"', f'<bpmn:process id="{process_id}"').replace(
        'processRef="orenburg"', f'processRef="{process_id}"')
    declared = '<camunda:property name="region" value="orenburg" />'
    assert declared in text
    text = text.replace(declared, f'<camunda:property name="region" value="{region}" />' if region else "")
    return text.encode("utf-8")


def _deploy(db, *diagrams: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    with db.session() as session:
        return deploy(session, [Source(name, data) for name, data in diagrams], "analyst", extra_forms=library_forms())


def _message(region: str, now: datetime) -> MessageInput:
    return MessageInput(region=region, network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
                        text="Яма на дороге", posted_at=now - timedelta(minutes=20), detected_at=now)


def test_a_diagram_must_declare_its_territory_and_a_known_one(db) -> None:  # type: ignore[no-untyped-def]
    with db.session(readonly=True) as session:
        with pytest.raises(DeploymentError) as undeclared:
            plan([Source("o.bpmn", _diagram(region=None))], library_forms())
        with pytest.raises(DeploymentError) as unknown:
            plan([Source("o.bpmn", _diagram(region="tyva"))], library_forms())
    assert [str(p) for p in undeclared.value.problems] == [
        "o.bpmn: orenburg: process 'orenburg' does not say which territory it serves: set the process property "
        "'region' to the key of one of: altai, kalmanka, kaluga, kuzbass, orenburg, smolensk"]
    assert [str(p) for p in unknown.value.problems] == [
        "o.bpmn: orenburg: unknown region: set the process property 'region' to one of altai, kalmanka, kaluga, "
        "kuzbass, orenburg, smolensk"]
    # A region added as data is known to the next deployment: no Python, no restart.
    with db.session() as session:
        add_territory(session, TerritoryInput("tyva", "Республика Тыва", "Asia/Krasnoyarsk"), "admin")
    assert [d.process_id for d in _deploy(db, ("t.bpmn", _diagram("tyva_messages", "tyva")))] == ["tyva_messages"]


def test_registration_starts_the_territorys_procedure_whatever_its_process_id(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        add_territory(session, TerritoryInput("tyva", "Республика Тыва", "Asia/Krasnoyarsk"), "admin")
    with db.session() as session, pytest.raises(NotFound, match="no procedure is deployed for territory 'tyva'"):
        start_procedure(session, _message("tyva", virtual_clock.current), "curator")
    _deploy(db, ("o.bpmn", _diagram()), ("t.bpmn", _diagram("obrashcheniya", "tyva")))
    with db.session() as session:
        instance = start_procedure(session, _message("tyva", virtual_clock.current), "curator")
        deployment = session.get(Deployment, instance.deployment_id)
        assert (deployment.process_id, deployment.region, instance.region) == ("obrashcheniya", "tyva", "tyva")
        # Its deadlines are counted in the territory's zone (Asia/Krasnoyarsk, UTC+7).
        due = session.scalar(select(Task.due_at).where(Task.instance_id == instance.id, Task.due_at.is_not(None)))
        assert due is not None and due.astimezone(ZoneInfo("Asia/Krasnoyarsk")).hour in range(9, 19)
    with db.session() as session:  # naming the process still works, for its own territory only
        assert start_procedure(session, _message("orenburg", virtual_clock.current), "curator",
                               process_id="orenburg").region == "orenburg"
        with pytest.raises(NotFound):
            start_procedure(session, _message("orenburg", virtual_clock.current), "curator", process_id="obrashcheniya")


def test_a_process_id_serves_one_territory_and_the_newest_procedure_serves_it(db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _deploy(db, ("o.bpmn", _diagram()))
    # Renamed: the newest procedure deployed for a territory is the one its messages start; said at deploy.
    [renamed] = _deploy(db, ("o2.bpmn", _diagram("orenburg_new")))
    assert (renamed.process_id, renamed.region, renamed.replaces) == ("orenburg_new", "orenburg", "orenburg")
    with db.session() as session:
        instance = start_procedure(session, _message("orenburg", virtual_clock.current), "curator")
        assert session.get(Deployment, instance.deployment_id).process_id == "orenburg_new"
    # A new version under the id that serves already replaces nothing.
    changed = _diagram("orenburg_new").replace(b"</bpmn:process>", b"<bpmn:textAnnotation id='note'><bpmn:text>v2"
                                                                 b"</bpmn:text></bpmn:textAnnotation></bpmn:process>")
    assert [(d.process_id, d.version, d.replaces) for d in _deploy(db, ("o2.bpmn", changed))] == [
        ("orenburg_new", 2, None)]
    with pytest.raises(DeploymentError) as elsewhere:
        _deploy(db, ("k.bpmn", _diagram("orenburg", "kaluga")))
    assert [str(p) for p in elsewhere.value.problems] == [
        "k.bpmn: orenburg: process id 'orenburg' is already the procedure of territory 'orenburg'; choose another id "
        "for 'kaluga'"]
    with pytest.raises(DeploymentError) as together:
        _deploy(db, ("a.bpmn", _diagram("a", "kaluga")), ("b.bpmn", _diagram("b", "kaluga")))
    assert [str(p) for p in together.value.problems] == [
        "b.bpmn: b: both diagrams, 'b' and 'a', declare territory 'kaluga'; a territory has one procedure"]


def test_the_cli_says_which_procedure_serves_the_territory_now(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from engine.cli.main import main

    (tmp_path / "o.bpmn").write_bytes(_diagram())
    (tmp_path / "o2.bpmn").write_bytes(_diagram("orenburg_new"))
    env = {"OTKLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}
    assert CliRunner().invoke(main, ["deploy", str(tmp_path / "o.bpmn")], env=env).exit_code == 0
    result = CliRunner().invoke(main, ["deploy", str(tmp_path / "o2.bpmn")], env=env)
    assert result.exit_code == 0, result.output
    assert (f"{tmp_path / 'o2.bpmn'}: new messages of territory 'orenburg' now start procedure 'orenburg_new'; "
            "'orenburg' finishes the cases it has begun") in result.output


def test_an_analyst_deploys_only_for_their_own_territories(db) -> None:  # type: ignore[no-untyped-def]
    from engine.deployment import browser

    with db.session() as session:
        official(session, "orb_analyst", organisation(session, "orb_min", "curator", "orenburg"), "analyst")
    with db.session() as session:
        checked = browser.check_upload(session, "orb_analyst", [Source("k.bpmn", _diagram("kaluga_messages", "kaluga"))])
        assert [p.allowed for p in checked.planned] == [False]
    with db.session() as session, pytest.raises(Forbidden, match="region 'kaluga' of procedure 'kaluga_messages'"):
        browser.deploy_upload(session, "orb_analyst", [Source("k.bpmn", _diagram("kaluga_messages", "kaluga"))])
    with db.session() as session:
        assert [d.process_id for d in browser.deploy_upload(session, "orb_analyst",
                                                            [Source("o.bpmn", _diagram("orb"))])] == ["orb"]
