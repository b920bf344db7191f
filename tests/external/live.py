"""Helpers of the HTTP tests of the external-task API: the app's Orenburg case waiting for a worker."""
from __future__ import annotations

import base64
from typing import Any

from werkzeug.security import generate_password_hash

from engine.models import Organisation
from tests.external.conftest import WORKER, at_threat
from tests.external.diagram import deploy_worker_diagram
from tests.factories import official
from tests.scenario.driver import Case


def worker_app_case(app: Any, clock: Any, password: str) -> Case:
    """The app's database gets the analyst (the worker's login) and the worker's diagram as the newest
    Orenburg version; a message routed as a threat waits for the worker."""
    database = app.extensions["otklik_db"]
    with database.session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        official(session, WORKER, ministry, "analyst").password_hash = generate_password_hash(
            password, method="pbkdf2:sha256:1000")
        deploy_worker_diagram(session)
    return at_threat(Case(database, clock, "orenburg", "Asia/Yekaterinburg"))


def basic(login: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}
