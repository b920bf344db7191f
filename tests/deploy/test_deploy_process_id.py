"""A process without an id passes the BPMN XSD (the attribute is optional there) but nothing can be
deployed under it: one line says what to set, instead of a None reaching the deployer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError

ORENBURG = (Path(__file__).resolve().parents[2] / "bpmn" / "orenburg.bpmn").read_text(encoding="utf-8")


def test_a_process_without_an_id_is_refused_with_what_to_set() -> None:
    # Only the process's own id attribute goes (its <bpmn:process ...> start tag).
    text, count = re.subn(r'(<bpmn:process\b[^>]*?)\s+id="orenburg"', r"\1", ORENBURG, count=1)
    assert count == 1
    with pytest.raises(DeploymentError) as error:
        plan([Source("no_id.bpmn", text.encode("utf-8"))], library_forms())
    assert [str(p) for p in error.value.problems] == [
        "no_id.bpmn: the process has no id; set the process Id in Camunda Modeler (e.g. the region key)"]
