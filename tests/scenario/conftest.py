from __future__ import annotations

import pytest

from tests.factories import deploy_files, orenburg_people
from tests.scenario.driver import Case


@pytest.fixture
def orenburg(db, virtual_clock):  # type: ignore[no-untyped-def]
    with db.session() as session:
        orenburg_people(session)
        deploy_files(session, "bpmn/orenburg.bpmn")
    return Case(db, virtual_clock, "orenburg", "Asia/Yekaterinburg")
