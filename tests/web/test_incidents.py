"""/incidents: cases the timer worker could not advance, for the region's supervisor and the
administrator, with a Retry (POST, CSRF) that puts the case back to running (issue 11, finding 3)."""
from __future__ import annotations

import sqlite3
import time
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from engine import clock
from engine.models import AuditEvent, Instance
from engine.runtime import cases as runtime
from engine.runtime.timers import fire_due_timers
from tests.factories import official, organisation
from tests.web.conftest import PASSWORD, csrf_token


def _make_incident(app, virtual_clock) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A Smolensk supervisor and an admin; two Orenburg cases, one whose state cannot be loaded;
    a week later the worker's pass fires the good one and makes the other an incident.
    Returns the broken case's (instance id, message id)."""
    database = app.extensions["otklik_db"]
    with database.session() as session:
        smolensk = organisation(session, "smo_ministry", "curator", "smolensk")
        for login, role in (("smo_supervisor", "supervisor"), ("root", "admin")):
            official(session, login, smolensk, role).password_hash = generate_password_hash(
                PASSWORD, method="pbkdf2:sha256:1000")
        started = []
        for text in ("Яма на дороге", "Не горят фонари"):
            now = clock.now() - timedelta(minutes=1)
            started.append(runtime.start_procedure(session, runtime.MessageInput(
                region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
                text=text, posted_at=now, detected_at=now), "curator"))
        session.flush()
        broken = started[1]
        session.execute(update(Instance).where(Instance.id == broken.id).values(state="{not json"))
        ids = broken.id, broken.message_id
    virtual_clock.advance(days=7)  # past every routing deadline
    assert fire_due_timers(database) == 1
    return ids


def test_the_supervisor_and_the_admin_see_the_incident_and_retry_it(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    instance_id, message_id = _make_incident(app, virtual_clock)
    supervisor = client_for("supervisor")
    page = supervisor.get("/incidents")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'href="/messages/{message_id}"' in text and "Оренбургская область" in text and "JSONDecodeError" in text
    # Everyone who opens the case's card is told its deadlines are not being checked.
    assert "сроки этого дела не проверяются" in client_for("curator").get(f"/messages/{message_id}").get_data(as_text=True)
    assert 'href="/incidents"' in text  # the nav link
    assert f'href="/messages/{message_id}"' in client_for("root").get("/incidents").get_data(as_text=True)

    # A POST without the form's token is refused; with it the case goes back to running.
    assert supervisor.post(f"/incidents/{instance_id}/retry").status_code == 400
    response = supervisor.post(f"/incidents/{instance_id}/retry", data={"csrf_token": csrf_token(supervisor, "/incidents")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/incidents")
    assert f"Дело № {message_id} возвращено в работу" in supervisor.get("/incidents").get_data(as_text=True)
    database = app.extensions["otklik_db"]
    with database.session() as session:
        assert session.get(Instance, instance_id).status == "running"
        assert session.scalars(select(AuditEvent.actor).where(AuditEvent.kind == "retried")).all() == ["supervisor"]
    # The case's history says what happened, in words.
    history = supervisor.get(f"/messages/{message_id}").get_data(as_text=True)
    assert "Сбой обработки сроков" in history and "Дело возвращено в работу" in history
    assert "сроки этого дела не проверяются" not in history
    assert supervisor.get(f"/messages/{message_id}/diagram").status_code == 200
    # Retried again (a second tab): it is no longer an incident; nothing changes.
    again = supervisor.post(f"/incidents/{instance_id}/retry", data={"csrf_token": csrf_token(supervisor, "/incidents")},
                            follow_redirects=True)
    assert "уже не в списке сбоев" in again.get_data(as_text=True)
    # The worker's next pass tries it once more: still broken, an incident again.
    fire_due_timers(database)
    assert f'href="/messages/{message_id}"' in client_for("root").get("/incidents").get_data(as_text=True)


def test_other_regions_and_other_roles_do_not_see_or_retry_it(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    instance_id, message_id = _make_incident(app, virtual_clock)
    other = client_for("smo_supervisor")
    text = other.get("/incidents").get_data(as_text=True)
    assert f'href="/messages/{message_id}"' not in text and "Сбоев нет" in text
    assert other.post(f"/incidents/{instance_id}/retry", data={"csrf_token": csrf_token(other, "/incidents")}).status_code == 404
    for login in ("exec_orb_health", "curator"):
        client = client_for(login)
        assert client.get("/incidents").status_code == 403
        assert 'href="/incidents"' not in client.get("/inbox").get_data(as_text=True)
        assert client.post(f"/incidents/{instance_id}/retry",
                           data={"csrf_token": csrf_token(client, "/inbox")}).status_code == 403
    with app.extensions["otklik_db"].session() as session:
        assert session.get(Instance, instance_id).status == "failed"


def test_the_page_answers_while_a_writer_holds_the_database(app, client_for, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    _, message_id = _make_incident(app, virtual_clock)
    supervisor = client_for("supervisor")
    holder = sqlite3.connect(app.extensions["otklik_db"].engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a long registration; a writer would wait up to 30 s
    try:
        started = time.monotonic()
        page = supervisor.get("/incidents")
        assert time.monotonic() - started < 5
    finally:
        holder.close()
    assert page.status_code == 200 and f'href="/messages/{message_id}"' in page.get_data(as_text=True)
