"""Refusals people read on the admin pages, the 409/404 pages and in the console (directory,
runtime) are texts by code: Russian by default, English on request, rendered when shown."""
from __future__ import annotations

import pytest

from engine import texts
from engine.directory import officials as directory
from engine.errors import Conflict
from engine.texts import t


@pytest.fixture
def russian():  # type: ignore[no-untyped-def]
    # The suite pins English (tests/conftest.py); a reader with no preference gets Russian.
    with texts.language("ru"):
        yield


def test_password_rule_in_russian_by_default_and_english_on_request(russian) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as refused:
        directory.check_password("short")
    assert str(refused.value) == "пароль должен быть не короче 10 символов"
    with texts.language("en"):
        assert str(refused.value) == "the password must be at least 10 characters long"


def test_nested_text_follows_the_reader(russian) -> None:  # type: ignore[no-untyped-def]
    error = ValueError(t("directory.key_invalid", what=t("directory.what_login"), key="Bad Login"))
    assert str(error).startswith("логин 'Bad Login': используйте от 2 до 64")
    with texts.language("en"):
        assert str(error) == ("login 'Bad Login': use 2–64 latin lower-case letters, digits and _, "
                              "starting with a letter")


def test_own_role_and_account_refusals_are_conflicts_in_both_languages(russian) -> None:  # type: ignore[no-untyped-def]
    for error, ru, en in (
        (directory.OwnAdminRole(t("directory.own_admin_role")),
         "администратор не может снять с себя роль администратора",
         "an administrator cannot revoke their own administrator role"),
        (directory.OwnAccount(t("directory.own_account")),
         "сотрудник не может отключить собственную учётную запись",
         "an official cannot deactivate their own account"),
    ):
        assert isinstance(error, Conflict)
        assert str(error) == ru and f"{error}" == ru
        with texts.language("en"):
            assert str(error) == en


def test_task_refusals_in_russian_by_default_and_english_on_request(russian) -> None:  # type: ignore[no-untyped-def]
    from engine.models import Task
    from engine.runtime.claims import ClaimedByOther, already_done

    task = Task(id="t1", name="Принять сообщение", status="completed", completed_by="ivanova")
    done = already_done(task)
    assert isinstance(done, Conflict)
    assert str(done) == "задача «Принять сообщение» уже выполнена (сотрудник ivanova)"
    with texts.language("en"):
        assert str(done) == "task 'Принять сообщение' is already completed by ivanova"

    claimed = ClaimedByOther(task, None)
    assert claimed.claimed_by == "someone else"  # the login the web page looks up, as before
    assert str(claimed).startswith("задачу «Принять сообщение» взял в работу другой сотрудник:")
    with texts.language("en"):
        assert str(claimed) == ("task 'Принять сообщение' is claimed by someone else; only they can complete it, "
                                "or a curator can unclaim it")


def test_a_missing_procedure_in_the_console_language(russian) -> None:  # type: ignore[no-untyped-def]
    error = ValueError(t("runtime.no_procedure", region="orenburg", process="orenburg"))
    assert str(error) == "для региона 'orenburg' не развёрнута процедура 'orenburg'; выполните otklik deploy"
    assert texts.render(t("runtime.no_procedure", region="orenburg", process="orenburg"), "en") == (
        "no procedure is deployed for region 'orenburg' under 'orenburg'; run otklik deploy")


def test_attachment_refusals_were_russian_only_and_now_have_english(russian) -> None:  # type: ignore[no-untyped-def]
    from engine.runtime.attachments import check_upload

    with pytest.raises(ValueError) as refused:
        check_upload(b"MZ" + b"\x00" * 40, "virus.exe", "image/png", 10_000)
    assert str(refused.value).startswith("Файл «virus.exe» не является фото или видео")
    with pytest.raises(ValueError) as too_large:
        check_upload(b"\x89PNG" + b"\x00" * 3 * 1024 * 1024, "big.png", "image/png", 2 * 1024 * 1024)
    assert str(too_large.value) == "Файл «big.png» больше 2 МБ: уменьшите его или разделите."
    with texts.language("en"):
        assert str(refused.value).startswith("File 'virus.exe' is not a photo or video")
        assert str(too_large.value) == "File 'big.png' is larger than 2 MB: make it smaller or split it."
