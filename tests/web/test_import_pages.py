"""Bulk import's pages (web/imports.py) through Flask's test client: the curator uploads, the job is
queued and the request returns at once; the worker takes it in; the page, its JSON status and the
error report show it; others of the territory cannot; refusals are in words, with 4xx."""
from __future__ import annotations

import io

from sqlalchemy import select

from engine.models import User
from engine.runtime import import_jobs
from tests.imports.files import csv_bytes, row, xlsx_bytes
from tests.web.conftest import csrf_token


def post_file(client, content: bytes, name: str = "export.xlsx", region: str = "orenburg"):  # type: ignore[no-untyped-def]
    return client.post("/messages/import", data={"csrf_token": csrf_token(client, "/messages/import"), "region": region,
                                                "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_upload_queues_a_job_the_worker_takes_in(app, client_for) -> None:  # type: ignore[no-untyped-def]
    curator = client_for("curator")
    page = curator.get("/messages/import").get_data(as_text=True)
    assert "дата публикации" in page and "posted_at" in page
    response = post_file(curator, xlsx_bytes([row(1), row(2, url="vk.com/x"), row(3)]))
    assert response.status_code == 303
    job_url = response.headers["Location"]
    status = curator.get(job_url + "/status").get_json()
    assert (status["status"], status["done"], status["finished"]) == ("queued", 0, False)
    queued = curator.get(job_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in queued and "<progress" in queued
    import_jobs.run_imports(app.extensions["otklik_db"])
    status = curator.get(job_url + "/status").get_json()
    assert (status["status"], status["taken"], status["failed"], status["percent"]) == ("done", 2, 1, 100)
    done = curator.get(job_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in done and "Ссылка" in done and "это не адрес страницы" in done
    with app.extensions["otklik_db"].session() as session:
        session.scalars(select(User).where(User.login == "curator")).one().full_name = "Анна Сергеевна Куратор"
    named = curator.get(job_url).get_data(as_text=True)
    assert "загрузил Анна Сергеевна Куратор" in named and "загрузил curator" not in named  # a name, never a login
    report = curator.get(job_url + "/errors.csv")
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert report.get_data().decode("utf-8-sig").splitlines()[1].startswith("3;Ссылка;vk.com/x;это не адрес страницы;")
    assert f'href="{job_url}"' in curator.get("/messages/import").get_data(as_text=True)


def test_english_pages(app, client_for) -> None:  # type: ignore[no-untyped-def]
    curator = client_for("curator")
    curator.post("/locale/en", data={"csrf_token": csrf_token(curator, "/messages/import"), "next": "/messages/import"})
    job_url = post_file(curator, csv_bytes([row(1, posted_at="tomorrow")]), "export.csv").headers["Location"]
    import_jobs.run_imports(app.extensions["otklik_db"])
    page = curator.get(job_url).get_data(as_text=True)
    assert "the date cannot be read" in page and "write it as 2026-12-07 10:30" in page
    assert curator.get(job_url + "/status").get_json()["status_text"] == "finished"


def test_others_may_neither_upload_nor_see_a_job(app, client_for) -> None:  # type: ignore[no-untyped-def]
    job_url = post_file(client_for("curator"), csv_bytes([row(1)]), "export.csv").headers["Location"]
    executor = client_for("exec_orb_roads")
    assert executor.get("/messages/import").status_code == 403
    assert executor.get(job_url).status_code == 403
    assert executor.get(job_url + "/status").status_code == 403
    assert executor.get(job_url + "/errors.csv").status_code == 403
    assert client_for("curator").get("/messages/import/999").status_code == 404
    assert client_for("curator").get("/messages/import/999/status").status_code == 404


def test_refusals_are_in_words(app, client_for) -> None:  # type: ignore[no-untyped-def]
    curator = client_for("curator")
    response = post_file(curator, b"%PDF", "scan.pdf")
    assert response.status_code == 422 and "Загрузите файл CSV или XLSX." in response.get_data(as_text=True)
    response = post_file(curator, csv_bytes([row(1)]), "export.csv", region="smolensk")
    assert response.status_code == 403 and "Выберите территорию" in response.get_data(as_text=True)
    response = curator.post("/messages/import", data={"csrf_token": csrf_token(curator, "/messages/import")})
    assert response.status_code == 422 and "Выберите файл." in response.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_without_a_job(app, client_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from engine.runtime import import_file

    monkeypatch.setattr(import_file, "MAX_FILE_BYTES", 100)
    curator = client_for("curator")
    response = post_file(curator, csv_bytes([row(n) for n in range(5)]), "export.csv")
    assert response.status_code == 422 and "разделите выгрузку на части" in response.get_data(as_text=True)
    assert "Загрузок пока не было." in curator.get("/messages/import").get_data(as_text=True)
