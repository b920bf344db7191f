"""A Kalmanka administration to adopt the municipal template, with the template's version 1 deployed."""
from __future__ import annotations

import pytest

from tests.factories import official, organisation
from tests.scenario.driver import Case
from tests.templates.template_data import ANALYST, CLERK, EXEC, OFFICIAL, deploy_template


@pytest.fixture
def kalmanka(db, virtual_clock):  # type: ignore[no-untyped-def]
    """Kalmanka's administration (an official, a reception, a department, an analyst) and the template v1."""
    with db.session() as session:
        admin = organisation(session, "kal_admin", "municipality", "kalmanka", "Администрация сельсовета")
        official(session, OFFICIAL, admin, "curator")
        official(session, ANALYST, admin, "analyst")
        reception = organisation(session, "kal_reception", "reception", "kalmanka", "Приёмная")
        official(session, CLERK, reception, "reception")
        official(session, EXEC, organisation(session, "kal_roads", "department", "kalmanka"), "executor")
        deploy_template(session)
    return Case(db, virtual_clock, "kalmanka", "Asia/Barnaul")
