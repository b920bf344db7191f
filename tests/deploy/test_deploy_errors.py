"""Deployment refuses bad diagrams with one clear line per problem (file, element, what to change)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli.main import main
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")


def problems(text: str, name: str = "broken.bpmn") -> list[str]:
    with pytest.raises(DeploymentError) as error:
        plan([Source(name, text.encode("utf-8"))], library_forms())
    return [str(p) for p in error.value.problems]


def replace(old: str, new: str, count: int = 1) -> str:
    assert old in ORENBURG, old
    return ORENBURG.replace(old, new, count)


def test_orenburg_is_clean() -> None:
    [item] = plan([Source("bpmn/orenburg.bpmn", ORENBURG.encode())], library_forms())
    assert item.info.process_id == "orenburg" and item.info.region == "orenburg"
    assert {"orenburg_routing", "draft_answer", "approve_answer", "publish_answer"} <= item.info.form_refs


def test_broken_xml() -> None:
    [line] = problems(ORENBURG[: len(ORENBURG) // 2])
    assert line.startswith("broken.bpmn: not well-formed XML")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
], ids=["xxe", "billion-laughs"])
def test_xxe_and_billion_laughs(doctype: str) -> None:
    text = ORENBURG.replace("?>", "?>" + doctype, 1)
    [line] = problems(text)
    assert "DOCTYPE" in line


def test_oversize() -> None:
    text = ORENBURG.replace("</bpmn:definitions>", "<!--" + "x" * (2 * 1024 * 1024) + "--></bpmn:definitions>")
    [line] = problems(text)
    assert "limit" in line


def test_zeebe_diagram_is_refused_with_a_hint() -> None:
    text = ORENBURG.replace('modeler:executionPlatform="Camunda Platform"', 'modeler:executionPlatform="Camunda Cloud"')
    text = text.replace("<bpmn:definitions ", '<bpmn:definitions xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ', 1)
    [line] = problems(text)
    assert "Camunda 8 (Zeebe)" in line and "Camunda 7" in line


def test_xsd_violation() -> None:
    text = replace("<bpmn:process ", "<bpmn:process bogus=\"1\" ")
    assert any("XSD" in p for p in problems(text))


def test_missing_layout() -> None:
    text = re.sub(r"<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", "", ORENBURG, flags=re.S)
    assert any("no layout (BPMN DI)" in p for p in problems(text))


def test_candidate_group_disagrees_with_lane() -> None:
    text = replace('id="route_message"', 'id="route_message"', 1)
    text = re.sub(r'(<bpmn:userTask id="route_message"[^>]*camunda:candidateGroups=")curator(")', r"\1executor\2", text)
    found = problems(text)
    assert any("route_message" in p and "disagrees with its lane" in p for p in found), found


def test_unknown_form() -> None:
    text = ORENBURG.replace('camunda:formRef="approve_answer"', 'camunda:formRef="no_such_form"')
    found = problems(text)
    assert any("approve_answer" in p and "no_such_form" in p and "forms/" in p for p in found), found


def test_unknown_topic() -> None:
    text = ORENBURG.replace('camunda:topic="notify"', 'camunda:topic="send_sms"')
    found = problems(text)
    assert any("send_sms" in p and "registered topics" in p for p in found), found


def test_juel_expression_gets_a_hint() -> None:
    text = ORENBURG.replace("category == 'threat'", "${category == 'threat'}")
    found = problems(text)
    assert any("JUEL" in p for p in found), found


@pytest.mark.parametrize("payload", [
    "__import__('os').system('touch /tmp/otklik-pwned')",
    "open('/etc/passwd').read()",
    "().__class__.__base__.__subclasses__()",
    "getattr(category, '__class__')",
    "9**9**9",
])
def test_sandbox_escape_in_a_condition_is_refused(payload: str) -> None:
    text = ORENBURG.replace("category == 'threat'", payload.replace("'", "&apos;"))
    found = problems(text)
    assert len(found) == 1 and "condition" in found[0], found
    assert not Path("/tmp/otklik-pwned").exists()


def test_sandbox_escape_in_a_timer_is_refused() -> None:
    text = ORENBURG.replace("working_minutes(30, since=detected_at)", "__import__('os').getcwd()", 1)
    found = problems(text)
    assert any("routing_deadline" in p and "timer" in p for p in found), found


def test_script_task_is_refused() -> None:
    start = ORENBURG.index('<bpmn:serviceTask id="forward_threat"')
    end = ORENBURG.index("</bpmn:serviceTask>", start) + len("</bpmn:serviceTask>")
    script = ('<bpmn:scriptTask id="forward_threat" scriptFormat="python">'
              "<bpmn:incoming>category_threat</bpmn:incoming><bpmn:outgoing>to_no_answer_threat</bpmn:outgoing>"
              "<bpmn:script>import os; os.system('touch /tmp/otklik-pwned')</bpmn:script></bpmn:scriptTask>")
    found = problems(ORENBURG[:start] + script + ORENBURG[end:])
    assert found == ["broken.bpmn: forward_threat: script tasks could run arbitrary code; "
                     "use a service task with a registered topic"]
    assert not Path("/tmp/otklik-pwned").exists()


def test_cli_prints_one_line_per_problem_and_exits_non_zero(tmp_path: Path) -> None:
    broken = tmp_path / "broken.bpmn"
    broken.write_text(ORENBURG.replace('camunda:topic="notify"', 'camunda:topic="send_sms"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: forward_threat: unknown topic 'send_sms'" in result.output


def test_cli_dry_run_accepts_orenburg() -> None:
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(ROOT / "bpmn" / "orenburg.bpmn")])
    assert result.exit_code == 0, result.output
    assert "ok (orenburg, region orenburg)" in result.output


def test_a_diagram_in_another_encoding_is_refused_not_crashed_on() -> None:
    text = ORENBURG.replace('encoding="UTF-8"', 'encoding="windows-1251"', 1)
    with pytest.raises(DeploymentError) as error:
        plan([Source("cp1251.bpmn", text.encode("cp1251"))], library_forms())
    assert [str(p) for p in error.value.problems] == [
        "cp1251.bpmn: a diagram must be UTF-8 XML; save it again in Camunda Modeler (it writes UTF-8)"]


def test_a_process_id_longer_than_the_column_is_refused() -> None:
    long_id = "p" * 70
    found = problems(ORENBURG.replace('id="orenburg"', f'id="{long_id}"').replace('processRef="orenburg"', f'processRef="{long_id}"'))
    assert any("longer than 64 characters" in line for line in found)


def test_cli_dry_run_answers_every_construct_never_a_bare_ok(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(ROOT / "bpmn" / "orenburg.bpmn")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  runs: bpmn:userTask ×11" in lines and "  runs: bpmn:boundaryEvent:timer:non-interrupting ×10" in lines
    assert "  warning: camunda:historyTimeToLive ×1" in lines
    assert any(line.startswith("  warning: orenburg: camunda:historyTimeToLive is ignored: ") for line in lines)
    construct_lines = [line for line in lines if line.startswith("  ") and " ×" in line]
    assert construct_lines and all(line.split(":")[0].strip() in ("runs", "warning") for line in construct_lines)


def test_cli_deploy_prints_the_warnings_of_what_it_deployed(tmp_path: Path) -> None:
    diagram = tmp_path / "orenburg.bpmn"
    diagram.write_text(replace('<bpmn:userTask id="route_message" ', '<bpmn:userTask id="route_message" '
                               'camunda:asyncBefore="true" '), encoding="utf-8")
    result = CliRunner().invoke(main, ["deploy", str(diagram)],
                                env={"OTKLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"})
    assert result.exit_code == 0, result.output
    assert "orenburg deployed as version 1" in result.stdout
    assert "  warning: route_message: camunda:asyncBefore is ignored: Otklik stores each step" in result.stderr


# ---- refusals that used to quote the XSD or SpiffWorkflow
def test_two_elements_with_one_id_are_named_not_an_xsd_sentence() -> None:
    text = replace('id="route_message"', 'id="test"').replace('id="category_gateway"', 'id="test"', 1)
    found = problems(text)
    assert found == ["broken.bpmn: test: two elements have the id «test»: bpmn:userTask «Определить тему, локацию, "
                     "важность и направить» and bpmn:exclusiveGateway «Категория сообщения»; give one of them another "
                     "id (Properties panel → ID)"]
    assert not any("xs:ID" in p for p in found)


def test_a_flow_to_nowhere_names_the_flow_and_the_missing_end() -> None:
    found = problems(replace('targetRef="route_message"', 'targetRef="route_mesage"'))
    assert found == ["broken.bpmn: to_route_message: sequence flow «to_route_message» leads to «route_mesage», and "
                     "the process has no such element; connect the flow again in Camunda Modeler"]


@pytest.mark.parametrize("date", ["2026-12-08T10:00:00+05:00", "2026-12-10"])
def test_an_unquoted_date_timer_says_to_quote_it(date: str) -> None:
    found = problems(replace("working_minutes(30, since=detected_at)", date))
    assert found == [f"broken.bpmn: routing_deadline: timer: the date {date} without quotes reads as arithmetic; "
                     f"write it in quotes ('{date}') or as a working-time deadline (working_days(…))"]


def test_a_compensation_boundary_is_refused_with_what_to_draw_not_an_xml_dump() -> None:
    boundary = ('<bpmn:boundaryEvent id="undo" attachedToRef="route_message"><bpmn:compensateEventDefinition />'
                "</bpmn:boundaryEvent>")
    text = replace("</bpmn:process>", boundary + "</bpmn:process>")
    text = text.replace("</bpmndi:BPMNPlane>", '<bpmndi:BPMNShape id="undo_di" bpmnElement="undo">'
                        '<dc:Bounds x="1" y="1" width="36" height="36" /></bpmndi:BPMNShape></bpmndi:BPMNPlane>')
    assert problems(text) == ["broken.bpmn: undo: bpmn:boundaryEvent:compensate does not run in Otklik: compensation "
                              "does not run; draw the undoing step as an ordinary task on a path from an exclusive "
                              "gateway"]


def test_a_message_start_event_is_refused_so_no_case_waits_forever() -> None:
    found = problems(replace("</bpmn:startEvent>", '<bpmn:messageEventDefinition id="start_message" /></bpmn:startEvent>'))
    assert len(found) == 1 and found[0].startswith(
        "broken.bpmn: message_detected: bpmn:startEvent:message does not run in Otklik: a case starts when a message "
        "is registered"), found


def test_a_spiffworkflow_refusal_names_the_element_without_its_xml() -> None:
    """The last check, SpiffWorkflow's own parse (the real one), for a construct nothing before it
    refused: its NotImplementedError carries the element's XML; the analyst reads the id."""
    from engine.deployment.validation import parse_spec_problems
    from engine.spiff.parser import parse_process

    boundary = ('<bpmn:boundaryEvent id="undo" attachedToRef="route_message"><bpmn:compensateEventDefinition />'
                "</bpmn:boundaryEvent>")
    text = replace("</bpmn:process>", boundary + "</bpmn:process>")
    [problem] = parse_spec_problems("broken.bpmn", text.encode(), "orenburg", parse_process)
    assert str(problem) == ("broken.bpmn: undo: SpiffWorkflow cannot run this element; what to draw instead: "
                            "docs/supported-elements.md")


def test_cli_dry_run_of_a_refused_diagram_lists_its_constructs_too(tmp_path: Path) -> None:
    broken = tmp_path / "assigned.bpmn"
    broken.write_text(replace('<bpmn:userTask id="route_message" ', '<bpmn:userTask id="route_message" '
                              'camunda:assignee="curator" '), encoding="utf-8")
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.stdout.splitlines()
    assert "  refused: camunda:assignee ×1" in result.stdout and "  runs: bpmn:userTask ×11" in result.stdout
    assert f"{broken}: route_message: camunda:assignee does not run in Otklik: " in result.stderr
