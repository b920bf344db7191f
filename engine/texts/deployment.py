"""Deploying files: the plan, the browser's limits and carried files, unsafe XML, registrations and other refusals.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    # engine.deployment.deployer: the files given
    "deployment.form_too_large": "форма больше {limit} байт",
    "deployment.form_not_utf8": "форма должна быть JSON в кодировке UTF-8",
    "deployment.form_id_taken": "у другого файла формы тот же id; id форм должны быть уникальны",
    "deployment.wrong_file_type": "развернуть можно только файлы .bpmn и .form",
    "deployment.no_diagram": "не передан ни один файл .bpmn",
    "deployment.diagram_not_utf8": "схема должна быть XML в кодировке UTF-8; сохраните её заново в Camunda Modeler "
                                   "(он сохраняет в UTF-8)",
    "deployment.region_key_taken": "id процесса «{process}» — ключ региона «{process}», а в схеме указан регион "
                                   "«{region}»: задайте свойству процесса region значение «{process}» "
                                   "или выберите другой id процесса",
    "deployment.process_id_twice": "этот id процесса уже задан в {file}",
    # engine.bpmn.xmlsafe: what the hardened parser refuses
    "deployment.xml_too_large": "размер файла {size} байт; допускается не больше {limit} байт",
    "deployment.xml_doctype_entity": "объявления DOCTYPE и ENTITY запрещены; удалите их (в BPMN они не нужны)",
    "deployment.xml_malformed": "XML составлен с ошибками: {error}",
    "deployment.xml_doctype": "объявления DOCTYPE запрещены",
    # engine.deployment.browser: an upload as a whole, and who may deploy
    "deployment.too_many_files": "передано файлов: {count}; за один раз можно развернуть не больше {limit}",
    "deployment.too_large_together": "файлы вместе слишком велики; за один раз можно развернуть не больше {limit} МиБ",
    "deployment.not_analyst": "разворачивать процедуры может только аналитик",
    "deployment.region_not_yours": "{file}: регион «{region}» процедуры «{process}» не входит в те, где вы аналитик",
    "deployment.no_procedure": "процедура {process} не существует",
    # engine.cli.main: otklik deploy's own lines
    "deployment.cli_no_file": "{path}: файл не найден",
    "deployment.cli_ok": "{file}: в порядке ({process}, регион {region})",
    "deployment.cli_deployed": "{file}: {process} развёрнута как версия {version}",
    "deployment.cli_unchanged": "{file}: {process} без изменений, по-прежнему версия {version}",
    "deployment.cli_replaces": "{file}: {process} развёрнута как версия {version}; "
                               "она заменяет версию {previous} (развёрнута {when}, {who})",
    "deployment.cli_older": "{file}: {process} — файл совпадает с версией {version}; "
                            "действует версия {active} (развёрнута {when}, {who}), она остаётся действующей",
    "deployment.cli_refused": "Проблем: {count}; ничего не развёрнуто.",
    # engine.deployment.camunda_rest: Camunda Modeler's deploy and start (/engine-rest)
    "engine_rest.refused": "Диаграмма не развёрнута. Исправьте ({count}):",
    "engine_rest.unsupported": "Otklik не поддерживает {method} /engine-rest{path}. Поддерживаются: GET /version, "
                               "GET /deployment, POST /deployment/create, POST /process-definition/<id>/start, "
                               "POST /process-definition/key/<ключ>/start, POST /external-task/fetchAndLock, "
                               "POST /external-task/<id>/complete|failure|bpmnError|extendLock|unlock, "
                               "GET /task, GET /task/count, GET /task/<id>, "
                               "GET /task/<id>/form-variables, POST /task/<id>/claim, POST /task/<id>/unclaim, "
                               "POST /task/<id>/complete (docs/integration.md)",
    "engine_rest.test_starts_off": "Тестовые запуски из Camunda Modeler выключены. Администратор сервера включает "
                                   "их переменной окружения OTKLIK_TEST_STARTS=1 (только на тестовом стенде) "
                                   "и перезапускает сервер",
    "engine_rest.no_definition": "Процесс «{definition}» не развёрнут или недоступен вам",
    "engine_rest.bad_body": "Тело запроса должно быть объектом JSON: {{\"businessKey\": …, \"variables\": "
                            "{{\"имя\": {{\"value\": …, \"type\": \"String\"}}}}}}",
    "engine_rest.not_starter": "Запускать тестовые сообщения может аналитик или куратор региона процедуры «{process}»",
    "engine_rest.variable": "переменная «{name}»: {problem}",
    "engine_rest.bad_date": "дата в формате 2026-12-07T10:00:00.000+0300 (со смещением от UTC)",
    "engine_rest.bad_value": "значение должно быть строкой",
    "engine_rest.problem_required": "обязательна (network, url, author, text)",
    "engine_rest.problem_too_long": "слишком длинное значение",
    "engine_rest.problem_unknown_variable": "такой переменной нет; принимаются: {names}",
    "engine_rest.problem_unknown": "такого значения нет; сети: {networks}",
    "engine_rest.problem_not_listed": "процедура региона не принимает сообщения из этой сети; сети: {networks}",
    "engine_rest.problem_bad_url": "адрес страницы должен начинаться с http:// или https://",
    "engine_rest.problem_future": "это время ещё не наступило",
    "engine_rest.problem_too_old": "дата больше года назад: регистрируются сообщения за последние 366 дней",
    "engine_rest.problem_before_posted": "сообщение не может быть выявлено раньше, чем размещено",
    "engine_rest.problem_other_region": "это сообщение другого региона",
    "engine_rest.invalid": "Тестовое сообщение не зарегистрировано: {problems}",
    "engine_rest.too_large": "Запрос больше {limit} КБ: разверните диаграмму и её формы меньшими частями",
    "engine_rest.bad_request": "Запрос не понят: проверьте его формат (multipart для /deployment/create, JSON для запуска)",
    "engine_rest.server_error": "Внутренняя ошибка сервера; она записана в журнал сервера. Повторите позже",
}

EN: dict[str, str] = {
    "deployment.form_too_large": "form is larger than {limit} bytes",
    "deployment.form_not_utf8": "a form must be UTF-8 JSON",
    "deployment.form_id_taken": "another form file has the same id; ids must be unique",
    "deployment.wrong_file_type": "only .bpmn and .form files can be deployed",
    "deployment.no_diagram": "no .bpmn file given",
    "deployment.diagram_not_utf8": "a diagram must be UTF-8 XML; save it again in Camunda Modeler (it writes UTF-8)",
    "deployment.region_key_taken": "process id '{process}' is the key of region '{process}' but the diagram declares "
                                   "region '{region}': set the process property 'region' to '{process}' "
                                   "or choose another process id",
    "deployment.process_id_twice": "process id also defined in {file}",
    "deployment.xml_too_large": "file is {size} bytes; the limit is {limit} bytes",
    "deployment.xml_doctype_entity": "DOCTYPE and ENTITY declarations are not allowed; remove them (BPMN needs none)",
    "deployment.xml_malformed": "not well-formed XML: {error}",
    "deployment.xml_doctype": "DOCTYPE declarations are not allowed",
    "deployment.too_many_files": "{count} files given; deploy at most {limit} at once",
    "deployment.too_large_together": "the files are too large together; deploy at most {limit} MiB at once",
    "deployment.not_analyst": "only an analyst may deploy procedures",
    "deployment.region_not_yours": "{file}: region '{region}' of procedure '{process}' is not one where you are an analyst",
    "deployment.no_procedure": "procedure {process} does not exist",
    "deployment.cli_no_file": "{path}: no such file",
    "deployment.cli_ok": "{file}: ok ({process}, region {region})",
    "deployment.cli_deployed": "{file}: {process} deployed as version {version}",
    "deployment.cli_unchanged": "{file}: {process} unchanged, still version {version}",
    "deployment.cli_replaces": "{file}: {process} deployed as version {version}; "
                               "it replaces version {previous} (deployed by {who} on {when})",
    "deployment.cli_older": "{file}: {process}: the file is version {version}; "
                            "version {active} (deployed by {who} on {when}) stays in force",
    "deployment.cli_refused": "{count} problem(s); nothing was deployed.",
    "engine_rest.refused": "The diagram was not deployed. Fix ({count}):",
    "engine_rest.unsupported": "Otklik does not support {method} /engine-rest{path}. Supported: GET /version, "
                               "GET /deployment, POST /deployment/create, POST /process-definition/<id>/start, "
                               "POST /process-definition/key/<key>/start, POST /external-task/fetchAndLock, "
                               "POST /external-task/<id>/complete|failure|bpmnError|extendLock|unlock, "
                               "GET /task, GET /task/count, GET /task/<id>, "
                               "GET /task/<id>/form-variables, POST /task/<id>/claim, POST /task/<id>/unclaim, "
                               "POST /task/<id>/complete (docs/integration.md)",
    "engine_rest.test_starts_off": "Test starts from Camunda Modeler are off. The server's administrator turns them "
                                   "on with the environment variable OTKLIK_TEST_STARTS=1 (on a test server only) "
                                   "and restarts the server",
    "engine_rest.no_definition": "Process '{definition}' is not deployed or not visible to you",
    "engine_rest.bad_body": "The request body must be a JSON object: {{\"businessKey\": …, \"variables\": "
                            "{{\"name\": {{\"value\": …, \"type\": \"String\"}}}}}}",
    "engine_rest.not_starter": "Test messages are started by an analyst or a curator of the region of procedure '{process}'",
    "engine_rest.variable": "variable '{name}': {problem}",
    "engine_rest.bad_date": "a date like 2026-12-07T10:00:00.000+0300 (with its offset from UTC)",
    "engine_rest.bad_value": "the value must be a string",
    "engine_rest.problem_required": "is required (network, url, author, text)",
    "engine_rest.problem_too_long": "the value is too long",
    "engine_rest.problem_unknown_variable": "no such variable; accepted: {names}",
    "engine_rest.problem_unknown": "no such value; networks: {networks}",
    "engine_rest.problem_not_listed": "the region's procedure takes no messages from this network; networks: {networks}",
    "engine_rest.problem_bad_url": "the page address must start with http:// or https://",
    "engine_rest.problem_future": "this time has not come yet",
    "engine_rest.problem_too_old": "the date is more than a year ago: messages of the last 366 days are registered",
    "engine_rest.problem_before_posted": "a message cannot be detected before it was posted",
    "engine_rest.problem_other_region": "this is another region's message",
    "engine_rest.invalid": "The test message was not registered: {problems}",
    "engine_rest.too_large": "The request is larger than {limit} KB: deploy the diagram and its forms in smaller parts",
    "engine_rest.bad_request": "The request was not understood: check its format (multipart for /deployment/create, JSON to start)",
    "engine_rest.server_error": "Internal server error; it is written to the server's log. Try again later",
}
