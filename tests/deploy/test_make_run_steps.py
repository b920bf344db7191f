"""The console steps of ``make run`` on a fresh database, each a process of its own, as a new
machine runs them: the schema, every diagram in bpmn/, the demo officials.

In-process tests start with the migrated territories already in memory (tests/conftest.py); a new
process has none until its first unit of work reads them, so this is where a command that looks a
territory up before it queries would show (it refused every diagram as "unknown region").
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.reliability.live import VENV_BIN

ROOT = Path(__file__).resolve().parents[2]


def otklik(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OTKLIK_DATABASE_URL": url, "OTKLIK_LANG": "en"}
    return subprocess.run([str(VENV_BIN / "otklik"), *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_a_fresh_database_takes_every_diagram_and_the_demo(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    # As the Makefile's run and deploy: the procedures, then the templates (engine.templates).
    diagrams = [str(p.relative_to(ROOT)) for folder in ("bpmn", "bpmn/templates")
                for p in sorted((ROOT / folder).glob("*.bpmn"))]

    assert otklik(url, "db", "upgrade").returncode == 0
    checked = otklik(url, "deploy", "--dry-run", *diagrams)
    assert checked.returncode == 0, checked.stderr
    deployed = otklik(url, "deploy", *diagrams)
    assert deployed.returncode == 0, deployed.stderr
    assert deployed.stdout.count("version 1") == len(diagrams), deployed.stdout
    demo = otklik(url, "demo")
    assert demo.returncode == 0, demo.stderr
    again = otklik(url, "deploy", *diagrams)  # the next `make run`: nothing new, nothing refused
    assert again.returncode == 0, again.stderr
