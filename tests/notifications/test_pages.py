"""The notification centre and the administrators' list, through the web app: the header count, the
list newest first with the case link and times in the case's zone, marking one and all read (CSRF),
nobody else's notifications; e-mail fields on the admin pages; undelivered escalations listed."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine import clock
from engine.models import Delivery, User
from engine.notifications import inbox, routing
from tests.notifications.conftest import add_person
from tests.web.conftest import app, client_for, csrf_token  # noqa: F401 - fixtures used by name

__all__ = ["app", "client_for"]


def _notify(app, subject: str, recipients: str = "supervisor", at=None) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        routing.notify(session, region="orenburg", recipients=recipients, subject=subject, body="Текст сообщения",
                       at=at or clock.now())


def test_the_header_counts_unread_and_the_list_shows_newest_first(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _notify(app, "Первое уведомление")
    virtual_clock.advance(hours=1)
    _notify(app, "Второе уведомление")
    client = client_for("supervisor")
    inbox_page = client.get("/inbox").get_data(as_text=True)
    assert 'class="badge"' in inbox_page and ">2</span>" in inbox_page
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("Второе уведомление") < page.index("Первое уведомление")
    # 31.10.2025 09:00 UTC is 14:00 in Orenburg (Asia/Yekaterinburg): the case's zone, never ISO.
    assert "31.10.2025 14:00" in page and "2025-10-31" not in page
    others = client_for("curator").get("/notifications").get_data(as_text=True)  # only one's own
    assert "Второе уведомление" not in others and "Уведомлений нет." in others


def test_mark_one_then_all_read(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _notify(app, "Одно")
    _notify(app, "Другое")
    client = client_for("supervisor")
    with app.extensions["otklik_db"].session() as session:
        first = session.scalars(select(Delivery.id).order_by(Delivery.id)).first()
    token = csrf_token(client, "/notifications")
    assert client.post(f"/notifications/{first}/read", data={"csrf_token": token}).status_code == 302
    with app.extensions["otklik_db"].session() as session:
        assert inbox.unread_count(session, "supervisor") == 1
    assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
    with app.extensions["otklik_db"].session() as session:
        assert inbox.unread_count(session, "supervisor") == 0
    assert 'class="badge"' not in client.get("/inbox").get_data(as_text=True)


def test_without_csrf_nothing_is_marked_and_nobody_marks_anothers(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _notify(app, "Чужое")
    with app.extensions["otklik_db"].session() as session:
        theirs = session.scalar(select(Delivery.id))
    assert client_for("supervisor").post("/notifications/read-all").status_code == 400  # no CSRF token
    curator = client_for("curator")
    curator.post(f"/notifications/{theirs}/read", data={"csrf_token": csrf_token(curator, "/notifications")})
    with app.extensions["otklik_db"].session() as session:
        assert inbox.unread_count(session, "supervisor") == 1


def test_pages_of_twenty_five(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    for number in range(inbox.PAGE_SIZE + 2):
        _notify(app, f"Уведомление {number:02d}", at=clock.now() + timedelta(minutes=number))
    client = client_for("supervisor")
    first = client.get("/notifications").get_data(as_text=True)
    assert "Уведомление 26" in first and "Уведомление 00" not in first and 'rel="next"' in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "Уведомление 00" in second and "Уведомление 26" not in second


def test_admins_see_undelivered_and_set_addresses(app, client_for) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        add_person(session, "boss", "orb_minpolicy", "admin")
        from werkzeug.security import generate_password_hash

        from tests.web.conftest import PASSWORD
        session.scalar(select(User).where(User.login == "boss")).password_hash = generate_password_hash(
            PASSWORD, method="pbkdf2:sha256:1000")
    _notify(app, "Социально значимое сообщение (п. 21)", recipients="governor")  # no Governor held
    admin = client_for("boss")
    listed = admin.get("/admin/notifications").get_data(as_text=True)
    assert "Социально значимое сообщение (п. 21)" in listed and 'data-problem="no_recipient"' in listed
    assert "Недоставленные уведомления" in admin.get("/admin/").get_data(as_text=True)
    token = csrf_token(admin, "/admin/officials/supervisor")
    admin.post("/admin/officials/supervisor/email", data={"csrf_token": token, "email": "boss@orb.example"})
    admin.post("/admin/organisations/orb_minpolicy/email", data={"csrf_token": token, "email": "not an address"})
    with app.extensions["otklik_db"].session() as session:
        assert session.scalar(select(User.email).where(User.login == "supervisor")) == "boss@orb.example"
    page = admin.get("/admin/organisations/orb_minpolicy").get_data(as_text=True)
    assert "не адрес e-mail" in page and 'value="boss@orb.example"' not in page
    assert client_for("supervisor").get("/admin/notifications").status_code == 403
