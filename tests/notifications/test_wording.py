"""Notification texts read on the territory's clock (issue 16): a row stored with an ISO instant
("срок 2026-12-04T11:30:00+05:00") reads as 04.12.2026 11:30 in the notification centre, the e-mail
and the card; and a violation notice names the deadline as the diagram's timer does, not its key."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine import clock
from engine.models import Notification
from engine.notifications import routing
from engine.notifications.delivery import mail_text
from engine.notifications.wording import local_instants
from engine.runtime.services import ServiceCall, _deadline_words
from tests.pagetext import assert_no_internal_names, visible_text
from tests.web.conftest import app, client_for  # noqa: F401 - fixtures used by name

__all__ = ["app", "client_for"]
OLD = "Нарушен срок п. 8: answer (срок 2026-12-04T11:30:00+05:00)"


@pytest.mark.parametrize(("text", "region", "expected"), [
    (OLD, "orenburg", "Нарушен срок п. 8: answer (срок 04.12.2026 11:30)"),
    ("истёк 2026-12-04T06:30:00+00:00.", "orenburg", "истёк 04.12.2026 11:30."),
    ("истёк 2026-12-04T06:30:00.123456+00:00", "smolensk", "истёк 04.12.2026 09:30"),  # Moscow time
    ("истёк 2026-12-04T06:30Z", None, "истёк 04.12.2026 06:30"),  # no territory: UTC
    ("Дело № 7, 2026-12-04 без времени", "orenburg", "Дело № 7, 2026-12-04 без времени"),
])
def test_iso_instants_read_as_local_time(text: str, region: str | None, expected: str) -> None:
    assert local_instants(text, region) == expected


def test_an_old_iso_notice_reads_local_in_the_centre_and_the_mail(app, client_for) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        [row] = routing.notify(session, region="orenburg", recipients="supervisor", subject=OLD,
                               body="Дело № 7: срок истёк 2026-12-04T11:30:00+05:00.", at=clock.now())
        mail = mail_text(session.get_one(Notification, row.id))
    assert "04.12.2026 11:30" in mail and "2026-12-04T" not in mail
    page = visible_text(client_for("supervisor").get("/notifications").get_data(as_text=True))
    assert "Нарушен срок п. 8: answer (срок 04.12.2026 11:30)" in page
    assert "Дело № 7: срок истёк 04.12.2026 11:30." in page
    assert "2026-12-04T" not in page


def _call(timer_name: str | None) -> ServiceCall:
    return ServiceCall(session=None, instance_id=1, message_id=1, region="orenburg", element_id="e",  # type: ignore[arg-type]
                       properties={}, data={}, now=datetime(2025, 11, 10, tzinfo=UTC), timer_name=timer_name)


def test_a_violation_notice_names_the_timer_without_repeating_its_clause() -> None:
    assert _deadline_words(_call("30 рабочих минут с момента выявления, п. 6"), "6", "routing") == \
        "30 рабочих минут с момента выявления"
    assert _deadline_words(_call("9 рабочих часов (п. 8)"), "8", "answer") == "9 рабочих часов"
    assert _deadline_words(_call("2 рабочих часа, п. 14"), "6", "part") == "2 рабочих часа, п. 14"  # another clause stays
    assert _deadline_words(_call(None), "6", "routing") == "routing"  # a diagram without a timer name
    assert_no_internal_names(_deadline_words(_call("8 рабочих часов, п. 6"), "6", "routing"))


def test_administrators_read_an_old_undelivered_subject_on_the_territorys_clock(app) -> None:  # type: ignore[no-untyped-def]
    from engine.notifications.admin_view import undelivered

    with app.extensions["otklik_db"].session() as session:
        routing.notify(session, region="orenburg", recipients="governor", subject=OLD, body="", at=clock.now())
        [row] = undelivered(session)  # nobody holds the Governor's role in the test directory
    assert row.subject == "Нарушен срок п. 8: answer (срок 04.12.2026 11:30)"
