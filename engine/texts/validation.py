"""Deployment checks of a diagram (engine/deployment/validation.py, engine/bpmn/timer_bounds.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "validation.step_unknown": "свойство step: значение «{step}» неизвестно; укажите через пробел одно или несколько из: {steps}",
    # What a checked expression is (the {what} of the texts below).
    "validation.what.condition": "условие",
    "validation.what.completion_condition": "условие завершения",
    "validation.what.variable_default": "значение по умолчанию переменной '{name}'",
    "validation.what.organisation": "свойство 'organisation'",
    "validation.what.timer": "таймер",
    "validation.what.timer_template": "таймер (из шаблона срока)",
    "validation.what.output_parameter": "выходной параметр '{name}'",
    "validation.expression_empty": "{what}: пусто; напишите выражение",
    "validation.expression_problem": "{what} содержит ошибку: {problem}",
    # The whole document.
    "validation.xsd_invalid": "не соответствует BPMN 2.0 (XSD): {message}",
    "validation.executable_count": "нужен ровно один исполняемый процесс, найдено: {count}; "
                                   "отметьте 'Executable' у того процесса, который нужно запускать",
    "validation.zeebe": "это диаграмма Camunda 8 (Zeebe); Отклик исполняет диаграммы Camunda Platform 7: "
                        "создайте в Camunda Modeler BPMN-диаграмму 'Camunda 7'",
    "validation.root_not_definitions": "корневой элемент должен быть bpmn:definitions",
    "validation.platform": "modeler:executionPlatform должен быть 'Camunda Platform' "
                           "(создайте диаграмму в Camunda Modeler как диаграмму Camunda 7)",
    # The process.
    "validation.process_no_id": "у процесса нет id; задайте Id процесса в Camunda Modeler (например, ключ региона)",
    "validation.process_id_too_long": "id процесса длиннее {limit} символов; сократите его",
    "validation.unknown_region": "неизвестный регион: задайте свойству процесса 'region' одно из значений: {regions}",
    "validation.unsupported.scriptTask": "задачи-скрипты могли бы выполнять произвольный код; "
                                         "используйте сервисную задачу с зарегистрированным topic",
    "validation.unsupported.businessRuleTask": "решения DMN не поддерживаются; используйте исключающий шлюз с условиями",
    "validation.unsupported.callActivity": "вызовы подпроцессов пока не поддерживаются; нарисуйте шаги в этой диаграмме",
    "validation.unsupported.sendTask": "задачи отправки не поддерживаются; используйте сервисную задачу с topic 'notify'",
    "validation.unsupported.receiveTask": "задачи получения не поддерживаются; используйте пользовательскую задачу",
    "validation.unsupported.complexGateway": "сложные шлюзы не поддерживаются; используйте исключающие или параллельные шлюзы",
    "validation.unsupported.manualTask": "у ручной задачи нет формы и владельца; используйте пользовательскую задачу",
    "validation.variable_name": "свойство процесса '{property}': '{name}' не является именем переменной",
    "validation.variable_default_not_value": "значение по умолчанию переменной '{name}': {error}; "
                                             "значение по умолчанию — это значение, например 8 или 'answer'",
    # User and service tasks.
    "validation.role_count": "задайте в camunda:candidateGroups ровно одну роль: {roles}",
    "validation.role_unknown": "неизвестная роль '{role}' в candidateGroups; используйте одну из: {roles}",
    "validation.task_not_in_lane": "поместите задачу в дорожку её роли (id дорожки 'lane_{role}')",
    "validation.role_lane_mismatch": "candidateGroups '{role}' не совпадает с дорожкой '{lane}'; "
                                     "перенесите задачу в дорожку 'lane_{role}' или измените candidateGroups",
    "validation.executor_needs_organisation": "задаче исполнителя нужно свойство 'organisation' (например, agency): "
                                              "исполнители какого ведомства могут её выполнять",
    "validation.embedded_forms": "встроенные и генерируемые формы не поддерживаются; "
                                 "подключите Camunda Form через camunda:formRef",
    "validation.form_ref_missing": "задайте camunda:formRef — id файла .form из папки forms/",
    "validation.form_ref_unknown": "camunda:formRef '{ref}' не соответствует ни одной корректной форме в forms/; "
                                   "создайте forms/<имя>.form с этим id или исправьте ссылку",
    "validation.service_not_external": "сервисные задачи должны быть внешними: задайте Implementation "
                                       "'External' (camunda:type=\"external\") и topic",
    "validation.topic_unknown": "неизвестный topic '{topic}'; зарегистрированные topic: {topics} — или объявите "
                                "его внешним: свойство external = true (Properties → Extension properties), "
                                "и его выполнит внешний исполнитель через /engine-rest/external-task",
    # Timers and multi-instance steps.
    "validation.timer_cycle": "циклические таймеры не поддерживаются; используйте таймер с датой или длительностью",
    "validation.template_function": "шаблон срока: timer.function должен быть одним из: {functions}",
    "validation.template_conflict": "в поле Timer указано '{typed}', а поля шаблона срока дают '{built}'; "
                                    "очистите поле Timer или измените поля шаблона",
    "validation.timer_empty": "у таймера нет выражения; задайте, например, working_hours(8) или PT30M",
    "validation.variable_name_required": "{what} должен быть именем переменной (указано {value})",
    "validation.too_many_participants": "значение по умолчанию '{name}' перечисляет участников: {count}; "
                                        "многоэкземплярный шаг выполняется параллельно не более чем для {limit}",
    "validation.loop_cardinality": "loop cardinality не поддерживается; очистите 'Loop cardinality' и перечислите "
                                   "участников в camunda:collection (например, co_agencies) с camunda:elementVariable",
    "validation.collection_written": "многоэкземплярный шаг не может менять '{name}' — список, по которому идут его "
                                    "экземпляры (Camunda 7 его только читает); дайте другое имя элементу (Element "
                                    "variable) и выходным параметрам шага — части ответов шаг собирает сам",
    # Inputs and outputs, gateways, layout, the last parse.
    "validation.io_user_tasks_only": "входные и выходные параметры поддерживаются только у пользовательских задач; "
                                     "перенесите выходной параметр в предшествующую этому элементу пользовательскую задачу",
    "validation.input_parameters": "входные параметры не поддерживаются; используйте выходной параметр "
                                   "(он задаёт переменную дела при завершении задачи)",
    "validation.output_name": "выходной параметр '{name}' не является именем переменной",
    "validation.output_not_expression": "выходной параметр '{name}': списки, словари и скрипты не поддерживаются; "
                                        "введите выражение, например now()",
    "validation.flow_needs_condition": "потоку, выходящему из шлюза '{gateway}', нужно условие, "
                                       "или отметьте его как поток по умолчанию",
    "validation.no_layout": "у диаграммы нет разметки (BPMN DI); откройте и сохраните её в Camunda Modeler",
    "validation.no_shape": "нет фигуры в разметке диаграммы; нарисуйте элемент в Camunda Modeler",
    "validation.no_edge": "нет линии в разметке диаграммы; нарисуйте поток в Camunda Modeler",
    "validation.spiff_cannot_load": "SpiffWorkflow не может загрузить процесс: {error}",
    # Timers' reach in time (engine/bpmn/timer_bounds.py).
    "validation.timer.what_due": "таймер сработал бы",
    "validation.timer.what_since": "since равно",
    "validation.timer.what_from": "--from равно",
    "validation.timer.due_not_text": "таймер должен давать дату и время со смещением, например 2025-11-10T18:00:00+05:00 "
                                     "(такое даёт working_hours(8)), а не {value}",
    "validation.timer.due_not_iso": "{value} — не дата и время ISO-8601; напишите, например, 2025-11-10T18:00:00+05:00",
    "validation.timer.due_no_offset": "у {value} нет смещения от UTC; добавьте его, например {example}",
    "validation.timer.due_too_early": "{what} {value}, раньше {earliest}; проверьте дату",
    "validation.timer.due_too_late": "{what} {value}, более чем через {years} лет; сроки — не далее {years} лет вперёд",
    "validation.timer.duration_not_iso": "таймер длительности должен давать длительность ISO-8601, например PT30M "
                                         "или P7D, а не {value}",
    "validation.timer.duration_fraction": "{value}: дробной может быть только последняя часть длительности, а недели (W) "
                                          "указываются отдельно; напишите, например, PT1H30M или P10D",
    "validation.timer.duration_too_long": "длительность {value} больше {years} лет; сроки — не далее {years} лет вперёд",
    "validation.timer.working_arguments": "{function}() принимает количество и, при необходимости, since= и org=, "
                                          "например {function}(8, since=detected_at)",
    "validation.timer.working_no_amount": "{function}() нужно количество, например {function}(8)",
    "validation.timer.working_since": "в {function}(since=...): {problem}",
    "validation.timer.since_not_datetime": "since должно быть датой и временем, например '2025-11-10T09:00:00+05:00', "
                                           "а не {value}",
    "validation.timer.amount_not_whole_days": "{function}() нужно целое число дней, а не {value}",
    "validation.timer.amount_not_number": "{function}() нужно число, а не {value}",
    "validation.timer.amount_range": "{function}({amount}): количество должно быть от 0 до {limit}",
    # Refusals that used to quote the XSD or SpiffWorkflow (issue 13).
    "validation.duplicate_id": "два элемента с id «{id}»: {first} и {second}; дайте одному из них другой id "
                               "(Properties panel → ID)",
    "validation.flow_dangling": "переход «{flow}» ведёт {end} «{target}», а такого элемента в процессе нет; "
                                "соедините переход с элементом заново в Camunda Modeler",
    "validation.spiff_unsupported": "SpiffWorkflow не может исполнить этот элемент; что нарисовать вместо него — "
                                    "docs/supported-elements.md",
    "validation.flow_end.source": "от",
    "validation.flow_end.target": "к",
    "validation.timer_date_unquoted": "таймер: дата {date} без кавычек читается как арифметика; напишите её в "
                                      "кавычках ('{date}') или сроком в рабочем времени (working_days(…))",
}

EN: dict[str, str] = {
    "validation.step_unknown": "property 'step': unknown value '{step}'; give one or more of: {steps}, separated by spaces",
    "validation.what.condition": "condition",
    "validation.what.completion_condition": "completion condition",
    "validation.what.variable_default": "default of variable '{name}'",
    "validation.what.organisation": "property 'organisation'",
    "validation.what.timer": "timer",
    "validation.what.timer_template": "timer (from the deadline template)",
    "validation.what.output_parameter": "output parameter '{name}'",
    "validation.expression_empty": "{what} is empty; write an expression",
    "validation.expression_problem": "{what}: {problem}",
    "validation.xsd_invalid": "not valid BPMN 2.0 (XSD): {message}",
    "validation.executable_count": "expected exactly one executable process, found {count}; "
                                   "tick 'Executable' on the one process to run",
    "validation.zeebe": "this is a Camunda 8 (Zeebe) diagram; Otklik runs Camunda Platform 7 "
                        "diagrams: in Camunda Modeler create a 'Camunda 7' BPMN diagram",
    "validation.root_not_definitions": "the root element must be bpmn:definitions",
    "validation.platform": "modeler:executionPlatform must be 'Camunda Platform' "
                           "(create the diagram in Camunda Modeler as a Camunda 7 diagram)",
    "validation.process_no_id": "the process has no id; set the process Id in Camunda Modeler (e.g. the region key)",
    "validation.process_id_too_long": "the process id is longer than {limit} characters; shorten it",
    "validation.unknown_region": "unknown region: set the process property 'region' to one of {regions}",
    "validation.unsupported.scriptTask": "script tasks could run arbitrary code; use a service task with a registered topic",
    "validation.unsupported.businessRuleTask": "DMN decisions are not supported; use an exclusive gateway with conditions",
    "validation.unsupported.callActivity": "call activities are not supported yet; draw the steps in this diagram",
    "validation.unsupported.sendTask": "send tasks are not supported; use a service task with topic 'notify'",
    "validation.unsupported.receiveTask": "receive tasks are not supported; use a user task",
    "validation.unsupported.complexGateway": "complex gateways are not supported; use exclusive or parallel gateways",
    "validation.unsupported.manualTask": "manual tasks have no form or owner; use a user task",
    "validation.variable_name": "process property '{property}': '{name}' is not a variable name",
    "validation.variable_default_not_value": "default of variable '{name}': {error}; a default is a value such as 8 or 'answer'",
    "validation.role_count": "set camunda:candidateGroups to exactly one role: {roles}",
    "validation.role_unknown": "unknown role '{role}' in candidateGroups; use one of: {roles}",
    "validation.task_not_in_lane": "put the task in the lane of its role (lane id 'lane_{role}')",
    "validation.role_lane_mismatch": "candidateGroups '{role}' disagrees with its lane '{lane}'; "
                                     "move the task to lane 'lane_{role}' or change candidateGroups",
    "validation.executor_needs_organisation": "an executor task needs the property 'organisation' (e.g. agency) "
                                              "saying which agency's executors may do it",
    "validation.embedded_forms": "embedded/generated forms are not supported; link a Camunda Form with camunda:formRef",
    "validation.form_ref_missing": "set camunda:formRef to the id of a .form file in forms/",
    "validation.form_ref_unknown": "camunda:formRef '{ref}' matches no valid form in forms/; "
                                   "create forms/<name>.form with that id or fix the reference",
    "validation.service_not_external": "service tasks must be external tasks: set Implementation to "
                                       "'External' (camunda:type=\"external\") with a topic",
    "validation.topic_unknown": "unknown topic '{topic}'; registered topics: {topics} — or declare it external: "
                                "the property external = true (Properties → Extension properties), and an "
                                "external worker does it through /engine-rest/external-task",
    "validation.timer_cycle": "cycle timers are not supported; use a date or duration timer",
    "validation.template_function": "deadline template: timer.function must be one of {functions}",
    "validation.template_conflict": "the Timer field says '{typed}' but the deadline template's fields make "
                                    "'{built}'; clear the Timer field or change the template's fields",
    "validation.timer_empty": "the timer has no expression; set e.g. working_hours(8) or PT30M",
    "validation.variable_name_required": "{what} must be a variable name (got {value})",
    "validation.too_many_participants": "the default of '{name}' lists {count} participants; "
                                        "a multi-instance step runs at most {limit} in parallel",
    "validation.loop_cardinality": "loop cardinality is not supported; clear 'Loop cardinality' and list the "
                                   "participants in camunda:collection (e.g. co_agencies) with camunda:elementVariable",
    "validation.collection_written": "a multi-instance step cannot write '{name}', the list its instances run over "
                                    "(Camunda 7 only reads it); give the element variable and the step's output "
                                    "parameters other names — the step gathers each instance's part itself",
    "validation.io_user_tasks_only": "inputs/outputs are supported on user tasks only; move the output "
                                     "parameter to the user task that precedes this element",
    "validation.input_parameters": "input parameters are not supported; use an output parameter (it sets a "
                                   "case variable when the task is completed)",
    "validation.output_name": "output parameter '{name}' is not a variable name",
    "validation.output_not_expression": "output parameter '{name}': lists, maps and scripts are not supported; "
                                        "type an expression such as now()",
    "validation.flow_needs_condition": "a flow leaving gateway '{gateway}' needs a "
                                       "condition, or mark it as the default flow",
    "validation.no_layout": "the diagram has no layout (BPMN DI); open and save it in Camunda Modeler",
    "validation.no_shape": "has no shape in the diagram layout; draw it in Camunda Modeler",
    "validation.no_edge": "has no edge in the diagram layout; draw it in Camunda Modeler",
    "validation.spiff_cannot_load": "SpiffWorkflow cannot load the process: {error}",
    "validation.timer.what_due": "the timer would be due",
    "validation.timer.what_since": "since is",
    "validation.timer.what_from": "--from is",
    "validation.timer.due_not_text": "a timer must give a date-time with an offset such as 2025-11-10T18:00:00+05:00 "
                                     "(working_hours(8) gives one), not {value}",
    "validation.timer.due_not_iso": "{value} is not an ISO-8601 date-time; write e.g. 2025-11-10T18:00:00+05:00",
    "validation.timer.due_no_offset": "{value} has no UTC offset; add one, e.g. {example}",
    "validation.timer.due_too_early": "{what} {value}, before {earliest}; check the date",
    "validation.timer.due_too_late": "{what} {value}, more than {years} years from now; deadlines are at most {years} years ahead",
    "validation.timer.duration_not_iso": "a duration timer must give an ISO-8601 duration such as PT30M or P7D, not {value}",
    "validation.timer.duration_fraction": "{value}: only the last part of a duration may have a fraction, and weeks (W) "
                                          "stand alone; write e.g. PT1H30M or P10D",
    "validation.timer.duration_too_long": "the duration {value} is longer than {years} years; deadlines are at most {years} years ahead",
    "validation.timer.working_arguments": "{function}() takes an amount and optionally since= and org=, "
                                          "e.g. {function}(8, since=detected_at)",
    "validation.timer.working_no_amount": "{function}() needs an amount, e.g. {function}(8)",
    "validation.timer.working_since": "{function}(since=...): {problem}",
    "validation.timer.since_not_datetime": "since must be a date-time such as '2025-11-10T09:00:00+05:00', not {value}",
    "validation.timer.amount_not_whole_days": "{function}() needs a whole number of days, not {value}",
    "validation.timer.amount_not_number": "{function}() needs a number, not {value}",
    "validation.timer.amount_range": "{function}({amount}): the amount must be from 0 to {limit}",
    # Refusals that used to quote the XSD or SpiffWorkflow (issue 13).
    "validation.duplicate_id": "two elements have the id «{id}»: {first} and {second}; give one of them another id "
                               "(Properties panel → ID)",
    "validation.flow_dangling": "sequence flow «{flow}» leads {end} «{target}», and the process has no such "
                                "element; connect the flow again in Camunda Modeler",
    "validation.spiff_unsupported": "SpiffWorkflow cannot run this element; what to draw instead: "
                                    "docs/supported-elements.md",
    "validation.flow_end.source": "from",
    "validation.flow_end.target": "to",
    "validation.timer_date_unquoted": "timer: the date {date} without quotes reads as arithmetic; write it in quotes "
                                      "('{date}') or as a working-time deadline (working_days(…))",
}
