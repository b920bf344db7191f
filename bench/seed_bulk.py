"""Bulk data for the timer and inbox benchmarks (a library for bench/timers.py and bench/inbox.py).

Starting 100,000 real cases through the engine would take longer than the measurement itself,
so the benchmarks start ONE real Orenburg case and clone it:

* every SpiffWorkflow task UUID in the serialized state is replaced by a fresh one (task rows are
  keyed by that UUID), the message id in the case data is the clone's own, and the armed timer's
  ``event_value`` — the instant SpiffWorkflow compares with "now" — is the clone's due time;
* ``instance.next_timer_at`` and the open task's ``due_at`` carry the same instant, exactly as
  ``store.save`` would have written them.

A clone is therefore indistinguishable from a case started at that moment (bench/timers.py checks
that each clone's timer fires once, records its violation and leaves nothing due).
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from engine import clock
from engine.db.database import Database, upgrade
from engine.models import Instance, Message, Task
from engine.runtime import cases as runtime
from tests.factories import deploy_files, orenburg_people

ROOT = Path(__file__).resolve().parent.parent
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DETECTED = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)
POSTED = datetime(2025, 11, 10, 4, 40, tzinfo=UTC)


# ---- databases ------------------------------------------------------------------------------

def ensure_postgres_database(url: str) -> None:
    """Create the benchmark database if it is missing (never touches the test suite's ``test``)."""
    parsed = make_url(url)
    if parsed.database == "test":
        raise SystemExit("refusing to benchmark in 'test': the test suite drops its schema; use otklik_bench")
    from sqlalchemy import create_engine

    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}) is None:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def fresh_database(url: str | None, directory: str) -> Database:
    """A migrated, empty database: a new SQLite file in ``directory``, or ``url``'s schema recreated."""
    if url is None:
        database = Database(f"sqlite:///{directory}/bench.sqlite")
    else:
        ensure_postgres_database(url)
        database = Database(url)
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(database.engine)
    return database


def reset_sequences(database: Database, tables: Iterable[str]) -> None:
    """After inserts with explicit ids, let PostgreSQL's serials continue past them."""
    if not database.is_postgresql:
        return
    with database.engine.begin() as connection:
        for table in tables:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))"))


def settle(database: Database) -> None:
    """The steady state a bulk load reaches later anyway: planner statistics, the visibility map,
    and the load's dirty pages written out — so no autovacuum or checkpoint runs during a measurement."""
    if database.is_postgresql:
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))
        return
    raw = database.engine.raw_connection()  # outside any transaction (engine.db begins IMMEDIATE ones)
    try:
        raw.driver_connection.execute("ANALYZE")
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


# ---- one real case, cloned ------------------------------------------------------------------

@dataclass(frozen=True)
class CaseTemplate:
    """A started Orenburg case (waiting on the curator's routing task and its 30-minute timer)."""

    deployment_id: int
    first_free_id: int  # clones take message/instance ids from here (the template's rows are deleted)
    pieces: tuple[str, ...]  # the state split around every UUID, the timer's due and the message id
    open_task_id: str  # the template's open task (its clone's id is that UUID's replacement)
    task: dict  # the open task row's columns, without ids and due
    message: dict  # the message row's columns, without id


