"""One Settings object (engine.settings): every OTKLIK_* setting resolved in one place, and a
deployment adds only the forms its caller names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import settings as settings_module
from engine.deployment.deployer import Source, forms_in, library_forms, plan
from engine.errors import DeploymentError
from engine.settings import PROJECT_ROOT, Settings, override, settings
from tests.factories import ROOT

ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()


def test_the_instance_directory_moves_everything_that_lives_in_it(tmp_path: Path) -> None:
    moved = Settings.from_environment({"OTKLIK_INSTANCE_DIR": str(tmp_path)})
    assert moved.database_url == f"sqlite:///{tmp_path / 'otklik.sqlite'}" and moved.database_url_is_default
    assert moved.upload_dir == tmp_path / "uploads"
    given = Settings.from_environment({"OTKLIK_INSTANCE_DIR": str(tmp_path), "OTKLIK_DATABASE_URL": "postgresql://x/y",
                                       "OTKLIK_UPLOAD_DIR": "/srv/uploads"})
    assert given.database_url == "postgresql://x/y" and not given.database_url_is_default
    assert given.upload_dir == Path("/srv/uploads")


def test_defaults_are_the_embedded_set_up() -> None:
    default = Settings.from_environment({})
    assert default.instance_dir == PROJECT_ROOT / "instance" and default.forms_dir == PROJECT_ROOT / "forms"
    assert default.secret_key is None and not default.insecure_cookies
    assert (default.session_idle_minutes, default.session_max_hours, default.workflow_cache_size) == (120, 12, 256)
    assert Settings.from_environment({"OTKLIK_WORKFLOW_CACHE_SIZE": "many"}).workflow_cache_size == 256
    with pytest.raises(ValueError):
        Settings.from_environment({"OTKLIK_SESSION_IDLE_MINUTES": "soon"})  # the web app does not start


def test_built_once_and_again_only_when_a_variable_changes(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_INSTANCE_DIR", str(tmp_path))
    first = settings()
    assert settings() is first
    monkeypatch.setenv("OTKLIK_UPLOAD_DIR", str(tmp_path / "files"))
    assert settings() is not first and settings().upload_dir == tmp_path / "files"


def test_override_changes_the_settings_for_a_block_only(tmp_path: Path) -> None:
    before = settings()
    with override(forms_dir=tmp_path) as changed:
        assert settings() is changed and settings().forms_dir == tmp_path
    assert settings() == before


def test_nothing_else_reads_the_otklik_environment() -> None:
    """engine.settings is the one reader; web/cli.py may only *set* a default for the demo."""
    reading = re.compile(r"""(os\.environ\.get|os\.getenv|os\.environ\[)\(?\s*["']OTKLIK_""")
    readers = [str(p.relative_to(ROOT)) for folder in ("engine", "web") for p in (ROOT / folder).rglob("*.py")
               if reading.search(p.read_text("utf-8"))]
    assert readers == []
    assert settings_module.__file__ and Path(settings_module.__file__).name == "settings.py"


def test_a_deployment_adds_only_the_forms_its_caller_names() -> None:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", ORENBURG)])  # no forms given, none added from disk
    assert any("orenburg_routing" in p.text for p in refused.value.problems)
    [item] = plan([Source("orenburg.bpmn", ORENBURG)], library_forms())
    assert "orenburg_routing" in item.forms


def test_a_given_form_wins_over_the_library_form_of_the_same_name() -> None:
    form = (ROOT / "forms" / "approve_answer.form").read_text("utf-8").replace("Решение куратора", "Решение")
    [library] = plan([Source("orenburg.bpmn", ORENBURG)], library_forms())
    [given] = plan([Source("orenburg.bpmn", ORENBURG), Source("approve_answer.form", form.encode())], library_forms())
    assert given.forms["approve_answer"] == form != library.forms["approve_answer"]
    assert given.content_hash != library.content_hash


def test_the_cli_deploys_with_the_forms_directory_of_its_settings(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from engine.cli.main import main

    assert [Path(s.name).name for s in forms_in(ROOT / "forms")] == sorted(p.name for p in (ROOT / "forms").glob("*.form"))
    empty = tmp_path / "no-forms"
    empty.mkdir()
    monkeypatch.setenv("OTKLIK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    runner = CliRunner()
    refused = runner.invoke(main, ["deploy", "--dry-run", str(ROOT / "bpmn" / "orenburg.bpmn")],
                            env={"OTKLIK_FORMS_DIR": str(empty)})
    assert refused.exit_code == 1 and "orenburg_routing" in refused.output
    passed = runner.invoke(main, ["deploy", "--dry-run", str(ROOT / "bpmn" / "orenburg.bpmn")],
                           env={"OTKLIK_FORMS_DIR": str(ROOT / "forms")})
    assert passed.exit_code == 0, passed.output
