"""One set of labels for every page (web.presentation): a network reads the same on the inbox,
the task page and the message card; durations are written one way."""
from __future__ import annotations

from datetime import timedelta

from engine.runtime import cases as runtime
from tests.web import tasks_support
from tests.web.tasks_support import client_as, local, task_of, text_of

password_hash = tasks_support.password_hash  # fixtures shared by the test_tasks_* modules
tasks_app = tasks_support.tasks_app


def test_every_page_names_the_network_not_its_key(tasks_app) -> None:  # type: ignore[no-untyped-def]
    with tasks_app.extensions["otklik_db"].session() as session:
        instance = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="facebook", url="https://example.org/post/1", author="Иван Петров",
            text="Яма", posted_at=local("2025-11-10T09:40"), detected_at=local("2025-11-10T10:00")), "curator")
        message_id = instance.message_id
    client = client_as(tasks_app, "curator")
    task_page = text_of(client.get(f"/tasks/{task_of(tasks_app, 'route_message').id}"))
    assert "<dd>Facebook" in task_page and "<dd>facebook" not in task_page
    assert "· Facebook</span>" in text_of(client.get("/inbox"))
    assert "<dd>Facebook</dd>" in text_of(client.get(f"/messages/{message_id}"))


def test_one_duration_format_for_countdowns_and_deadlines(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from web.presentation import duration, working_duration

    with tasks_app.test_request_context():
        assert duration(timedelta(hours=2, minutes=30)) == "2 ч 30 мин"
        assert duration(timedelta(hours=2)) == "2 ч" and duration(timedelta(minutes=25)) == "25 мин"
        assert working_duration(timedelta(minutes=-40)) == "просрочено на 40 мин"
        assert working_duration(None) == "—"


def test_one_label_per_role_for_the_admin_pages_and_a_cases_steps() -> None:
    from engine.directory.roles import MEMBERSHIP_ROLES, TASK_ROLES
    from web import admin, presentation

    assert admin.ROLE_LABELS is presentation.ROLE_LABELS
    assert set(MEMBERSHIP_ROLES) | set(TASK_ROLES) <= set(presentation.ROLE_LABELS)
