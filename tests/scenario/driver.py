"""A small driver for scenario tests: one case, officials acting on it, a virtual clock."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.db.database import Database
from engine.models import AuditEvent, Instance, Message, Notification, Task, Violation
from engine.runtime import cases as runtime
from engine.runtime.timers import fire_due_timers


class Case:
    def __init__(self, db: Database, clock: Any, region: str, tz: str) -> None:
        self.db, self.clock, self.region, self.tz = db, clock, region, ZoneInfo(tz)
        self.instance_id: int | None = None

    def local(self, text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=self.tz)

    def at(self, text: str) -> None:
        """Move the virtual clock to a local time and let the worker fire what is due."""
        self.clock.set(self.local(text))
        fire_due_timers(self.db)

    def start(self, *, posted: str, detected: str, text: str = "Яма на дороге у школы №5", actor: str = "curator") -> None:
        self.clock.set(self.local(detected))
        with self.db.session() as session:
            instance = runtime.start_procedure(session, runtime.MessageInput(
                region=self.region, network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
                text=text, posted_at=self.local(posted), detected_at=self.local(detected)), actor)
            self.instance_id = instance.id

    def open_tasks(self) -> list[Task]:
        with self.db.session() as session:
            return list(session.scalars(select(Task).where(
                Task.instance_id == self.instance_id, Task.status == "open").order_by(Task.element_id)))

    def open_elements(self) -> list[str]:
        return sorted(t.element_id for t in self.open_tasks())

    def task(self, element_id: str, organisation: str | None = None) -> Task:
        tasks = [t for t in self.open_tasks() if t.element_id == element_id
                 and (organisation is None or t.organisation_key == organisation)]
        assert tasks, f"no open task {element_id} ({organisation}); open: {self.open_elements()}"
        return tasks[0]

    def complete(self, element_id: str, login: str, data: dict[str, Any], organisation: str | None = None) -> Task:
        task = self.task(element_id, organisation)
        with self.db.session() as session:
            return runtime.complete_task(session, task.id, login, data)

    def due(self, element_id: str, organisation: str | None = None) -> datetime:
        due = self.task(element_id, organisation).due_at
        assert due is not None
        return due.astimezone(self.tz)

    def violations(self) -> list[tuple[str, str, datetime | None]]:
        with self.db.session() as session:
            rows = session.scalars(select(Violation).where(Violation.instance_id == self.instance_id).order_by(Violation.id))
            return [(v.clause, v.deadline, v.due_at.astimezone(self.tz) if v.due_at else None) for v in rows]

    def notifications(self) -> list[tuple[str, str | None, str]]:
        with self.db.session() as session:
            rows = session.scalars(select(Notification).where(Notification.instance_id == self.instance_id).order_by(Notification.id))
            return [(n.recipient, n.organisation_key, n.subject) for n in rows]

    def instance(self) -> Instance:
        with self.db.session() as session:
            return session.get(Instance, self.instance_id)

    def message(self) -> Message:
        with self.db.session() as session:
            return session.get(Message, self.instance().message_id)

    def audit_kinds(self) -> list[str]:
        with self.db.session() as session:
            return list(session.scalars(select(AuditEvent.kind).where(
                AuditEvent.instance_id == self.instance_id).order_by(AuditEvent.id)))
