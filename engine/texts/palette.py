"""The answer to each construct an analyst can draw (engine/deployment/palette.py): what runs,
what to draw instead of a refused construct, what a warning ignores and why it is harmless,
and the dry-run's summary lines.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "palette.answer.runs": "исполняется",
    "palette.answer.refused": "отклоняется",
    "palette.answer.warning": "предупреждение",
    "palette.refused": "{construct} не исполняется: {instead}",
    "palette.warning": "{construct} игнорируется: {why}",
    "palette.cli_line": "  {answer}: {construct} — {count} шт.",
    "palette.cli_warning": "  предупреждение: {where}: {text}",
    # runs
    "palette.runs.start": "дело начинается здесь, когда регистрируют сообщение",
    "palette.runs.end": "ветвь дела завершается",
    "palette.runs.terminate": "дело завершается целиком, открытые задачи закрываются",
    "palette.runs.milestone": "отметка этапа: дело проходит её без остановки",
    "palette.runs.timer_catch": "дело ждёт до срока (рабочее время региона)",
    "palette.runs.timer_interrupting": "по сроку задача закрывается, дело идёт дальше по выходу таймера",
    "palette.runs.error_boundary": "на сервисной задаче внешнего исполнителя (external = true): его bpmnError с этим "
                                   "кодом закрывает задачу, дело идёт по выходу события",
    "palette.runs.error": "ошибка с errorCode, которую ловит граничное событие ошибки (bpmnError исполнителя)",
    "palette.runs.timer_boundary": "срок задачи: по сроку дело идёт по выходу таймера, задача остаётся открытой",
    "palette.runs.user_task": "задача для роли дорожки с формой Camunda",
    "palette.runs.service_task": "внешняя задача: её выполняет обработчик зарегистрированного topic",
    "palette.runs.subprocess": "вложенный подпроцесс исполняется как часть дела",
    "palette.runs.multi_instance": "параллельные экземпляры задачи по списку (camunda:collection)",
    "palette.runs.multi_instance_sequential": "экземпляры задачи по списку, по одному",
    "palette.runs.completion_condition": "экземпляры завершаются, когда условие истинно",
    "palette.runs.exclusive": "одна ветвь по условиям (или по умолчанию)",
    "palette.runs.parallel": "все ветви сразу; слияние ждёт все",
    "palette.runs.inclusive": "все ветви с истинным условием",
    "palette.runs.flow": "переход",
    "palette.runs.condition": "условие на языке выражений Отклика",
    "palette.runs.process": "исполняемый процесс: процедура",
    "palette.runs.drawn": "рамка схемы с пулами",
    "palette.runs.pool": "пул исполняемого процесса",
    "palette.runs.lane": "дорожка = роль исполнителей её задач",
    "palette.runs.documentation": "показывается в карточке процедуры и на схеме",
    "palette.runs.annotation": "только рисунок: пояснение на схеме, исполнять нечего",
    "palette.runs.candidate_groups": "роль, которой видна задача",
    "palette.runs.form_ref": "форма Camunda задачи",
    "palette.runs.form_binding": "используется форма, развёрнутая вместе с этой версией схемы",
    "palette.runs.template": "шаблон элемента: его ограничения проверяются при развёртывании",
    "palette.runs.external": "внешняя задача с topic",
    "palette.runs.properties": "свойства, которые читает Отклик (region, organisation, step, var.*, …)",
    "palette.runs.outputs": "выходной параметр задаёт переменную дела при завершении задачи",
    # refused: what to draw instead
    "palette.refused.start_trigger": "дело начинается при регистрации сообщения, другого запуска нет, и дело ждало бы "
                                     "вечно; нарисуйте простое начальное событие без триггера",
    "palette.refused.event_subprocess_start": "такое начальное событие бывает только в событийном подпроцессе, а он "
                                              "не исполняется; нарисуйте обычный путь через шлюз",
    "palette.refused.send": "его никто не получит: другие дела и системы не слушают сообщения и сигналы; чтобы "
                            "известить, нарисуйте сервисную задачу с topic 'notify'",
    "palette.refused.receive": "в идущее дело ничто не отправляет сообщения, сигналы и условия — дело ждало бы вечно; "
                               "ожидание человека — пользовательская задача, ожидание срока — таймер, выбор — поле формы "
                               "и исключающий шлюз",
    "palette.refused.error_escalation": "ошибки и эскалации не передаются между элементами; задайте исход полем формы "
                                        "и нарисуйте после задачи (подпроцесса) исключающий шлюз",
    "palette.refused.transaction_only": "отмена бывает только в транзакциях, а они не исполняются; нарисуйте "
                                        "исключающий шлюз и путь отмены",
    "palette.refused.compensation": "компенсация не исполняется; нарисуйте отменяющий шаг обычной задачей на пути "
                                    "из исключающего шлюза",
    "palette.refused.link": "переходы по ссылкам не выполняются — дело остановилось бы на событии; нарисуйте сам "
                            "переход (длинная стрелка допустима)",
    "palette.refused.catch_nothing": "промежуточному событию без триггера нечего ждать; удалите его или сделайте "
                                     "таймером",
    "palette.refused.multiple": "событие с несколькими триггерами не исполняется; оставьте один таймер",
    "palette.refused.plain_task": "у простой задачи нет роли, формы и обработчика — дело остановилось бы на ней "
                                  "навсегда; сделайте её пользовательской задачей (роль, форма) или сервисной (topic)",
    "palette.refused.event_subprocess": "событийные подпроцессы не исполняются; срок всего дела — таймер на "
                                        "параллельной ветви (раздел «Сроки» руководства)",
    "palette.refused.ad_hoc": "произвольный подпроцесс не исполняется; нарисуйте задачи через параллельный шлюз "
                              "или дайте выбор полем формы",
    "palette.refused.transaction": "транзакции не исполняются; нарисуйте обычный подпроцесс или задачи",
    "palette.refused.loop": "цикл задачи не исполняется; нарисуйте возврат стрелкой через исключающий шлюз",
    "palette.refused.event_gateway": "после него могут стоять только таймеры, а два таймера на одном шлюзе получают "
                                     "один срок; нарисуйте один промежуточный таймер или таймер на границе задачи",
    "palette.refused.script_condition": "условие-скрипт не исполняется; выберите тип условия Expression и напишите "
                                        "его на языке выражений Отклика",
    "palette.refused.java": "Java-классы, выражения JUEL и коннекторы не исполняются; сделайте задачу внешней "
                            "(Implementation: External) с зарегистрированным topic",
    "palette.refused.start_form": "дело начинается со страницы регистрации сообщения, форма начального события не "
                                  "показывается; поставьте форму на первую пользовательскую задачу",
    "palette.refused.assignee": "задача видна всем с ролью дорожки (candidateGroups), конкретный человек берёт её "
                                "себе; уберите назначение",
    "palette.refused.due_date": "срок задачи — таймер на её границе (шаблон «Срок в рабочих …»); очистите Due date",
    "palette.refused.follow_up": "напоминание — непрерывающий таймер на границе задачи с уведомлением (topic "
                                 "'notify'); очистите Follow up date",
    "palette.refused.starters": "кто регистрирует сообщения, задают роли на странице администрирования; уберите "
                                "ограничение запуска",
    "palette.refused.initiator": "Отклик не задаёт эту переменную (кто зарегистрировал сообщение, хранится с "
                                 "сообщением); уберите Initiator",
    "palette.refused.comes_with_refused": "относится к элементу, который не исполняется (см. его строку)",
    "palette.refused.listener": "слушатели выполняют Java или скрипты, а они не исполняются; нарисуйте сервисную "
                                "задачу с topic там, где нужно действие",
    "palette.refused.field": "поля передаются Java-делегатам; значение для обработчика задайте свойством "
                             "(Extension properties)",
    "palette.refused.external_error": "ошибки внешних задач не маршрутизируются; исход задайте переменной и "
                                      "исключающим шлюзом",
    "palette.refused.unknown_bpmn": "Отклик не знает этот элемент BPMN; удалите его",
    "palette.refused.unknown_camunda": "Отклик не знает это расширение Camunda; удалите его",
    # warnings: what is ignored and why that is harmless
    "palette.warning.not_executable": "неисполняемый процесс только нарисован; исполняется один процесс с отметкой "
                                      "Executable",
    "palette.warning.other_pool": "пул без исполняемого процесса только нарисован",
    "palette.warning.message_flow": "поток сообщений только нарисован: между пулами ничего не отправляется",
    "palette.warning.data": "объект данных без связей только нарисован; данные дела — поля форм и переменные",
    "palette.refused.data_association": "по такой связи движок переносит переменные дела в объект данных и обратно, "
                                        "и они пропадают из данных задачи; удалите связь (данные дела — поля форм "
                                        "и переменные)",
    "palette.refused.data_store": "хранилища данных ни к чему не подключены; удалите его (данные дела — поля форм "
                                  "и переменные)",
    "palette.warning.definition": "объявление сообщения, сигнала, ошибки или эскалации само по себе ничего не делает",
    "palette.warning.form_version": "используется форма, развёрнутая вместе с этой версией схемы",
    "palette.warning.priority": "входящие задачи упорядочены по сроку; приоритет не используется",
    "palette.warning.async": "Отклик сохраняет каждый шаг дела в одной транзакции и не использует исполнитель "
                             "заданий; асинхронность ничего бы не изменила",
    "palette.warning.job_priority": "исполнителя заданий нет, приоритет заданий не нужен",
    "palette.warning.task_priority": "внешние задачи выполняет сам Отклик сразу; приоритет не нужен",
    "palette.warning.history": "история дел хранится в базе Отклика по его правилам хранения; Camunda Modeler "
                               "требует это поле, на исполнение оно не влияет",
    "palette.warning.version_tag": "Отклик нумерует версии сам, по содержимому схемы и форм",
    "palette.warning.startable": "дела начинаются со страницы регистрации сообщения",
    "palette.warning.modeler_metadata": "служебное поле Camunda Modeler",
    "palette.warning.retry": "сбой сервисной задачи становится инцидентом, который повторяют со страницы инцидентов",
    "palette.warning.foreign": "расширение другого инструмента; Отклик его не читает",
    # element templates' constraints (engine/deployment/template_constraints.py)
    "template.empty": "«{template}»: поле «{field}» пусто",
    "template.not_a_choice": "«{template}»: поле «{field}»: «{value}» нет среди вариантов ({choices})",
    "template.pattern": "«{template}»: поле «{field}»: «{value}» не подходит: {hint}",
    "template.pattern_hint": "нужен вид {pattern}",
    "template.too_short": "«{template}»: поле «{field}» короче {limit} символов",
    "template.too_long": "«{template}»: поле «{field}» длиннее {limit} символов",
    "template.hidden_changed": "«{template}»: значение {field} = «{value}» изменено вручную, шаблон задаёт «{expected}»; "
                               "примените шаблон заново",
    "template.unknown": "шаблон элемента «{template}» не найден в bpmn/.camunda/element-templates (есть: {known}); "
                        "примените один из них или отвяжите шаблон (Template → Unlink)",
}

EN: dict[str, str] = {
    "palette.answer.runs": "runs",
    "palette.answer.refused": "refused",
    "palette.answer.warning": "warning",
    "palette.refused": "{construct} does not run in Otklik: {instead}",
    "palette.warning": "{construct} is ignored: {why}",
    "palette.cli_line": "  {answer}: {construct} ×{count}",
    "palette.cli_warning": "  warning: {where}: {text}",
    # runs
    "palette.runs.start": "a case starts here when a message is registered",
    "palette.runs.end": "a branch of the case ends",
    "palette.runs.terminate": "the whole case ends; open tasks are closed",
    "palette.runs.milestone": "a milestone: the case passes it without stopping",
    "palette.runs.timer_catch": "the case waits until the deadline (the region's working time)",
    "palette.runs.timer_interrupting": "at the deadline the task is closed and the case follows the timer's flow",
    "palette.runs.error_boundary": "on a service task served by an external worker (external = true): the worker's "
                                   "bpmnError with this code closes the task and the case follows the event's flow",
    "palette.runs.error": "an error with an errorCode that an error boundary event catches (a worker's bpmnError)",
    "palette.runs.timer_boundary": "a task's deadline: at the deadline the case follows the timer's flow, the task "
                                   "stays open",
    "palette.runs.user_task": "a task for the lane's role with a Camunda Form",
    "palette.runs.service_task": "an external task: the handler of a registered topic does it",
    "palette.runs.subprocess": "an embedded subprocess runs as part of the case",
    "palette.runs.multi_instance": "parallel instances of the task over a list (camunda:collection)",
    "palette.runs.multi_instance_sequential": "instances of the task over a list, one after another",
    "palette.runs.completion_condition": "the instances end when the condition is true",
    "palette.runs.exclusive": "one branch, by the conditions (or the default flow)",
    "palette.runs.parallel": "all branches at once; a join waits for all",
    "palette.runs.inclusive": "every branch whose condition is true",
    "palette.runs.flow": "a sequence flow",
    "palette.runs.condition": "a condition in Otklik's expression language",
    "palette.runs.process": "the executable process: the procedure",
    "palette.runs.drawn": "the diagram's frame around the pools",
    "palette.runs.pool": "the executable process's pool",
    "palette.runs.lane": "a lane = the role of the people who do its tasks",
    "palette.runs.documentation": "shown on the procedure card and the diagram",
    "palette.runs.annotation": "drawing only: an explanation on the diagram, nothing to run",
    "palette.runs.candidate_groups": "the role that sees the task",
    "palette.runs.form_ref": "the task's Camunda Form",
    "palette.runs.form_binding": "the form deployed with this version of the diagram is used",
    "palette.runs.template": "an element template: its constraints are checked at deployment",
    "palette.runs.external": "an external task with a topic",
    "palette.runs.properties": "properties Otklik reads (region, organisation, step, var.*, …)",
    "palette.runs.outputs": "an output parameter sets a case variable when the task is completed",
    # refused: what to draw instead
    "palette.refused.start_trigger": "a case starts when a message is registered and nothing else starts one, so the "
                                     "case would wait forever; draw a plain start event with no trigger",
    "palette.refused.event_subprocess_start": "this start event exists only in an event subprocess, which does not "
                                              "run; draw an ordinary path through a gateway",
    "palette.refused.send": "nothing would receive it: no other case or system listens for messages or signals; to "
                            "inform someone draw a service task with topic 'notify'",
    "palette.refused.receive": "nothing sends messages, signals or conditions into a running case, so it would wait "
                               "forever; waiting for a person is a user task, for time a timer, a choice a form field "
                               "and an exclusive gateway",
    "palette.refused.error_escalation": "errors and escalations are not passed between elements; set the outcome "
                                        "with a form field and draw an exclusive gateway after the task (subprocess)",
    "palette.refused.transaction_only": "cancel events exist only in transactions, which do not run; draw an "
                                        "exclusive gateway and a cancelling path",
    "palette.refused.compensation": "compensation does not run; draw the undoing step as an ordinary task on a path "
                                    "from an exclusive gateway",
    "palette.refused.link": "link events are not followed, so the case would stop at the event; draw the sequence "
                            "flow itself (a long arrow is fine)",
    "palette.refused.catch_nothing": "an intermediate event with no trigger has nothing to wait for; remove it or "
                                     "make it a timer",
    "palette.refused.multiple": "an event with several triggers does not run; keep one timer",
    "palette.refused.plain_task": "a plain task has no role, form or handler, so the case would stop there forever; "
                                  "make it a user task (role, form) or a service task (topic)",
    "palette.refused.event_subprocess": "event subprocesses do not run; a deadline for the whole case is a timer on "
                                        "a parallel branch (guide, Deadlines)",
    "palette.refused.ad_hoc": "ad-hoc subprocesses do not run; draw the tasks through a parallel gateway or offer "
                              "the choice as a form field",
    "palette.refused.transaction": "transactions do not run; draw an ordinary subprocess or tasks",
    "palette.refused.loop": "task loops do not run; draw the loop as a flow back through an exclusive gateway",
    "palette.refused.event_gateway": "only timers could follow it, and two timers on one gateway share one due time; "
                                     "draw one intermediate timer or a boundary timer on the task",
    "palette.refused.script_condition": "script conditions do not run; choose condition type Expression and write it "
                                        "in Otklik's expression language",
    "palette.refused.java": "Java classes, JUEL expressions and connectors do not run; make the task external "
                            "(Implementation: External) with a registered topic",
    "palette.refused.start_form": "a case starts from the message registration page, a start event's form is never "
                                  "shown; put the form on the first user task",
    "palette.refused.assignee": "a task is seen by everyone with the lane's role (candidateGroups) and one of them "
                                "claims it; remove the assignment",
    "palette.refused.due_date": "a task's deadline is a boundary timer on it (a «Срок в рабочих …» template); clear "
                                "Due date",
    "palette.refused.follow_up": "a reminder is a non-interrupting boundary timer with a notification (topic "
                                 "'notify'); clear Follow up date",
    "palette.refused.starters": "who registers messages is a role given on the administration page; remove the "
                                "start restriction",
    "palette.refused.initiator": "Otklik does not set this variable (who registered the message is kept with the "
                                 "message); remove Initiator",
    "palette.refused.comes_with_refused": "belongs to an element that does not run (see its line)",
    "palette.refused.listener": "listeners run Java or scripts, which do not run; draw a service task with a topic "
                                "where the action is needed",
    "palette.refused.field": "fields are given to Java delegates; give a handler its value as an extension property",
    "palette.refused.external_error": "external task errors are not routed; set the outcome in a variable and draw "
                                      "an exclusive gateway",
    "palette.refused.unknown_bpmn": "Otklik does not know this BPMN element; remove it",
    "palette.refused.unknown_camunda": "Otklik does not know this Camunda extension; remove it",
    # warnings: what is ignored and why that is harmless
    "palette.warning.not_executable": "a non-executable process is only drawn; the one process marked Executable "
                                      "runs",
    "palette.warning.other_pool": "a pool without the executable process is only drawn",
    "palette.warning.message_flow": "a message flow is only drawn: nothing is sent between pools",
    "palette.warning.data": "a data object with no association is only drawn; a case's data are form fields and "
                            "variables",
    "palette.refused.data_association": "through such an association the engine moves case variables into the data "
                                        "object and back, and they vanish from the task's data; remove the "
                                        "association (a case's data are form fields and variables)",
    "palette.refused.data_store": "data stores are not connected to any storage; remove it (a case's data are "
                                  "form fields and variables)",
    "palette.warning.definition": "a message, signal, error or escalation declaration does nothing by itself",
    "palette.warning.form_version": "the form deployed with this version of the diagram is used",
    "palette.warning.priority": "the inbox orders tasks by deadline; the priority is not used",
    "palette.warning.async": "Otklik stores each step of a case in one transaction and has no job executor; "
                             "asynchronous continuation would change nothing",
    "palette.warning.job_priority": "there is no job executor, so no job priority is needed",
    "palette.warning.task_priority": "Otklik runs external tasks itself at once; no priority is needed",
    "palette.warning.history": "case history is kept in Otklik's database by its own retention rules; Camunda "
                               "Modeler requires the field, it does not change how a case runs",
    "palette.warning.version_tag": "Otklik numbers versions itself, by the content of the diagram and forms",
    "palette.warning.startable": "cases start from the message registration page",
    "palette.warning.modeler_metadata": "Camunda Modeler's own bookkeeping",
    "palette.warning.retry": "a failed service task becomes an incident, retried from the incidents page",
    "palette.warning.foreign": "another tool's extension; Otklik does not read it",
    # element templates' constraints (engine/deployment/template_constraints.py)
    "template.empty": "«{template}»: field «{field}» is empty",
    "template.not_a_choice": "«{template}»: field «{field}»: «{value}» is not one of the choices ({choices})",
    "template.pattern": "«{template}»: field «{field}»: «{value}» does not fit: {hint}",
    "template.pattern_hint": "it must look like {pattern}",
    "template.too_short": "«{template}»: field «{field}» is shorter than {limit} characters",
    "template.too_long": "«{template}»: field «{field}» is longer than {limit} characters",
    "template.hidden_changed": "«{template}»: {field} = «{value}» was changed by hand, the template sets "
                               "«{expected}»; apply the template again",
    "template.unknown": "element template «{template}» is not in bpmn/.camunda/element-templates (there are: {known}); "
                        "apply one of them or unlink the template (Template → Unlink)",
}
