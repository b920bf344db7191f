"""A token limited to a territory acts only there (issue 17 §2): the intake API refuses another
territory's message per item (403 ``out_of_scope``), hides its messages (404), and /engine-rest
refuses to deploy another territory's diagram (403) — though the token's owner may do all three."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from engine.directory import api_tokens
from engine.models import Membership, Organisation, User
from tests.factories import organisation
from tests.web.test_api_v1 import auth, item

ROOT = Path(__file__).resolve().parents[2]
ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()
CHANGED = ORENBURG.replace(b"working_minutes(30, since=detected_at)", b"working_minutes(45, since=detected_at)")


@pytest.fixture
def tokens(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The curator (and an analyst) of Orenburg who also hold the role in Smolensk; a token of each
    limited to each territory."""
    with app.extensions["otklik_db"].session() as session:
        smolensk = organisation(session, "smo_dip", "curator", "smolensk")
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        curator = session.query(User).filter_by(login="curator").one()
        analyst = User(login="analyst", full_name="analyst")
        session.add(analyst)
        session.flush()
        session.add_all([Membership(user_id=curator.id, organisation_id=smolensk.id, role="curator"),
                         Membership(user_id=analyst.id, organisation_id=ministry.id, role="analyst"),
                         Membership(user_id=analyst.id, organisation_id=smolensk.id, role="analyst")])
        session.flush()
        made = {}
        for login in ("curator", "analyst"):
            for territory in ("orenburg", "smolensk", None):
                _info, secret = api_tokens.create_token(session, login, f"{territory}", None, "admin", territory)
                made[f"{login}:{territory}"] = secret
    return made


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_intake_of_another_territory_is_refused_per_item_with_a_clear_code(app, tokens) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    refused = client.post("/api/v1/messages", json=item(), headers=bearer(tokens["curator:smolensk"]))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "out_of_scope"
    english = client.post("/api/v1/messages", json=item(), headers={**bearer(tokens["curator:smolensk"]),
                                                                      "Accept-Language": "en"})
    assert "limited to another territory" in english.get_json()["error"]["message"]
    batch = client.post("/api/v1/messages", json=[item(source_id="a"), item(source_id="b")],
                        headers=bearer(tokens["curator:smolensk"]))
    assert batch.status_code == 207 and [r["status"] for r in batch.get_json()["results"]] == [403, 403]
    taken = client.post("/api/v1/messages", json=item(), headers=bearer(tokens["curator:orenburg"]))
    assert taken.status_code == 201, taken.get_data(as_text=True)
    unscoped = client.post("/api/v1/messages", json=item(source_id="c"), headers=bearer(tokens["curator:None"]))
    assert unscoped.status_code == 201


def test_another_territorys_message_is_not_found(app, tokens) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    href = client.post("/api/v1/messages", json=item(), headers=auth()).get_json()["href"]
    assert client.get(href, headers=bearer(tokens["curator:orenburg"])).status_code == 200
    hidden = client.get(href, headers=bearer(tokens["curator:smolensk"]))
    assert hidden.status_code == 404 and hidden.get_json()["error"]["code"] == "not_found"


def _deploy(client, secret: str):  # type: ignore[no-untyped-def]
    data = {"deployment-name": "orenburg", "deployment-source": "Camunda Modeler", "enable-duplicate-filtering": "true",
            "orenburg.bpmn": (io.BytesIO(CHANGED), "orenburg.bpmn", "text/xml")}
    return client.post("/engine-rest/deployment/create", data=data, content_type="multipart/form-data",
                       headers={**bearer(secret), "Accept": "application/json"})


def test_engine_rest_deploys_only_in_the_tokens_territory(app, tokens) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    refused = _deploy(client, tokens["analyst:smolensk"])
    assert refused.status_code == 403 and refused.get_json()["type"] == "AuthorizationException"
    deployed = _deploy(client, tokens["analyst:orenburg"])
    assert deployed.status_code == 200, deployed.get_data(as_text=True)
