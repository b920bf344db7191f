"""The task REST for other front ends (issue 17, /engine-rest/task; engine/views/task_rest.py,
engine/views/task_rest_actions.py, web/engine_rest_tasks.py): refusals of a query or a body.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "task_rest.unknown_parameter": "параметр «{name}» не поддерживается; поддерживаются: {names} (docs/integration.md)",
    "task_rest.repeated_parameter": "параметр «{name}» задан больше одного раза",
    "task_rest.too_long": "параметр «{name}» длиннее {limit} символов",
    "task_rest.too_many_names": "в параметре «{name}» больше {limit} имён",
    "task_rest.variables_in_return": "withVariablesInReturn не поддерживается: выполнение отвечает 204 без тела; "
                                     "переменные дела читайте в form-variables следующей задачи",
    "task_rest.bad_integer": "параметр «{name}» — целое число от 0 до {limit}",
    "task_rest.bad_boolean": "параметр «{name}» — true или false",
    "task_rest.bad_date": "параметр «{name}»: дата в формате 2026-12-07T10:00:00.000+0300 (со смещением от UTC; "
                          "в адресе «+» пишется как %2B)",
    "task_rest.bad_sort_by": "sortBy — одно из: {names}",
    "task_rest.bad_sort_order": "sortOrder — asc или desc",
    "task_rest.sort_pair": "sortBy и sortOrder задаются вместе",
    "task_rest.bad_body": "тело запроса должно быть объектом JSON (Content-Type: application/json), например "
                          "{example}",
    "task_rest.too_many_variables": "переменных больше {limit}",
    "task_rest.other_user": "взять задачу можно только себе: userId должен быть «{login}» (или не указан)",
    "task_rest.refused": "Задача не выполнена: форма не принимает переменные. Исправьте ({count}):",
    "task_rest.unknown_variable": "в форме задачи нет такого поля; поля формы: {names}",
    "task_rest.readonly_variable": "поле только для чтения: его значение не передаётся",
    "task_rest.expected": "ожидается {expected}",
    "task_rest.expected.string": "строка (type String)",
    "task_rest.expected.number": "число (type Integer, Long или Double)",
    "task_rest.expected.boolean": "true или false (type Boolean)",
    "task_rest.expected.list": "список строк: массив или type Json со строкой JSON-массива, не больше {limit}",
    "task_rest.not_attached": "файла {id} нет среди файлов этого поля; новые файлы прикрепляются на странице "
                              "задачи, здесь можно оставить только уже прикреплённые",
    "task_rest.rate_limited": "слишком много запросов: не больше {limit}; повторите через {seconds} с",
}

EN: dict[str, str] = {
    "task_rest.unknown_parameter": "the parameter '{name}' is not supported; supported: {names} (docs/integration.md)",
    "task_rest.repeated_parameter": "the parameter '{name}' is given more than once",
    "task_rest.too_long": "the parameter '{name}' is longer than {limit} characters",
    "task_rest.too_many_names": "the parameter '{name}' holds more than {limit} names",
    "task_rest.variables_in_return": "withVariablesInReturn is not supported: completion answers 204 without a body; "
                                     "read the case's variables from the next task's form-variables",
    "task_rest.bad_integer": "the parameter '{name}' is a whole number from 0 to {limit}",
    "task_rest.bad_boolean": "the parameter '{name}' is true or false",
    "task_rest.bad_date": "the parameter '{name}': a date like 2026-12-07T10:00:00.000+0300 (with its offset from "
                          "UTC; in a URL '+' is written %2B)",
    "task_rest.bad_sort_by": "sortBy is one of: {names}",
    "task_rest.bad_sort_order": "sortOrder is asc or desc",
    "task_rest.sort_pair": "sortBy and sortOrder go together",
    "task_rest.bad_body": "the request body must be a JSON object (Content-Type: application/json), e.g. {example}",
    "task_rest.too_many_variables": "more than {limit} variables",
    "task_rest.other_user": "a task can only be claimed for oneself: userId must be '{login}' (or left out)",
    "task_rest.refused": "Task not completed: the form does not accept the variables. Fix ({count}):",
    "task_rest.unknown_variable": "the task's form has no such field; its fields: {names}",
    "task_rest.readonly_variable": "a read-only field: its value is not sent",
    "task_rest.expected": "expected {expected}",
    "task_rest.expected.string": "a string (type String)",
    "task_rest.expected.number": "a number (type Integer, Long or Double)",
    "task_rest.expected.boolean": "true or false (type Boolean)",
    "task_rest.expected.list": "a list of strings: an array, or type Json with a JSON array as its string, "
                               "at most {limit}",
    "task_rest.not_attached": "file {id} is not among this field's files; new files are attached on the task's "
                              "page, here only the files already attached may be kept",
    "task_rest.rate_limited": "too many requests: at most {limit}; try again in {seconds} s",
}
