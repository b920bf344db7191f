"""tests.pagetext finds what a person must never read, and lets ordinary words through."""
from __future__ import annotations

import pytest

from tests.pagetext import assert_no_internal_names, internal_names, visible_text


@pytest.mark.parametrize("text", [
    "Зарегистрировал curator",
    "Исполнитель: exec_housing",
    "Организация orb_health",
    "срок 2026-12-04T11:30:00+05:00",
    "в 2026-12-04 11:30",
    "время Asia/Yekaterinburg",
    "Europe/Moscow",
])
def test_internal_names_are_found(text: str) -> None:
    with pytest.raises(AssertionError, match="internal names"):
        assert_no_internal_names(text)


@pytest.mark.parametrize("text", [
    "Зарегистрировал Куратор Анна Сергеевна",
    "Curator: Anna",
    "exec_health2 kal_adminx",  # not whole words
    "срок 04.12.2026 11:30 (Оренбургская область, UTC+5)",
    "дата 2026-12-04",
])
def test_ordinary_words_pass(text: str) -> None:
    assert_no_internal_names(text)


def test_allow_and_the_longest_key_is_reported() -> None:
    assert internal_names("Логин: admin", allow=["admin"]) == []
    assert internal_names("kal_exec_roads")[0].startswith("'kal_exec_roads'")


def test_visible_text_skips_markup_and_scripts() -> None:
    html = '<p title="curator">Анна</p><script>var x = "exec_health";</script><b>Сергеевна</b>'
    assert visible_text(html) == "Анна Сергеевна"
    assert visible_text("<li><strong>Выполнен шаг</strong>: «Принять»</li><li>да</li>") == "Выполнен шаг: «Принять» да"
    assert_no_internal_names(visible_text(html))
