"""Issue 11, findings 5 and 13 where analysts meet them: /deploy/check and ``otklik deploy --dry-run``.

On 411bcc5 a form with a 4,000-digit validate.min made /deploy/check answer 500 and the CLI print a
traceback; a form whose default fails ``(a+)+$`` held the request (and the GIL) for 14 s at 28 characters.
"""
from __future__ import annotations

import html
import io
import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.security import generate_password_hash

from engine.cli.main import main
from engine.models import Organisation
from tests.factories import ROOT, official
from tests.web.conftest import PASSWORD, csrf_token

ORENBURG = (ROOT / "bpmn" / "orenburg.bpmn").read_bytes()


def form_file(component: dict) -> bytes:  # type: ignore[type-arg]
    return json.dumps({"id": "hostile_form", "type": "default", "components": [component]}).encode()


HUGE_MIN = form_file({"type": "number", "id": "F_hours", "key": "answer_hours", "validate": {"min": 10**4000}})
BACKTRACKING = form_file({"type": "textfield", "id": "F_code", "key": "code", "defaultValue": "a" * 28 + "!",
                          "validate": {"pattern": "(a+)+$"}})
LOOKAHEAD = form_file({"type": "textfield", "id": "F_code", "key": "code", "validate": {"pattern": "(?=[0-9]{6}$).*"}})


@pytest.fixture
def analyst(app, client_for):  # type: ignore[no-untyped-def]  # noqa: F811 - the imported fixtures
    with app.extensions["otklik_db"].session() as session:
        ministry = session.query(Organisation).filter_by(key="orb_minpolicy").one()
        official(session, "analyst", ministry, "analyst").password_hash = \
            generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    return client_for("analyst")


def check(client, form: bytes) -> tuple[int, list[str], float]:  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, "/deploy"),
            "files": [(io.BytesIO(ORENBURG), "orenburg.bpmn"), (io.BytesIO(form), "hostile.form")]}
    started = time.perf_counter()
    response = client.post("/deploy/check", data=data, content_type="multipart/form-data")
    seconds = time.perf_counter() - started
    page = response.get_data(as_text=True)
    block = re.search(r'<pre id="problem-lines">(.*?)</pre>', page, re.S)
    return response.status_code, [html.unescape(line) for line in (block.group(1) if block else "").splitlines() if line], seconds


@pytest.mark.parametrize("form, fragment", [
    (HUGE_MIN, "hostile.form: validate.min '1000000000"),
    # The page is in its locale, Russian by default (issue 12): the form's problems too.
    (BACKTRACKING, "hostile.form: defaultValue 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa!' недопустимо: "
                   "Значение не соответствует требуемому формату"),
    (LOOKAHEAD, "hostile.form: шаблон validate.pattern '(?=[0-9]{6}$).*' использует опережающую проверку (lookahead), "
                "она не поддерживается (компонент 'F_code')"),
], ids=["huge-min", "backtracking-pattern", "lookahead"])
def test_deploy_check_lists_the_form_problem(analyst, form: bytes, fragment: str) -> None:  # type: ignore[no-untyped-def]
    status, lines, seconds = check(analyst, form)
    assert status == 422 and seconds < 5  # 14 s on 411bcc5 for the backtracking pattern alone
    assert [line for line in lines if line.startswith("hostile.form")] == [next(line for line in lines if fragment in line)]


@pytest.mark.parametrize("form", [HUGE_MIN, BACKTRACKING, LOOKAHEAD], ids=["huge-min", "backtracking-pattern", "lookahead"])
def test_cli_dry_run_prints_one_line_not_a_traceback(tmp_path: Path, form: bytes) -> None:
    path = tmp_path / "hostile.form"
    path.write_bytes(form)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["deploy", "--dry-run", str(ROOT / "bpmn" / "orenburg.bpmn"), str(path)])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert len(lines) == 1 and "(component 'F_" in lines[0]


@pytest.mark.parametrize(("environ", "expected"), [
    ({"OTKLIK_LANG": "", "LANG": ""}, "использует опережающую проверку (lookahead), она не поддерживается (компонент 'F_code')"),
    ({"OTKLIK_LANG": "en"}, "uses a lookahead, which is not supported (component 'F_code')"),
    ({"OTKLIK_LANG": "", "LANG": "en_US.UTF-8"}, "uses a lookahead, which is not supported (component 'F_code')"),
], ids=["russian-by-default", "english-on-request", "english-from-lang"])
def test_cli_prints_the_form_problem_in_the_console_language(tmp_path: Path, environ: dict[str, str], expected: str) -> None:
    path = tmp_path / "hostile.form"
    path.write_bytes(LOOKAHEAD)
    result = CliRunner(env=environ).invoke(main, ["deploy", "--dry-run", str(ROOT / "bpmn" / "orenburg.bpmn"), str(path)])
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert len(lines) == 1 and expected in lines[0], result.output
