"""The administrators' list of undelivered notifications names whom they were for and the
organisation in words (issue 16): «Руководитель органа», the ministry's name, the addressee's full
name — never ``agency_head``, ``orb_health`` or a login."""
from __future__ import annotations

from sqlalchemy import select

from engine import clock
from engine.models import Delivery, User
from engine.notifications import routing
from tests.pagetext import assert_no_internal_names, visible_text
from tests.web.test_admin_choose_officials import HEALTH, admin, app  # noqa: F401 - fixtures used by name

__all__ = ["admin", "app"]


def test_undelivered_notifications_name_the_role_the_organisation_and_the_person(app, admin) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        routing.notify(session, region="orenburg", recipients="agency_head", subject="Нарушен срок п. 6",
                       at=clock.now(), organisation_key="orb_health")  # nobody heads the ministry
        [note] = routing.notify(session, region="orenburg", recipients="supervisor", subject="Срок истекает",
                                at=clock.now())
        person = session.scalar(select(User).where(User.login == "exec_health"))
        assert person is not None
        session.add(Delivery(notification_id=note.id, user_id=person.id, channel="email", address="o@orb.example",
                             status="failed", attempts=5, last_error="Connection refused", created_at=clock.now()))
    page = visible_text(admin.get("/admin/notifications").get_data(as_text=True))
    assert f"Руководитель органа {HEALTH}" in page
    assert "(Иванова Ольга Викторовна)" in page  # whose e-mail failed
    assert "agency_head" not in page
    assert_no_internal_names(page)
