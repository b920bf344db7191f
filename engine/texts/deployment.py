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
}
