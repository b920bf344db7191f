"""A deployment problem reads in Russian by default and in English on request (issue 12, errors
with codes): in the console (``otklik deploy`` follows OTKLIK_LANG, then LANG) and in the browser
(the request's locale: tests/web/test_deploy_page_language.py). The problems here are the deployer's own and the hardened XML parser's,
so the test does not depend on how far other areas are converted."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine import texts
from engine.bpmn.xmlsafe import UnsafeXml, parse
from engine.deployment import browser
from engine.deployment.deployer import Source, plan
from engine.errors import DeploymentError, Problem

ROOT = Path(__file__).resolve().parents[2]
OTKLIK = Path(sys.executable).parent / "otklik"

TXT_RU = "notes.txt: развернуть можно только файлы .bpmn и .form"
TXT_EN = "notes.txt: only .bpmn and .form files can be deployed"
NO_BPMN_RU = "(arguments): не передан ни один файл .bpmn"
NO_BPMN_EN = "(arguments): no .bpmn file given"
DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d/>'


def _deploy_dry_run(tmp_path: Path, **language: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("OTKLIK_LANG", "LANG", "LC_ALL", "LANGUAGE")}
    env.update(language)
    return subprocess.run([str(OTKLIK), "deploy", "--dry-run", str(tmp_path / "notes.txt")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_cli_prints_a_problem_in_russian_by_default(tmp_path: Path) -> None:
    result = _deploy_dry_run(tmp_path, LANG="C.UTF-8")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.replace(str(tmp_path) + "/", "").splitlines()
    assert lines == [TXT_RU, NO_BPMN_RU, "Проблем: 2; ничего не развёрнуто."]


def test_the_cli_prints_a_problem_in_english_with_otklik_lang_en(tmp_path: Path) -> None:
    result = _deploy_dry_run(tmp_path, LANG="C.UTF-8", OTKLIK_LANG="en")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.replace(str(tmp_path) + "/", "").splitlines()
    assert lines == [TXT_EN, NO_BPMN_EN, "2 problem(s); nothing was deployed."]


def test_a_problem_is_rendered_when_shown_not_when_raised() -> None:
    with texts.language("en"), pytest.raises(DeploymentError) as error:
        plan([Source("notes.txt", b"hello")])
    with texts.language("ru"):
        assert str(error.value) == f"{TXT_RU}\n{NO_BPMN_RU}"
    assert [p.message for p in error.value.problems] == [texts.t("deployment.wrong_file_type"),
                                                         texts.t("deployment.no_diagram")]


@pytest.mark.parametrize(("data", "limit", "russian", "english"), [
    (DOCTYPE, 1024, "объявления DOCTYPE и ENTITY запрещены; удалите их (в BPMN они не нужны)",
     "DOCTYPE and ENTITY declarations are not allowed; remove them (BPMN needs none)"),
    (b"<d>" * 3, 5, "размер файла 9 байт; допускается не больше 5 байт", "file is 9 bytes; the limit is 5 bytes"),
], ids=["doctype", "oversize"])
def test_unsafe_xml_carries_a_text(data: bytes, limit: int, russian: str, english: str) -> None:
    with pytest.raises(UnsafeXml) as error:
        parse(data, limit)
    assert error.value.text.render("ru") == russian and error.value.text.render("en") == english
    with texts.language("ru"):
        assert str(error.value) == russian


def test_a_malformed_document_keeps_the_parser_s_detail_in_both_languages() -> None:
    with pytest.raises(UnsafeXml) as error:
        parse(b"<d>")
    ru, en = error.value.text.render("ru"), error.value.text.render("en")
    assert ru.startswith("XML составлен с ошибками: ") and en.startswith("not well-formed XML: ")
    assert ru.split(": ", 1)[1] == en.split(": ", 1)[1]  # lxml's own words, the same in both


def test_the_upload_limits_and_refusals_in_both_languages() -> None:
    with pytest.raises(DeploymentError) as error:
        browser.check_count(browser.MAX_FILES + 1)
    problem: Problem = error.value.problems[0]
    assert texts.render(problem.message, "ru") == "передано файлов: 21; за один раз можно развернуть не больше 20"
    assert texts.render(problem.message, "en") == "21 files given; deploy at most 20 at once"
    refusal = texts.t("deployment.region_not_yours", file="a.bpmn", region="kaluga", process="kaluga")
    assert refusal.render("ru") == "a.bpmn: регион «kaluga» процедуры «kaluga» не входит в те, где вы аналитик"
    assert refusal.render("en") == "a.bpmn: region 'kaluga' of procedure 'kaluga' is not one where you are an analyst"
