"""The first `make run` shows something on every page (issue 16 item 8): after deploy + demo on a
fresh SQLite database, every territory's curator has an inbox, the registry rows, the heatmap cells,
the summary counts, a breach recorded by the diagram's own timer and an answer published; a second
run adds nothing. Run at three real "nows": a working Monday, the first working day of a month
before some regions' working day begins, and New Year's Day (a holiday on the 1st)."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from engine.db.database import Database, upgrade
from engine.demo import autopilot
from engine.demo import cases as demo_cases
from engine.demo import seed as demo
from engine.models import Instance, Message, Task, Violation
from engine.reports.summary import build_summary, current_month
from engine.runtime import cases as runtime
from engine.views.heatmap import heatmap
from engine.views.registry import visible_messages
from tests.factories import ROOT, deploy_files

# Who registers and routes in each territory (engine.demo.people).
CURATORS = {"orenburg": "curator", "smolensk": "smo_curator", "kuzbass": "kuz_curator", "kaluga": "klg_curator",
            "kalmanka": "kal_official", "berezovka": "ber_official"}
# Territories whose procedure ends a threat without an answer (the others run the scene as ordinary).
THREAT_ENDS = ("orenburg", "kalmanka", "berezovka")


def _fresh(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    upgrade(database.engine)
    diagrams = [str(p.relative_to(ROOT)) for folder in ("bpmn", "bpmn/templates")
                for p in sorted((ROOT / folder).glob("*.bpmn"))]
    with database.session() as session:
        deploy_files(session, *diagrams)
    with database.session() as session:
        demo.seed(session, lambda p: generate_password_hash(p, method="pbkdf2:sha256:1000"), check_password_hash,
                  tmp_path / "logins.txt")
    return database


def _messages(database: Database) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(select(func.count(Message.id))) or 0


@pytest.mark.parametrize("now", [
    datetime(2026, 12, 7, 14, 30, tzinfo=UTC),  # Monday evening in Orenburg and the Altai
    datetime(2026, 6, 1, 4, 0, tzinfo=UTC),  # Monday the 1st: 07:00 in Kaluga, before its working day
    datetime(2026, 1, 1, 9, 0, tzinfo=UTC),  # New Year's Day: a holiday on the month's first day
])
def test_every_territory_shows_every_page_after_the_demo(tmp_path, virtual_clock, now) -> None:  # type: ignore[no-untyped-def]
    virtual_clock.set(now)
    database = _fresh(tmp_path)
    seeded = demo_cases.seed_cases(database)
    assert sorted(seeded.territories) == sorted(CURATORS) and seeded.skipped == [] and seeded.stopped == []
    assert seeded.cases == len(CURATORS) * len(demo_cases.SCENES) == _messages(database)
    assert virtual_clock.current == now  # the seed pinned its clock per step and left ours alone

    with database.session(readonly=True) as session:
        for region, curator in CURATORS.items():
            assert runtime.inbox(session, curator), f"{region}: the curator's inbox is empty"
            assert visible_messages(session, curator).rows, f"{region}: the registry is empty"
            periods = [current_month(region)]
            year, month = map(int, periods[0].split("-"))
            periods.append(f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}")
            cells = [c for label in periods for c in heatmap(session, region, label).cells.values()
                     if c.violations or c.completed]
            assert cells, f"{region}: the heatmap has no cells in {periods}"
            summaries = [build_summary(session, region, label) for label in periods]
            assert sum(s.messages for s in summaries), f"{region}: no messages in {periods}"
            assert sum(s.answered for s in summaries) >= 1, f"{region}: no answer published in {periods}"
            if region in THREAT_ENDS:
                assert sum(s.no_answer for s in summaries) >= 1, f"{region}: the threat did not end without an answer"
            violations = session.scalars(select(Violation).where(Violation.region == region)).all()
            assert violations, f"{region}: no violation recorded"
            # A case left overdue is charged by the worker's pass (no completion fired its timer).
            running_ids = set(session.scalars(select(Instance.id).where(
                Instance.region == region, Instance.status == "running")))
            assert any(v.instance_id in running_ids for v in violations), f"{region}: no open case is overdue"
            # Recorded by the diagram's timers at their own due time, never after "now".
            assert all(v.due_at is None or v.due_at <= now for v in violations)
            assert all(v.recorded_at.replace(tzinfo=UTC) <= now for v in violations)
            running = session.scalar(select(func.count(Instance.id)).where(
                Instance.region == region, Instance.status == "running")) or 0
            assert running >= 3, f"{region}: too few open cases ({running})"
        # Live countdowns: some open task is due after now, and some is overdue.
        due = [t.due_at.replace(tzinfo=UTC) for t in session.scalars(
            select(Task).where(Task.status == "open", Task.due_at.is_not(None)))]
        assert any(d > now for d in due) and any(d <= now for d in due)

    if now.day == 7:  # the working Monday
        each_state_appears_in_orenburg(database)
    again = demo_cases.seed_cases(database)
    assert again.cases == 0 and sorted(again.skipped) == sorted(CURATORS)
    assert _messages(database) == seeded.cases


def each_state_appears_in_orenburg(database: Database) -> None:
    """The procedure with every branch shows each one: just registered, returned for rework, a joint
    answer waiting for a co-executor's part, a return by a non-competent agency, a threat closed
    without an answer, and published answers carrying their link (checked on the Monday's seed above:
    a seed of its own would cost the suite ten seconds)."""
    with database.session(readonly=True) as session:
        open_names = set(session.scalars(select(Task.name).where(Task.region == "orenburg", Task.status == "open")))
        assert {"Определить тему, локацию, важность и направить", "Доработать проект ответа",
                "Подготовить информацию для общего ответа", "Перенаправить возвращённое сообщение"} <= open_names, open_names
        statuses = dict(session.execute(select(Message.status, func.count(Message.id)).where(
            Message.region == "orenburg").group_by(Message.status)).all())
        assert statuses.get("closed", 0) >= 5 and statuses.get("in_progress", 0) >= 5, statuses
        authors = set(session.scalars(select(Message.author).where(Message.region == "orenburg")))
        assert "Алексей Кузнецов" in authors
        urls = session.scalars(select(Message.url).where(Message.region == "orenburg")).all()
        assert all(u.startswith("https://vk.com/wall-") for u in urls)


def test_a_case_the_engine_refuses_stops_alone(tmp_path, virtual_clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`make run` goes on when the engine refuses one demo case: that case stops where it was, the
    console names it, every other case is seeded."""
    virtual_clock.set(datetime(2026, 12, 7, 14, 30, tzinfo=UTC))
    database = _fresh(tmp_path)
    complete = autopilot.complete

    def refusing(session, task, story):  # type: ignore[no-untyped-def]
        if story.number == 3 and story.agency == "orb_health":
            raise RuntimeError("refused for the test")
        return complete(session, task, story)

    monkeypatch.setattr(autopilot, "complete", refusing)
    seeded = demo_cases.seed_cases(database)
    assert seeded.stopped == ["orenburg 3: RuntimeError: refused for the test"]
    assert _messages(database) == seeded.cases == len(CURATORS) * len(demo_cases.SCENES)
    with database.session(readonly=True) as session:
        assert session.scalar(select(func.count(Message.id)).where(Message.status == "closed")) >= 30