def seed_orenburg(database: Database) -> CaseTemplate:
    """Orenburg officials, the deployed procedure and one real case to clone (its rows then deleted)."""
    with database.session() as session:
        orenburg_people(session)
        deploy_files(session, "bpmn/orenburg.bpmn")
    clock.set_source(lambda: datetime(2025, 11, 10, 5, 10, tzinfo=UTC))
    try:
        with database.session() as session:
            instance = runtime.start_procedure(session, runtime.MessageInput(
                "orenburg", "vk", "https://vk.com/wall-1_1", "Иван Петров", "Яма на дороге у школы №5",
                POSTED, DETECTED), "curator")
            task = session.query(Task).filter_by(instance_id=instance.id).one()
            message = session.get(Message, instance.message_id)
            state, due, message_id, task_id = instance.state, instance.next_timer_at, instance.message_id, task.id
            task_columns = {c: getattr(task, c) for c in ("region", "element_id", "name", "role", "organisation_key",
                                                          "form_ref", "created_at", "status")}
            message_columns = {c.name: getattr(message, c.name) for c in Message.__table__.columns if c.name != "id"}
            deployment_id, instance_id = instance.deployment_id, instance.id
    finally:
        clock.set_source(None)  # the benchmarks run on the real clock
    with database.engine.begin() as connection:
        # Its audit rows stay (audit is append-only); clones take ids after it, so none collide.
        connection.execute(text("DELETE FROM task WHERE instance_id = :i"), {"i": instance_id})
        connection.execute(text("DELETE FROM instance WHERE id = :i"), {"i": instance_id})
        connection.execute(text("DELETE FROM message WHERE id = :i"), {"i": message_id})
    due_text = _due_text(state, due)
    pattern = f"({_UUID}|{re.escape(due_text)}|\"message_id\": {message_id}\\b)"
    return CaseTemplate(deployment_id, max(instance_id, message_id) + 1, tuple(re.split(pattern, state)), task_id,
                        task_columns, message_columns)


def _due_text(state: str, due: datetime) -> str:
    found = set(re.findall(r'"event_value": "([^"]+)"', state))
    if len(found) != 1:
        raise RuntimeError("the template case should wait on exactly one timer")
    value = found.pop()
    if datetime.fromisoformat(value) != due:
        raise RuntimeError("next_timer_at disagrees with the armed timer")
    return value


def clone_state(template: CaseTemplate, due: datetime, message_id: int) -> tuple[str, str]:
    """The template's state with fresh task UUIDs, this due time and message id; and the open task's new id."""
    fresh: dict[str, str] = {}
    out = []
    for index, piece in enumerate(template.pieces):
        if index % 2 == 0:
            out.append(piece)
        elif piece.startswith('"message_id"'):
            out.append(f'"message_id": {message_id}')
        elif re.fullmatch(_UUID, piece):
            out.append(fresh.setdefault(piece, str(uuid.uuid4())))
        else:
            out.append(due.isoformat())
    return "".join(out), fresh[template.open_task_id]


def clone_cases(database: Database, template: CaseTemplate, dues: Sequence[datetime], first_id: int | None = None,
                chunk: int = 5000, progress: Callable[[int], None] | None = None) -> None:
    """Insert ``len(dues)`` waiting cases (message, instance, open task) with ids from ``first_id``."""
    first_id = template.first_free_id if first_id is None else first_id
    for start in range(0, len(dues), chunk):
        messages, instances, tasks = [], [], []
        for offset, due in enumerate(dues[start:start + chunk]):
            row_id = first_id + start + offset
            state, task_id = clone_state(template, due, row_id)
            messages.append({"id": row_id, **template.message})
            instances.append({"id": row_id, "message_id": row_id, "deployment_id": template.deployment_id,
                              "region": "orenburg", "state": state, "status": "running", "version": 1,
                              "next_timer_at": due, "started_at": template.task["created_at"], "completed_at": None})
            tasks.append({"id": task_id, "instance_id": row_id, "message_id": row_id, "due_at": due, **template.task})
        with database.engine.begin() as connection:
            connection.execute(insert(Message), messages)
            connection.execute(insert(Instance), instances)
            connection.execute(insert(Task), tasks)
        if progress:
            progress(start + len(messages))
    reset_sequences(database, ("message", "instance"))


def retime(database: Database, template: CaseTemplate, dues: dict[int, datetime]) -> None:
    """Move the timers of existing clones (instance id → new due), state included."""
    with database.engine.begin() as connection:
        rows = []
        for instance_id, due in dues.items():
            state, task_id = clone_state(template, due, instance_id)
            rows.append({"i": instance_id, "s": state, "d": due, "t": task_id})
        connection.execute(text("DELETE FROM task WHERE instance_id = :i"), [{"i": r["i"]} for r in rows])
        connection.execute(text("UPDATE instance SET state = :s, next_timer_at = :d, version = version + 1 "
                                "WHERE id = :i"), rows)
        connection.execute(insert(Task), [{"id": r["t"], "instance_id": r["i"], "message_id": r["i"], "due_at": r["d"],
                                           **template.task} for r in rows])


def chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# ---- the inbox/registry population (PostgreSQL, INSERT … SELECT generate_series) ------------

REGIONS = ("orenburg", "smolensk", "kaluga", "kuzbass", "kalmanka")
TOPICS = ("housing_utilities", "roads_transport", "healthcare", "education", "social_protection", "ecology",
          "economy_labour", "public_safety", "culture_sport", "other")
# The Orenburg lifecycle's user tasks, in order: (stage, element, name, role, form, region-wide).
STAGES = (
    (0, "route_message", "Определить тему, локацию, важность и направить", "curator", "orenburg_routing", True),
    (1, "accept_message", "Принять сообщение или вернуть куратору", "executor", "accept_message", False),
    (2, "draft_answer", "Подготовить проект ответа", "executor", "draft_answer", False),
    (3, "approve_answer", "Согласовать проект ответа", "curator", "approve_answer", True),
    (4, "publish_answer", "Разместить ответ в источнике", "executor", "publish_answer", False),
)
# Which step an open case waits on, by (n / 5) % 10: routing and approval 20 %, the agency's steps 80 %.
OPEN_STAGE = (0, 3, 1, 1, 2, 2, 2, 2, 4, 4)


@dataclass(frozen=True)
class Population:
    closed: int = 1_000_000
    open: int = 100_000
    agencies: int = 40  # per region
    seconds_apart: int = 25  # registration rhythm: 1.1 M messages over ~10 months, the newest now


def seed_people(database: Database, agencies: int, password_hash: str) -> None:
    """Per region a curator organisation (curator, supervisor) and ``agencies`` agencies with one
    executor each; a regulator who sees every region. Login = ``<region>_curator``, ``<region>_exec07``."""
    from engine.models import Membership, Organisation, User

    with database.session() as session:
        regulator = User(login="regulator", full_name="Проверяющий", password_hash=password_hash)
        session.add(regulator)
        for region in REGIONS:
            curator_org = Organisation(key=f"{region}_cur", name=f"Куратор ({region})", kind="curator", region=region)
            session.add(curator_org)
            people = [(User(login=f"{region}_curator", full_name=f"Куратор {region}", password_hash=password_hash),
                       curator_org, "curator"),
                      (User(login=f"{region}_supervisor", full_name=f"Руководитель {region}", password_hash=password_hash),
                       curator_org, "supervisor"),
                      (regulator, curator_org, "regulator")]
            for k in range(1, agencies + 1):
                agency = Organisation(key=f"{region}_ag{k:02d}", name=f"Ведомство №{k} ({region})", kind="agency",
                                      region=region)
                session.add(agency)
                people.append((User(login=f"{region}_exec{k:02d}", full_name=f"Исполнитель {k} {region}",
                                    password_hash=password_hash), agency, "executor"))
            session.flush()
            for user, organisation, role in people:
                session.add(user)
                session.flush()
                session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))


