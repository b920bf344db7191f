"""Fixtures of the surge tests: Orenburg with its Governor (and his office), on the virtual clock."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import official, organisation

ORENBURG = ZoneInfo("Asia/Yekaterinburg")
# The burst begins Monday 2025-11-10 10:00 in Orenburg; the baseline is the four weeks before.
T0 = datetime(2025, 11, 10, 10, 0, tzinfo=ORENBURG)
TOPIC, PLACE = "roads_transport", "Оренбург, ул. Советская"


@pytest.fixture
def governed(orenburg):  # type: ignore[no-untyped-def]
    """The Orenburg driver, with the Governor and his office in the directory (п. 21's recipients)."""
    with orenburg.db.session() as session:
        office = organisation(session, "orb_governor", "administration", "orenburg", "Аппарат Губернатора")
        official(session, "governor", office, "governor")
        official(session, "governor_office", office, "governor_office")
    return orenburg
