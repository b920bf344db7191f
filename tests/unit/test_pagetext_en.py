"""tests/pagetext_en.py: what is left of an English page once its data is taken out — a data string
only as a whole (never inside a longer word), a text with an IANA zone also around it, a parameter's
choice words as the comparison shows them."""
from __future__ import annotations

from tests.pagetext_en import _choice_words, cyrillic_left, data_pattern


def test_data_is_taken_out_whole_and_what_is_left_is_reported() -> None:
    data = data_pattern(["Оренбургская область", "да", "Срок по календарю (Asia/Yekaterinburg). Далее"])
    page = "Region: Оренбургская область\nданные\nyes: да\nСрок по календарю (Orenburg Oblast time, UTC+5). Далее"
    assert cyrillic_left(page, data) == ["данные"]  # "да" is data, "данные" is not
    assert cyrillic_left("Срок ответа: 9 h", data) == ["Срок ответа: 9 h"]
    assert cyrillic_left("Оренбургская область · карточка", data) == ["▪ · карточка"]


def test_a_multi_line_text_is_data_line_by_line() -> None:
    data = data_pattern(["Во дворе\nне вывозят мусор."])
    assert cyrillic_left("Во дворе\nне вывозят мусор.\nText", data) == []


def test_choice_words_of_a_parameters_help() -> None:
    words = set(_choice_words("official — уполномоченное лицо (как в районе); executor — исполнитель"))
    assert words == {"уполномоченное лицо (как в районе)", "уполномоченное лицо", "исполнитель"}