def seed_cases(database: Database, shape: Population, now: datetime) -> None:
    """1 M closed and 100 k open messages with their instances, task rows and some violations."""
    total = shape.closed + shape.open
    params = {"regions": list(REGIONS), "topics": list(TOPICS), "open_stage": list(OPEN_STAGE),
              "closed": shape.closed, "total": total, "agencies": shape.agencies,
              "t0": now - timedelta(seconds=shape.seconds_apart * total), "step": timedelta(seconds=shape.seconds_apart)}
    region = "(CAST(:regions AS text[]))[1 + n % 5]"
    agency = f"{region} || '_ag' || lpad((1 + (n / 50) % :agencies)::text, 2, '0')"
    statements = [
        f"""INSERT INTO message (id, region, network, url, author, text, posted_at, detected_at, topic, location,
                importance, status, repeat_of_id, registered_by, registered_at)
            SELECT n, {region}, (ARRAY['vk','ok','telegram','site','blog'])[1 + (n / 7) % 5],
                'https://vk.com/wall-1_' || n, 'Житель ' || (n % 50000),
                'Сообщение №' || n || ': ' || (ARRAY['яма на дороге у школы', 'нет горячей воды в доме',
                    'не вывозят мусор во дворе', 'нет записи к врачу', 'не горят фонари на улице',
                    'затопило подъезд', 'сломана детская площадка', 'не ходит автобус'])[1 + n % 8]
                    || ', просим принять меры и сообщить о результате.',
                :t0 + n * :step - interval '30 minutes', :t0 + n * :step - interval '10 minutes',
                (CAST(:topics AS text[]))[1 + n % 10], 'ул. Советская, ' || (n % 300), 'normal',
                CASE WHEN n <= :closed THEN 'closed' ELSE 'in_progress' END, NULL,
                {region} || '_curator', :t0 + n * :step
            FROM generate_series(1, :total) AS n""",
        """INSERT INTO instance (id, message_id, deployment_id, region, state, status, version, next_timer_at,
                started_at, completed_at)
            SELECT m.id, m.id, d.id, m.region, '', CASE WHEN m.id <= :closed THEN 'completed' ELSE 'running' END, 1,
                CASE WHEN m.id > :closed THEN m.registered_at + interval '10 hours' END, m.registered_at,
                CASE WHEN m.id <= :closed THEN m.registered_at + interval '1 day' END
            FROM message m JOIN deployment d ON d.process_id = m.region""",
    ]
    stage_rows = ", ".join(f"({s}, '{e}', '{name}', '{role}', '{form}', {str(wide).lower()})"
                           for s, e, name, role, form, wide in STAGES)
    last_stage = "CASE WHEN n <= :closed THEN 4 ELSE (CAST(:open_stage AS int[]))[1 + (n / 5) % 10] END"
    statements.append(f"""
        INSERT INTO task (id, instance_id, message_id, region, element_id, name, role, organisation_key, form_ref,
            due_at, created_at, claimed_by, status, completed_by, closed_at)
        SELECT md5(n || ':' || s.stage)::uuid::text, n, n, {region}, s.element_id, s.name, s.role,
            CASE WHEN s.wide THEN NULL ELSE {agency} END, s.form_ref,
            :t0 + n * :step + (s.stage + 1) * interval '2 hours', :t0 + n * :step + s.stage * interval '1 hour',
            CASE WHEN n > :closed AND NOT s.wide AND s.stage = {last_stage} AND n % 10 = 3
                 THEN replace({agency}, '_ag', '_exec') END,
            CASE WHEN n <= :closed OR s.stage < {last_stage} THEN 'completed' ELSE 'open' END,
            CASE WHEN n <= :closed OR s.stage < {last_stage}
                 THEN CASE WHEN s.wide THEN {region} || '_curator' ELSE replace({agency}, '_ag', '_exec') END END,
            CASE WHEN n <= :closed OR s.stage < {last_stage}
                 THEN :t0 + n * :step + (s.stage + 1) * interval '1 hour' END
        FROM generate_series(1, :total) AS n
        JOIN (VALUES {stage_rows}) AS s(stage, element_id, name, role, form_ref, wide) ON s.stage <= {last_stage}""")
    statements.append(f"""
        INSERT INTO violation (instance_id, message_id, region, clause, deadline, element_id, timer_id,
            organisation_key, due_at, recorded_at)
        SELECT n, n, {region}, '6', 'routing', 'record_routing_violation', 'routing_deadline', NULL,
            :t0 + n * :step + interval '30 minutes', :t0 + n * :step + interval '30 minutes'
        FROM generate_series(1, :total) AS n WHERE n % 7 = 0""")
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)
    reset_sequences(database, ("message", "instance", "violation"))
    settle(database)
