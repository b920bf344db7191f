"""The intake API (/api/v1, issue 17 §2) through Flask's test client: a monitoring system pushes
messages as a curator (Basic auth), one or a batch, idempotent by (source, source_id); refusals
are JSON with a code and a message in the caller's language."""
from __future__ import annotations

import base64
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from engine.models import Message, MessageLink
from tests.web.conftest import PASSWORD

POSTED, DETECTED = "2025-10-31T12:30:00+05:00", "2025-10-31T13:00:00+05:00"  # the virtual clock: 14:00 in Orenburg


def auth(login: str = "curator", password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


def item(**changes: Any) -> dict[str, Any]:
    message: dict[str, Any] = {"region": "orenburg", "network": "vk", "url": "https://vk.com/wall-1_2",
                               "author": "Иван Петров", "text": "Яма на дороге у школы №5", "posted_at": POSTED,
                               "detected_at": DETECTED, "source": "monitor", "source_id": "post-1"}
    message.update(changes)
    return {k: v for k, v in message.items() if v is not None}


def messages(app) -> int:  # type: ignore[no-untyped-def]
    with app.extensions["otklik_db"].session() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def test_one_message_is_taken_with_its_procedure_and_deadlines_on_the_territory_clock(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().post("/api/v1/messages", json=item(attachments=["https://vk.com/photo-1_5"]),
                                      headers=auth())
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["created"] is True and body["region"] == "orenburg"
    assert body["procedure"]["version"] == 1 and body["procedure"]["name"]
    assert body["href"] == f"/api/v1/messages/{body['id']}"
    assert body["deadlines"], body
    assert all(d["due_at"].endswith("+05:00") for d in body["deadlines"])  # Orenburg's offset, not UTC
    with app.extensions["otklik_db"].session() as session:
        row = session.get(Message, body["id"])
        assert (row.source, row.source_id, row.registered_by) == ("monitor", "post-1", "curator")
        assert list(session.scalars(select(MessageLink.url))) == ["https://vk.com/photo-1_5"]


def test_the_same_source_id_twice_is_one_case_and_a_200_with_it(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    first = client.post("/api/v1/messages", json=item(), headers=auth())
    again = client.post("/api/v1/messages", json=item(text="изменённый текст повтора"), headers=auth())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"] and again.get_json()["created"] is False
    other = client.post("/api/v1/messages", json=item(source_id="post-2"), headers=auth())
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert messages(app) == 2


def test_a_batch_answers_207_per_item_and_takes_the_good_ones(app) -> None:  # type: ignore[no-untyped-def]
    batch = [item(source_id="a"), item(source_id="b", posted_at="2025-10-31T12:30:00", url="vk.com/x"),
             item(source_id="a"), item(source_id="c", region="smolensk"), item(source_id="d", network="myspace"),
             "not an object", item(source_id="e", colour="red")]
    response = app.test_client().post("/api/v1/messages", json=batch, headers=auth())
    assert response.status_code == 207
    body = response.get_json()
    assert [r["status"] for r in body["results"]] == [201, 422, 200, 403, 422, 422, 422]
    assert (body["created"], body["found"], body["refused"]) == (1, 1, 5)
    naive = body["results"][1]["error"]
    assert naive["code"] == "invalid" and naive["fields"]["posted_at"]["code"] == "needs_offset"
    assert naive["fields"]["posted_at"]["message"].startswith("нужны дата и время ISO 8601 со смещением")
    assert body["results"][3]["error"] == {"code": "forbidden", "message": (
        "вы не куратор территории «Смоленская область»: регистрировать её сообщения нельзя")}
    assert body["results"][4]["error"]["fields"]["network"]["code"] == "unknown"
    assert body["results"][5]["error"]["fields"]["message"]["code"] == "bad_type"
    assert body["results"][6]["error"]["fields"]["colour"]["code"] == "extra"
    assert messages(app) == 1


def test_validated_like_registration(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    cases = [({"text": "   "}, "text", "required"), ({"text": "я" * 20_001}, "text", "too_long"),
             ({"url": "vk.com/wall"}, "url", "bad_url"), ({"posted_at": "2024-10-01T10:00:00+05:00"}, "posted_at", "too_old"),
             ({"detected_at": "2025-10-31T12:00:00+05:00"}, "detected_at", "before_posted"),
             ({"detected_at": "2025-11-01T12:00:00+05:00"}, "detected_at", "future"),
             ({"posted_at": 1761890000}, "posted_at", "needs_offset"), ({"source_id": None}, "source_id", "pair"),
             ({"author": "a\0b"}, "author", "bad_character"), ({"attachments": ["ftp://x"]}, "attachments", "bad_url"),
             ({"region": "atlantis"}, "region", "unknown")]
    for changes, field, code in cases:
        response = client.post("/api/v1/messages", json=item(**changes), headers=auth())
        assert response.status_code == 422, (changes, response.get_data(as_text=True))
        assert response.get_json()["error"]["fields"][field]["code"] == code, changes
    assert messages(app) == 0


def test_refusals_are_json_in_the_callers_language(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    english = {**auth(), "Accept-Language": "en"}
    refused = client.post("/api/v1/messages", json=item(url="vk.com/x"), headers=english).get_json()
    assert refused["error"]["fields"]["url"]["message"] == "an address starting with http:// or https:// is needed"
    not_json = client.post("/api/v1/messages", data="<xml/>", content_type="application/xml", headers=english)
    assert not_json.status_code == 400 and not_json.get_json()["error"]["code"] == "not_json"
    broken = client.post("/api/v1/messages", data="{", content_type="application/json", headers=auth())
    assert broken.status_code == 400 and broken.get_json()["error"]["message"].startswith("тело запроса должно быть JSON")
    assert client.post("/api/v1/messages", json=[], headers=auth()).get_json()["error"]["code"] == "batch_empty"
    too_many = client.post("/api/v1/messages", json=[item(source_id=str(i)) for i in range(501)], headers=auth())
    assert too_many.status_code == 413 and too_many.get_json()["error"]["code"] == "batch_too_large"
    nowhere = client.get("/api/v1/nowhere", headers=english)
    assert nowhere.status_code == 404 and nowhere.get_json() == {"error": {"code": "no_route",
                                                                           "message": "the API has no such address"}}
    anonymous = client.post("/api/v1/messages", json=item())
    assert anonymous.status_code == 401 and anonymous.is_json
    assert client.post("/api/v1/messages", json=item(), headers=auth("exec_orb_roads")).status_code == 403
    assert messages(app) == 0


def test_the_body_is_bounded(app) -> None:  # type: ignore[no-untyped-def]
    # Larger than a form may be (500 KB): a batch of long posts is taken.
    long_posts = [item(source_id=f"long-{i}", text="я" * 20_000) for i in range(20)]
    taken = app.test_client().post("/api/v1/messages", json=long_posts, headers=auth())
    assert taken.status_code == 207 and taken.get_json()["created"] == 20
    app.config["API_MAX_BODY_BYTES"] = 10_000
    response = app.test_client().post("/api/v1/messages", json=item(text="я" * 9_000), headers=auth())
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "body_too_large"


def test_requests_are_rate_limited_per_login(app) -> None:  # type: ignore[no-untyped-def]
    app.config["API_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    statuses = [client.get("/api/v1/messages/1", headers=auth()).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    limited = client.get("/api/v1/messages/1", headers=auth())
    assert limited.get_json()["error"]["code"] == "rate_limited" and limited.headers["Retry-After"]
    assert client.get("/api/v1/messages/1", headers=auth("supervisor")).status_code == 404  # another login's own count


def test_status_shows_what_the_card_shows_to_whom_it_is_visible(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    created = client.post("/api/v1/messages", json=item(attachments=["https://vk.com/photo-1_5"]), headers=auth()).get_json()
    state = client.get(created["href"], headers=auth())
    assert state.status_code == 200
    body = state.get_json()
    assert (body["id"], body["status"], body["case_status"]) == (created["id"], "in_progress", "running")
    assert (body["source"], body["source_id"], body["attachments"]) == ("monitor", "post-1", ["https://vk.com/photo-1_5"])
    assert body["answer_is_public"] is False and body["public_answer_url"] is None
    assert [d["due_at"] for d in body["deadlines"]] == [d["due_at"] for d in created["deadlines"]]
    assert body["deadlines"][0]["overdue"] is False
    hidden = client.get(created["href"], headers=auth("exec_orb_health"))  # not yet routed to their agency
    assert hidden.status_code == 404 and hidden.get_json()["error"]["code"] == "not_found"
    assert body["repeat_of"] is None


def test_status_says_which_earlier_message_the_curator_confirmed_it_repeats(app) -> None:  # type: ignore[no-untyped-def]
    """Orenburg п. 15: the monitoring system can show that a message was taken as a repeat."""
    from engine.runtime import repeats

    client = app.test_client()
    first = client.post("/api/v1/messages", json=item(), headers=auth()).get_json()
    again = client.post("/api/v1/messages", json=item(source_id="post-2", url="https://vk.com/wall-1_3"),
                        headers=auth()).get_json()
    with app.extensions["otklik_db"].session() as session:
        repeats.confirm(session, again["id"], first["id"], "curator")
    body = client.get(again["href"], headers=auth()).get_json()
    assert body["repeat_of"] == first["id"]


def test_two_threads_racing_with_the_same_source_id_make_one_case(app) -> None:  # type: ignore[no-untyped-def]
    statuses: list[int] = []
    ids: list[int] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/messages", json=item(source_id="race"), headers=auth())
        statuses.append(response.status_code)
        ids.append(response.get_json()["id"])

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201] and len(set(ids)) == 1
    assert messages(app) == 1


@pytest.mark.parametrize("field", ["source", "source_id"])
def test_a_source_without_its_id_is_refused(app, field) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().post("/api/v1/messages", json=item(**{field: None}), headers=auth())
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][field] == {"code": "pair", "message": "source и source_id передаются вместе"}


def test_the_limits_are_set_from_the_environment() -> None:
    from engine.settings import Settings

    chosen = Settings.from_environment({"OTKLIK_API_RATE_LIMIT": "5 per minute", "OTKLIK_API_MAX_BODY_BYTES": "1000"})
    assert (chosen.api_rate_limit, chosen.api_max_body_bytes) == ("5 per minute", 1000)
    default = Settings.from_environment({})
    assert (default.api_rate_limit, default.api_max_body_bytes) == ("120 per minute", 16_000_000)


def test_the_card_shows_the_links_a_monitoring_system_sent(app, client_for) -> None:  # type: ignore[no-untyped-def]
    created = app.test_client().post("/api/v1/messages", json=item(attachments=["https://vk.com/photo-1_5"]),
                                     headers=auth()).get_json()
    card = client_for("curator").get(f"/messages/{created['id']}").get_data(as_text=True)
    assert "Ссылки, присланные системой мониторинга (сервер их не загружает):" in card
    assert '<a href="https://vk.com/photo-1_5" rel="noopener noreferrer nofollow">https://vk.com/photo-1_5</a>' in card
    assert "Файлов нет." not in card
    assert "от системы «monitor», её номер post-1" in card  # where it came from, for the curator


@pytest.mark.parametrize("asked", ["abc", str(2**63), "9" * 5000, "٣"])
def test_an_id_that_names_no_row_is_a_json_404(app, asked) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get(f"/api/v1/messages/{asked}", headers=auth())
    assert response.status_code == 404 and response.get_json()["error"]["code"] in ("not_found", "no_route")
