"""/admin/webhooks (issue 17 §2): an administrator registers a territory's webhook, sees the
deliveries that failed and sends one again; nobody else may; Russian by default, English available."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engine.models import Instance, Webhook, WebhookDelivery
from engine.notifications import webhooks
from tests.web.conftest import csrf_token
from tests.web.hardening_support import add_official, signed_in
from tests.web.test_api_v1 import auth, item

SECRET = "0123456789abcdef-secret"


def _save(client, **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, "/admin/webhooks"), "territory": "orenburg",
            "url": "https://monitor.example.org/otklik", "secret": SECRET, "active": "1", **fields}
    return client.post("/admin/webhooks", data=data)


def test_the_administrator_registers_a_webhook_and_the_secret_is_never_shown(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    assert "/admin/webhooks" in admin.get("/admin/").get_data(as_text=True)
    assert _save(admin).status_code == 302
    page = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "https://monitor.example.org/otklik" in page and "Оренбургская область" in page and SECRET not in page
    assert _save(admin, url="https://monitor.example.org/v2", secret="").status_code == 302  # keeps the secret
    with app.extensions["otklik_db"].session() as session:
        [row] = session.scalars(select(Webhook)).all()
        assert (row.url, row.secret, row.active, row.updated_by) == ("https://monitor.example.org/v2", SECRET, True, "boss")


def test_refusals_are_shown_and_nothing_typed_is_lost(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    refused = _save(admin, url="http://10.1.2.3/hook")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "https://" in page and 'value="http://10.1.2.3/hook"' in page
    internal = _save(admin, url="https://10.1.2.3/hook")
    assert "внутреннюю сеть" in internal.get_data(as_text=True)
    assert _save(admin, url="http://10.1.2.3/hook", allow_private="1").status_code == 302  # the explicit allowance
    assert "Не короче" in admin.get("/admin/webhooks").get_data(as_text=True)


def test_a_failed_delivery_is_listed_and_sent_again(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    _save(admin)
    message_id = app.test_client().post("/api/v1/messages", json=item(), headers=auth()).get_json()["id"]
    with app.extensions["otklik_db"].session() as session:
        hook = session.scalars(select(Webhook)).one()
        session.add(WebhookDelivery(webhook_id=hook.id, message_id=message_id, event="answer.published", body="{}",
                                    status="failed", attempts=6, last_error="получатель ответил HTTP 500",
                                    created_at=datetime(2025, 10, 31, 9, tzinfo=UTC)))
        assert session.scalars(select(Instance)).first() is not None
    page = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "получатель ответил HTTP 500" in page and "Не доставлено после 6 попыток." in page
    with app.extensions["otklik_db"].session() as session:
        [failed] = webhooks.undelivered(session)
    retried = admin.post(f"/admin/webhooks/deliveries/{failed.id}/retry",
                         data={"csrf_token": csrf_token(admin, "/admin/webhooks")}, follow_redirects=True)
    assert "Отправка поставлена в очередь заново." in retried.get_data(as_text=True)
    with app.extensions["otklik_db"].session() as session:
        assert [(d.status, d.attempts) for d in session.scalars(select(WebhookDelivery))] == [("pending", 0)]
    removed = admin.post("/admin/webhooks/orenburg/remove", data={"csrf_token": csrf_token(admin, "/admin/webhooks")},
                         follow_redirects=True)
    assert "Вебхук удалён." in removed.get_data(as_text=True) and "Вебхуков нет." in removed.get_data(as_text=True)


def test_admins_only_and_in_english(app, client_for) -> None:  # type: ignore[no-untyped-def]
    curator = client_for("curator")
    assert curator.get("/admin/webhooks").status_code == 403
    assert curator.post("/admin/webhooks", data={"territory": "orenburg"}).status_code in (400, 403)
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    admin.post("/locale/en", data={"csrf_token": csrf_token(admin, "/admin/webhooks"), "next": "/admin/"})
    page = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "Webhooks" in page and "Вебхуки" not in page
    refused = _save(admin, url="https://127.0.0.1/x")
    assert "leads into the internal network" in refused.get_data(as_text=True)


def test_the_admin_tabs_lead_to_the_webhooks_and_mark_it_current(app) -> None:  # type: ignore[no-untyped-def]
    """An administrator finds the page from any admin page, as the other sections."""
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    assert '<a href="/admin/webhooks">' in admin.get("/admin/officials").get_data(as_text=True)
    assert '<a href="/admin/webhooks" aria-current="page">' in admin.get("/admin/webhooks").get_data(as_text=True)
