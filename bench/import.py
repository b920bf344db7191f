"""Bulk import throughput (issue 17 §2, «a day of the largest region (~4,000 messages) imported in
under a minute»): a 4,000-row XLSX built in memory, uploaded by the Orenburg curator through the
web app (Flask's test client: the upload form, as a browser posts it), taken in by the worker's
import job until done; beside it ``start_procedure`` called in process in the same run (the
engine's own cost per message: the ratio says what reading the file, the checks, the idempotency
look-up and the per-row bookkeeping add).

Figures only, no timing asserts; the process's CPU time per row is printed too (on a shared,
loaded machine the wall-clock rate says more about the neighbours). SQLite in a temporary directory by default; PostgreSQL with
OTKLIK_BENCH_DATABASE_URL (the database is emptied first):

    .venv/bin/python bench/import.py [--rows 4000] [--chunk 50] [--engine-messages 300]
    OTKLIK_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench .venv/bin/python bench/import.py
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from sqlalchemy import text  # noqa: E402

from engine.db.database import Database  # noqa: E402
from engine.runtime import cases as runtime  # noqa: E402
from engine.runtime import import_jobs  # noqa: E402
from tests.factories import seed_orenburg_app  # noqa: E402

PASSWORD = "bench-parol"


def workbook(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Соцсеть", "Ссылка", "Автор", "Текст", "Дата публикации", "Дата обнаружения", "source", "source_id"])
    posted = datetime.now(UTC) - timedelta(hours=2)
    for n in range(rows):
        sheet.append(["ВКонтакте", f"https://vk.com/wall-1_{n}", f"Автор {n % 300}",
                      f"Сообщение {n}: яма на дороге у дома {n % 97}", posted.isoformat(),
                      (posted + timedelta(minutes=20)).isoformat(), "bench", f"post-{n}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def in_process(database: Database, count: int) -> float:
    posted = datetime.now(UTC) - timedelta(hours=1)
    started = time.perf_counter()
    for n in range(count):
        with database.session() as session:
            runtime.start_procedure(session, runtime.MessageInput(
                "orenburg", "vk", f"https://vk.com/wall-2_{n}", "Автор", f"Сообщение {n}", posted,
                posted + timedelta(minutes=20)), "curator")
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--chunk", type=int, default=import_jobs.CHUNK)
    parser.add_argument("--engine-messages", type=int, default=300)
    args = parser.parse_args()

    from web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("OTKLIK_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/import.sqlite"
        if url.startswith("postgresql"):
            emptied = Database(url)
            with emptied.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            emptied.engine.dispose()
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "UPLOAD_DIR": f"{tmp}/uploads",
                          "LOGIN_RATE_LIMIT": "100000 per minute", "WTF_CSRF_ENABLED": False})
        database = app.extensions["otklik_db"]
        seed_orenburg_app(database, PASSWORD)
        content = workbook(args.rows)
        client = app.test_client()
        assert client.post("/login", data={"login": "curator", "password": PASSWORD}).status_code == 302
        started = time.perf_counter()
        response = client.post("/messages/import", data={"region": "orenburg",
                                                         "file": (io.BytesIO(content), "day.xlsx")},
                               content_type="multipart/form-data")
        upload_s = time.perf_counter() - started
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        status_url = response.headers["Location"] + "/status"
        started, cpu = time.perf_counter(), time.process_time()
        passes = 0
        while True:
            passes += 1
            import_jobs.run_imports(database, chunk=args.chunk)
            status = client.get(status_url).get_json()
            if status["finished"]:
                break
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert (status["status"], status["taken"], status["failed"]) == ("done", args.rows, 0), status
        cpu = time.process_time()
        engine = in_process(database, args.engine_messages)
        engine_cpu = (time.process_time() - cpu) / args.engine_messages
        database.engine.dispose()
    rate = args.rows / import_s
    print(json.dumps({"backend": url.split(":")[0], "rows": args.rows, "file_bytes": len(content), "chunk": args.chunk,
                      "upload_request_s": round(upload_s, 3), "import_s": round(import_s, 1),
                      "worker_passes": passes, "rows_per_s": round(rate, 1),
                      # CPU time of this process: what the rows cost when the machine is not shared
                      "cpu_ms_per_row": round(1000 * import_cpu / args.rows, 1),
                      "start_procedure_cpu_ms": round(1000 * engine_cpu, 1),
                      "start_procedure_per_s": round(engine, 1), "import_to_in_process": round(rate / engine, 2),
                      "under_a_minute": import_s < 60}))


if __name__ == "__main__":
    main()
