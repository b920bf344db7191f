"""Texts of the diagram contract's deployment checks (engine.deployment.contract), by code.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "contract.missing": "процесс не объявляет «{name}» ({meaning}): добавьте процессу (пустое место холста или пул → "
                        "Extension properties) свойство {name}",
    "contract.part_missing": "в схеме есть многоэкземплярная задача, но процесс не объявляет «answer.part» "
                             "(переменная, в которую участник пишет свою часть общего ответа): добавьте процессу свойство answer.part",
    "contract.unknown": "свойство процесса «{name}» неизвестно; свойства answer.*: {known}",
    "contract.not_variable": "свойство процесса «{name}»: «{value}» — не имя переменной (латинские буквы, цифры, _)",
    "contract.unset": "свойство процесса «{name}» называет переменную «{value}», которую не задаёт ни одно поле форм этой "
                      "схемы, ни выходной параметр, ни свойство var.*; поля форм: {fields}",
    "contract.published_problem": "свойство процесса «answer.published» (когда ответ считается размещённым): {problem}",
    "contract.published_unset": "свойство процесса «answer.published» читает «{value}», которую не задаёт ни одно поле "
                                "форм этой схемы, ни выходной параметр, ни свойство var.*",
    "contract.outcome_unknown": "свойство outcome: значение «{value}» неизвестно; допустимо: {known}",
    "contract.networks_empty": ("свойство процесса «networks» (источники, которые перечисляет акт) пусто: перечислите "
                                "через пробел ключи сетей из акта или удалите свойство (тогда принимаются все сети); "
                                "ключи: {known}"),
    "contract.networks_unknown": ("свойство процесса «networks»: сеть «{value}» неизвестна; укажите через пробел ключи "
                                  "сетей, которые перечисляет акт, из: {known}"),
    "contract.deadline_missing": "задача record_violation без свойства deadline: укажите, какой срок нарушен, одно из: {known}",
    "contract.deadline_unknown": "свойство deadline: значение «{value}» неизвестно; укажите одно из: {known}",
    "contract.basis_unknown": ("свойство basis: значение «{value}» неизвестно; укажите act (срок установлен "
                               "постановлением) или parameter (срок задаёт процедура, постановление его не "
                               "устанавливает); допустимо одно из: {known}"),
    "contract.recipient_empty": ("свойство recipient пустое: укажите, кому сообщить, через пробел — из: {known} "
                                 "(без свойства сообщается руководителю, supervisor)"),
    "contract.recipient_unknown": "свойство recipient: получатель «{value}» неизвестен; допустимы (через пробел): {known}",
    "contract.property_unknown": "свойство «{name}» Отклик не читает; свойства процесса: {process}, var.*, answer.*; "
                                 "свойства элементов: {elements}",
    "contract.property_misplaced": "свойство «{name}» читается только у: {places}",
    "contract.meaning.answer.text": "переменная с текстом ответа",
    "contract.meaning.answer.kind": "переменная с видом ответа",
    "contract.meaning.answer.url": "переменная со ссылкой на размещённый ответ",
    "contract.meaning.answer.published": "выражение, истинное, когда ответ размещён, например decision == 'publish'",
}

EN: dict[str, str] = {
    "contract.missing": "the process does not declare '{name}' ({meaning}): add the property {name} to the process "
                        "(empty canvas or the pool → Extension properties)",
    "contract.part_missing": "the diagram has a multi-instance task but the process does not declare 'answer.part' "
                             "(the variable a participant writes their part of a joint answer into): add the process property answer.part",
    "contract.unknown": "process property '{name}' is unknown; answer.* properties: {known}",
    "contract.not_variable": "process property '{name}': '{value}' is not a variable name (Latin letters, digits, _)",
    "contract.unset": "process property '{name}' names the variable '{value}', which no field of this diagram's forms, "
                      "no output parameter and no var.* property sets; form fields: {fields}",
    "contract.published_problem": "process property 'answer.published' (when the answer counts as published): {problem}",
    "contract.published_unset": "process property 'answer.published' reads '{value}', which no field of this diagram's "
                                "forms, no output parameter and no var.* property sets",
    "contract.outcome_unknown": "property 'outcome': unknown value '{value}'; allowed: {known}",
    "contract.networks_empty": ("process property 'networks' (the sources the act lists) is empty: list the act's "
                                "network keys separated by spaces, or remove the property (then every network is "
                                "accepted); keys: {known}"),
    "contract.networks_unknown": ("process property 'networks': unknown network '{value}'; list the networks the act "
                                  "names, separated by spaces, from: {known}"),
    "contract.deadline_missing": "a record_violation task without the property 'deadline': say which deadline is violated, one of: {known}",
    "contract.deadline_unknown": "property 'deadline': unknown value '{value}'; give one of: {known}",
    "contract.basis_unknown": ("property 'basis': unknown value '{value}'; give act (the act sets this deadline) "
                               "or parameter (the procedure sets it, the act does not); one of: {known}"),
    "contract.recipient_empty": ("property 'recipient' is empty: say whom to tell, space-separated, from: {known} "
                                 "(without the property the supervisor is told)"),
    "contract.recipient_unknown": "property 'recipient': unknown recipient '{value}'; allowed (space-separated): {known}",
    "contract.property_unknown": "property '{name}' is not one Otklik reads; process properties: {process}, var.*, "
                                 "answer.*; element properties: {elements}",
    "contract.property_misplaced": "property '{name}' is read only on: {places}",
    "contract.meaning.answer.text": "the variable holding the answer's text",
    "contract.meaning.answer.kind": "the variable holding the answer's kind",
    "contract.meaning.answer.url": "the variable holding the published answer's link",
    "contract.meaning.answer.published": "an expression true once the answer is published, e.g. decision == 'publish'",
}
