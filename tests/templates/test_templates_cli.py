"""``otklik templates list|adopt|upgrade``: the same as the browser, from the console; a bad value names
its option and parameter and exits 2."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from engine.cli.main import main
from tests.templates.template_data import PROCESS, TEMPLATE, TEMPLATE_FILE, version_2


@pytest.fixture
def run(tmp_path):  # type: ignore[no-untyped-def]
    env = {"OTKLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "OTKLIK_LANG": "en"}

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, list(args), env=env)

    return invoke


def test_list_adopt_and_upgrade_from_the_console(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run("templates", "list").output.strip() == "no templates deployed"
    assert run("deploy", str(TEMPLATE_FILE)).exit_code == 0
    listed = run("templates", "list").output
    assert f"{TEMPLATE}: " in listed and "versions: 1" in listed and "adopted by nobody" in listed
    assert "parameter answer_days (days) = 1" in listed and "parameter publisher (choice) = official" in listed

    refused = run("templates", "adopt", TEMPLATE, "--territory", "kalmanka", "--set", "answer_days=two")
    assert refused.exit_code == 2 and "Error: --set answer_days: parameter 'answer_days'" in refused.output
    refused = run("templates", "adopt", TEMPLATE, "--territory", "kalmanka", "--set", "answer_days")
    assert refused.exit_code == 2 and "expected name=value" in refused.output
    refused = run("templates", "adopt", TEMPLATE, "--territory", "atlantis")
    assert refused.exit_code == 2 and "--territory: there is no territory 'atlantis'" in refused.output

    adopted = run("templates", "adopt", TEMPLATE, "--territory", "kalmanka", "--set", "answer_days=2",
                  "--set", "final_days=5")
    assert adopted.exit_code == 0, adopted.output
    assert adopted.output.strip() == f"{PROCESS} version 1: adopted template {TEMPLATE} version 1 for kalmanka"
    assert f"adopted: kalmanka -> {PROCESS}, template version 1\n" in run("templates", "list").output

    newer = tmp_path / "municipal.bpmn"
    newer.write_text(version_2(), encoding="utf-8")
    assert run("deploy", str(newer)).exit_code == 0
    assert "template version 1 (newer: 2)" in run("templates", "list").output
    planned = run("templates", "upgrade", PROCESS, "--dry-run")
    assert planned.exit_code == 0, planned.output
    for line in (f"{PROCESS}: template {TEMPLATE}, adopted version 1, newest 2", "kept answer_days = 2",
                 "added notify_days = 3 (the new template's default)", "removed final_days (was 5)",
                 "changed element draft_deadline"):
        assert line in planned.output, planned.output
    assert "newer: 2" in run("templates", "list").output  # a dry run deploys nothing

    upgraded = run("templates", "upgrade", PROCESS, "--set", "notify_days=1")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"{PROCESS} version 2: adopted template {TEMPLATE} version 2 for kalmanka" in upgraded.output
    assert "added notify_days = 1" in upgraded.output
    assert f"adopted: kalmanka -> {PROCESS}, template version 2\n" in run("templates", "list").output
    assert "unchanged, version 2 in force" in run("templates", "upgrade", PROCESS).output
    assert run("templates", "upgrade", TEMPLATE).exit_code == 2


def test_upgrade_takes_a_moved_default_unless_told_to_keep_it(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run("deploy", str(TEMPLATE_FILE)).exit_code == 0
    assert run("templates", "adopt", TEMPLATE, "--territory", "kalmanka", "--set", "answer_days=2").exit_code == 0
    newer = tmp_path / "municipal.bpmn"
    newer.write_text(version_2().replace('name="var.routing_hours" value="8"', 'name="var.routing_hours" value="6"'),
                     encoding="utf-8")
    assert run("deploy", str(newer)).exit_code == 0
    planned = run("templates", "upgrade", PROCESS, "--dry-run").output
    assert "default of routing_hours changed: 8 -> 6; the procedure had kept the default - 6 is taken " \
           "(--keep-default routing_hours keeps 8)" in planned, planned
    assert "kept answer_days = 2" in planned and "kept routing_hours" not in planned
    refused = run("templates", "upgrade", PROCESS, "--keep-default", "answer_days")
    assert refused.exit_code == 2 and "Error: --keep-default: parameter 'answer_days': an old default" in refused.output
    upgraded = run("templates", "upgrade", PROCESS, "--keep-default", "routing_hours")
    assert upgraded.exit_code == 0, upgraded.output
    assert "default of routing_hours changed: 8 -> 6; 8 is kept (--keep-default)" in upgraded.output
    assert f"{PROCESS} version 2: adopted template {TEMPLATE} version 2" in upgraded.output
