"""Fixtures of the external-task tests: Orenburg's officials with an analyst (the worker's login),
the test copy of the diagram whose threat step a worker serves, and a case waiting at that step."""
from __future__ import annotations

from typing import Any

import pytest

from engine.models import Organisation
from tests.external.diagram import ROUTE, deploy_worker_diagram
from tests.factories import official, orenburg_people
from tests.scenario.driver import Case

WORKER = "analyst"  # the login a worker signs in as (an analyst of Orenburg)


def make_case(db: Any, clock: Any, **options: bool) -> Case:
    with db.session() as session:
        orenburg_people(session)
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        official(session, WORKER, ministry, "analyst")
        deploy_worker_diagram(session, **options)
    return Case(db, clock, "orenburg", "Asia/Yekaterinburg")


def at_threat(case: Case) -> Case:
    """A message routed as a threat (п. 17): its case waits for the worker at forward_threat."""
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    case.at("2025-11-10T10:10")
    case.complete("route_message", "curator", ROUTE)
    return case


@pytest.fixture
def threat(db, virtual_clock) -> Case:  # type: ignore[no-untyped-def]
    return at_threat(make_case(db, virtual_clock))
