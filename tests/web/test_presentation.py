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


def test_the_heatmap_badges_write_the_median_in_the_one_duration_format(tasks_app) -> None:  # type: ignore[no-untyped-def]
    from engine.calendar.periods import parse_period
    from engine.models import Deployment
    from engine.views.heatmap import HeatCell, Heatmap
    from web.presentation import heat_overlays

    cells = {"accept_message": HeatCell("accept_message", violations=2, completed=2, median_minutes=45),
             "draft_answer": HeatCell("draft_answer", completed=2, median_minutes=60),
             "publish_answer": HeatCell("publish_answer", completed=1, median_minutes=64.6)}
    found = Heatmap("orenburg", "orenburg", parse_period("2025-11", "Asia/Yekaterinburg"), Deployment(), cells)
    with tasks_app.test_request_context():
        badges = {(b["element"], b["kind"]): b for b in heat_overlays(found)}
    assert badges[("accept_message", "violations")]["text"] == "⚠ 2"
    assert badges[("accept_message", "violations")]["title"] == "нарушений: 2"
    assert badges[("accept_message", "time")]["text"] == "45 мин"
    # was "1 ч 0 мин" from the heatmap's own formatter; the shared format writes whole hours alone
    assert badges[("draft_answer", "time")]["text"] == "1 ч"
    assert badges[("draft_answer", "time")]["title"] == "медиана, рабочего времени; выполнено: 2"
    assert badges[("publish_answer", "time")]["text"] == "1 ч 5 мин"  # rounded to the minute, as before
    assert ("draft_answer", "violations") not in badges and len(badges) == 4


def test_one_label_per_role_for_the_admin_pages_and_a_cases_steps() -> None:
    from engine.directory.roles import MEMBERSHIP_ROLES, TASK_ROLES
    from web import admin, presentation

    assert admin.ROLE_LABELS is presentation.ROLE_LABELS
    assert set(MEMBERSHIP_ROLES) | set(TASK_ROLES) <= set(presentation.ROLE_LABELS)
