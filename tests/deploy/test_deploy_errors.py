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
