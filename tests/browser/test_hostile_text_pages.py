"""Text typed by citizens and officials never runs as script on any page, in a real browser.

A message whose author, text and link carry the classic script injections is registered and
walked to the approval step with hostile routing and draft text; then every page that shows it
is opened in Chromium as the curator, the executor and the supervisor. The test fails if any
injected handler ran (it would set ``window.__xss``), any dialog opened, or the page logged a
CSP violation of an inline script that escaping should have made inert text.
"""
from __future__ import annotations

from datetime import timedelta

from engine.runtime import cases as runtime
from engine.runtime.cases import MessageInput
from tests.browser.conftest import shot

PAYLOADS = (
    '<script>window.__xss=1</script>',
    '"><img src=x onerror="window.__xss=2">',
    "'><svg onload=window.__xss=3>",
    '{{7*7}}<a href="javascript:window.__xss=4">x</a>',
)
HOSTILE = " ".join(PAYLOADS)


def _case_at_approval(database, clock) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A message with hostile text everywhere, routed, accepted and drafted; (message id, approval task id)."""
    now = clock.current
    with database.session() as session:
        instance = runtime.start_procedure(session, MessageInput(
            region="orenburg", network="vk", url='https://vk.com/wall-1_1?"><script>window.__xss=5</script>',
            author=HOSTILE[:300], text=HOSTILE, posted_at=now - timedelta(hours=1), detected_at=now), "curator")
        message_id = instance.message_id

    def complete(login: str, form: dict[str, object]) -> None:
        with database.session() as session:
            task = next(t for t in runtime.inbox(session, login) if t.instance_id == instance.id)
            runtime.complete_task(session, task.id, login, form)

    complete("curator", {"category": "ordinary", "topic": "roads_transport", "location": HOSTILE[:200],
                         "importance": "normal", "answer_hours": "9", "agency": "orb_roads"})
    complete("exec_orb_roads", {"competent": "true"})
    complete("exec_orb_roads", {"answer_kind": "answer", "answer_text": HOSTILE})
    with database.session() as session:
        approval = next(t for t in runtime.inbox(session, "curator") if t.instance_id == instance.id)
        return message_id, approval.id


def test_hostile_text_is_shown_as_text_on_every_page(page_for, live_app, live_db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    message_id, approval = _case_at_approval(live_db, virtual_clock)
    pages = {
        "curator": ["/inbox", "/messages", f"/messages?q={'%3Cscript%3E'}", f"/messages/{message_id}",
                    f"/messages/{message_id}/diagram", f"/tasks/{approval}", "/reports?region=orenburg&period=2025-10"],
        "exec_orb_roads": ["/inbox", "/messages", f"/messages/{message_id}"],
        "supervisor": ["/inbox", "/messages", f"/messages/{message_id}", "/procedures/heatmap?region=orenburg&period=2025-10"],
    }
    for login, paths in pages.items():
        page = page_for(login)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
        for path in paths:
            response = page.goto(f"{live_app}{path}")
            assert response is not None and response.status < 500, f"{login} {path}: {response and response.status}"
            page.wait_for_load_state("load")
            for anchor in page.locator("a[href^='javascript:']").all():
                raise AssertionError(f"{login} {path}: a javascript: link {anchor.get_attribute('href')!r}")
            assert page.evaluate("window.__xss") is None, f"{login} {path}: injected script ran"
        assert not dialogs, f"{login}: dialogs opened {dialogs}"
        if login == "curator":
            page.goto(f"{live_app}/messages/{message_id}")
            shot(page, "30-hostile-text-shown-as-text")
        # The text is on the page, as text.
        page.goto(f"{live_app}/messages/{message_id}")
        assert "<script>window.__xss=1</script>" in page.inner_text("main")
