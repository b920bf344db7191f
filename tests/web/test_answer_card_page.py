"""The message card page reads the answer through the diagram's declarations: «Размещён: да» once
the declared answer.published holds, the kind as its form labels it (here Orenburg's)."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from engine.runtime import cases as runtime
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE


def _answer_block(html: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return text[text.index("Размещён"):][:40]


def test_the_card_shows_the_answer_published(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    database = app.extensions["otklik_db"]
    at = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)  # Monday 10:00 in Orenburg
    virtual_clock.set(at)
    with database.session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="А", text="Яма",
            posted_at=at, detected_at=at), "curator")
        message_id = instance.message_id

    def complete(element: str, login: str, data: dict) -> None:  # type: ignore[type-arg]
        with database.session() as session:
            [task] = [t for t in runtime.inbox(session, login) if t.element_id == element and t.message_id == message_id]
            runtime.complete_task(session, task.id, login, data)

    complete("route_message", "curator", ROUTE)
    complete("accept_message", EXEC, {"competent": True})
    complete("draft_answer", EXEC, DRAFT)
    complete("approve_answer", "curator", {"decision": "approve"})
    curator = client_for("curator")
    assert _answer_block(curator.get(f"/messages/{message_id}").get_data(as_text=True)).startswith("Размещён нет")
    complete("publish_answer", EXEC, PUBLISH)
    page = curator.get(f"/messages/{message_id}").get_data(as_text=True)
    assert _answer_block(page).startswith("Размещён да")
    assert "Ответ по существу" in page  # the kind, labelled
