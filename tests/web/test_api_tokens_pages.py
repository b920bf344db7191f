"""Personal API tokens in the browser (issue 17): created with a name and a lifetime, the secret
shown once and stored only hashed, listed with the last use, revoked at once; an official sees
only their own, the administrator anyone's."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from engine.models import ApiToken, AuditEvent
from tests.web.conftest import csrf_token
from tests.web.hardening_support import add_official, signed_in

SECRET = re.compile(r'id="token-secret">(otk_[A-Za-z0-9_-]{43})<')


def _create(client, name: str = "Camunda Modeler", expires: str = "90", path: str = "/account/tokens"):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, path), "name": name, "expires": expires})


def _rows(app) -> list[ApiToken]:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        rows = list(session.scalars(select(ApiToken)))
        session.expunge_all()
        return rows


def test_a_new_token_is_shown_once_and_stored_hashed(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("curator")
    created = _create(client)
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    page = created.get_data(as_text=True)
    assert "Скопируйте его сейчас: больше он показан не будет." in page
    secret = SECRET.search(page).group(1)  # type: ignore[union-attr]
    [row] = _rows(app)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:10] and secret not in row.prefix + row.secret_hash + row.name
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and "Скопируйте его сейчас" not in again
    assert f"<code>{secret[:10]}…</code>" in again
    assert "Camunda Modeler" in again and "не использовался" in again and "действует" in again


def test_the_token_page_says_when_it_was_last_used(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    client = client_for("curator")
    secret = SECRET.search(_create(client).get_data(as_text=True)).group(1)  # type: ignore[union-attr]

    from engine.directory import api_tokens
    with app.extensions["otklik_db"].session() as session:
        assert api_tokens.authenticate(session, secret) is not None
    page = client.get("/account/tokens").get_data(as_text=True)
    # 31.10.2025 09:00 UTC on Orenburg's clock (UTC+5); the zone in words, never an IANA name.
    assert "31.10.2025 14:00" in page and "не использовался" not in page
    assert "время: Оренбургская область, UTC+5" in page and "Asia/" not in page


def test_a_token_without_a_name_is_refused_with_the_reason(app, client_for) -> None:  # type: ignore[no-untyped-def]
    response = _create(client_for("curator"), name="  ")
    assert response.status_code == 400
    assert "укажите название токена" in response.get_data(as_text=True)
    assert _rows(app) == []


def test_revoking_stops_the_token_and_is_audited(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("curator")
    _create(client, name="бот")
    [row] = _rows(app)
    revoked = client.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(client, "/account/tokens")},
                          follow_redirects=True)
    page = revoked.get_data(as_text=True)
    assert "Токен «бот» отозван: с ним больше не войти." in page
    assert "отозван 31.10.2025" in page
    [row] = _rows(app)
    assert row.revoked_at is not None and row.revoked_by == "curator"
    with app.extensions["otklik_db"].session() as session:
        details = [e.details for e in session.scalars(select(AuditEvent).where(AuditEvent.kind == "api_token"))]
    assert [sorted(d) for d in details] == [["created_token", "expires_at", "name", "prefix", "territory", "user"],
                                            ["name", "prefix", "revoked_token", "user"]]


def test_nobody_revokes_another_officials_token_from_their_own_page(app, client_for) -> None:  # type: ignore[no-untyped-def]
    _create(client_for("curator"), name="куратора бот")
    [row] = _rows(app)
    other = client_for("supervisor")
    response = other.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(other, "/account/tokens")},
                          follow_redirects=True)
    assert "Такого токена нет." in response.get_data(as_text=True)
    assert _rows(app)[0].revoked_at is None
    assert "куратора бот" not in other.get("/account/tokens").get_data(as_text=True)


def test_the_administrator_manages_an_officials_tokens(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    assert "/admin/officials/curator/tokens" in admin.get("/admin/officials/curator").get_data(as_text=True)
    created = _create(admin, name="интеграция", expires="never", path="/admin/officials/curator/tokens")
    assert created.status_code == 200 and SECRET.search(created.get_data(as_text=True))
    [row] = _rows(app)
    assert row.created_by == "boss" and row.expires_at is None
    with app.extensions["otklik_db"].session() as session:
        owner = session.get(ApiToken, row.id).user_id  # type: ignore[union-attr]
        from engine.models import User
        assert session.get(User, owner).login == "curator"  # type: ignore[union-attr]
    admin.post(f"/admin/officials/curator/tokens/{row.id}/revoke",
               data={"csrf_token": csrf_token(admin, "/admin/officials/curator/tokens")})
    assert _rows(app)[0].revoked_by == "boss"


def test_only_the_administrator_opens_anothers_tokens(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("curator").get("/admin/officials/supervisor/tokens").status_code == 403


def test_the_users_menu_links_to_their_tokens(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("curator").get("/inbox").get_data(as_text=True)
    assert 'href="/account/tokens"' in page and "API-токены" in page


def test_the_page_in_english(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("curator")
    client.post("/locale/en", data={"csrf_token": csrf_token(client, "/inbox"), "next": "/account/tokens"})
    page = _create(client).get_data(as_text=True)
    assert "Copy it now: it will not be shown again." in page
    assert "90 days" in page


def test_a_token_limited_to_a_territory_is_chosen_by_name_and_listed_with_it(app, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("curator")
    form = client.get("/account/tokens").get_data(as_text=True)
    assert 'name="territory"' in form and '<option value="orenburg">Оренбургская область</option>' in form
    path = "/account/tokens"
    created = client.post(path, data={"csrf_token": csrf_token(client, path), "name": "monitor", "expires": "90",
                                      "territory": "orenburg"})
    assert created.status_code == 200
    [row] = _rows(app)
    assert row.territory == "orenburg"
    listed = client.get(path).get_data(as_text=True)
    assert "<td>Оренбургская область</td>" in listed
    refused = client.post(path, data={"csrf_token": csrf_token(client, path), "name": "x", "expires": "90",
                                      "territory": "smolensk"})
    assert refused.status_code == 400 and "smolensk" in refused.get_data(as_text=True)
    assert len(_rows(app)) == 1


def test_the_administrator_limits_an_officials_token_to_a_territory(app) -> None:  # type: ignore[no-untyped-def]
    add_official(app, "boss", "admin")
    admin = signed_in(app, "boss")
    path = "/admin/officials/curator/tokens"
    assert '<option value="orenburg">' in admin.get(path).get_data(as_text=True)
    created = admin.post(path, data={"csrf_token": csrf_token(admin, path), "name": "monitor", "expires": "never",
                                     "territory": "orenburg"})
    assert created.status_code == 200
    assert [(row.territory, row.created_by) for row in _rows(app)] == [("orenburg", "boss")]
