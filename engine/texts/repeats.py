"""Repeat detection (Orenburg п. 15, Kalmanka п. 9; issue 17): the procedure's rule ``repeat.*``
(engine/runtime/repeat_rule.py), the curator's confirmation and its refusals
(engine/runtime/repeats.py), the reasons a suggestion is shown and the history's words
(engine/views/repeats.py, engine/views/timeline.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "repeat.not_whole": "свойство процесса «{name}»: «{value}» — не целое число; допустимо от {least} до {greatest}",
    "repeat.out_of_bounds": "свойство процесса «{name}»: {value} вне допустимого: от {least} до {greatest}",
    "repeat.clause_long": "свойство процесса «repeat.clause»: пункт акта длиннее {chars} символов",
    "repeat.clause_without_window": ("свойство процесса «repeat.clause» без «repeat.window_days»: объявите окно поиска "
                                     "повторов в днях (например, 90) или удалите пункт"),
    "repeat.not_curator": "отмечать повторы может только куратор территории сообщения",
    "repeat.not_handled": ("процедура этой территории не объявляет поиск повторов (свойство процесса "
                           "«repeat.window_days»): повторное сообщение отмечается при маршрутизации"),
    "repeat.case_closed": "дело по сообщению № {id} завершено: отметить повтор уже нельзя",
    "repeat.answer_published": "ответ на сообщение № {id} уже размещён: отметить повтор уже нельзя",
    "repeat.earlier_unknown": "сообщения с таким номером нет",
    "repeat.earlier_other_region": "это сообщение другой территории",
    "repeat.earlier_not_before": "повторять можно только более раннее сообщение",
    "repeat.earlier_missing": "укажите номер ранее рассмотренного сообщения",
    "repeat.reason.author": "тот же автор в той же сети",
    "repeat.reason.text": "похожий текст ({score}%)",
    "repeat.reason.location": "та же локация",
    "repeat.describe": ("повторные сообщения: куратору предлагаются сообщения территории за {days} дн. того же "
                        "автора или на тот же вопрос, с их ответами"),
    "repeat.describe_clause": ("повторные сообщения (п. {clause}): куратору предлагаются сообщения территории за {days} "
                               "дн. того же автора или на тот же вопрос, с их ответами"),
    "repeat.timeline.confirmed": "повтор сообщения № {id}",
    "repeat.timeline.dismissed": "не повтор сообщения № {id}",
}

EN: dict[str, str] = {
    "repeat.not_whole": "process property '{name}': '{value}' is not a whole number; allowed from {least} to {greatest}",
    "repeat.out_of_bounds": "process property '{name}': {value} is out of bounds: from {least} to {greatest}",
    "repeat.clause_long": "process property 'repeat.clause': the clause is longer than {chars} characters",
    "repeat.clause_without_window": ("process property 'repeat.clause' without 'repeat.window_days': declare the "
                                     "window for repeats in days (e.g. 90) or remove the clause"),
    "repeat.not_curator": "only a curator of the message's territory may mark repeats",
    "repeat.not_handled": ("this territory's procedure declares no repeat detection (process property "
                           "'repeat.window_days'): a repeat message is marked while routing"),
    "repeat.case_closed": "the case of message No. {id} has ended: a repeat can no longer be marked",
    "repeat.answer_published": "the answer to message No. {id} is published: a repeat can no longer be marked",
    "repeat.earlier_unknown": "there is no message with this number",
    "repeat.earlier_other_region": "this message belongs to another territory",
    "repeat.earlier_not_before": "only an earlier message can be repeated",
    "repeat.earlier_missing": "give the number of the message handled earlier",
    "repeat.reason.author": "the same author on the same network",
    "repeat.reason.text": "similar text ({score}%)",
    "repeat.reason.location": "the same location",
    "repeat.describe": ("repeat messages: the curator is shown the territory's messages of the last {days} days by "
                        "the same author or on the same issue, with their answers"),
    "repeat.describe_clause": ("repeat messages (cl. {clause}): the curator is shown the territory's messages of the "
                               "last {days} days by the same author or on the same issue, with their answers"),
    "repeat.timeline.confirmed": "repeat of message No. {id}",
    "repeat.timeline.dismissed": "not a repeat of message No. {id}",
}
