"""External tasks (issue 17 §1): the external-task API's refusals and the deployment checks of
topics served by workers (engine/runtime/external_*.py, engine/deployment/service_topics.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "external.body_not_object": "тело запроса должно быть JSON-объектом",
    "external.number_range": "{name} должно быть целым числом от {low} до {high}",
    "external.worker_id": "workerId обязателен: непустая строка не длиннее {limit} символов",
    "external.topics": "topics должно быть списком не длиннее {limit}",
    "external.topic_name": "topicName обязателен: непустая строка не длиннее {limit} символов",
    "external.variable_names": "variables темы должно быть списком имён переменных (не больше 1000)",
    "external.variables_not_object": "переменные передаются объектом {{имя: {{value, type}}}}",
    "external.too_many_variables": "не больше {limit} переменных за один вызов",
    "external.variable_name": "имя переменной: латинские буквы, цифры и _, не с _, не длиннее {limit} символов",
    "external.variable_shape": "переменная задаётся объектом {{\"value\": …, \"type\": …}}",
    "external.variable_type_unsupported": "тип {type} не поддерживается; используйте String, Boolean, Integer, "
                                          "Long, Double, Date, Json или Null",
    "external.variable_value": "значение не подходит к типу {type}",
    "external.variables_refused": "переменные не приняты: {problems}",
    "external.not_text": "{name} должно быть строкой",
    "external.filter_unsupported": "фильтр {name} Отклик не поддерживает; уберите его (поддерживаются "
                                   "processDefinitionKey, processDefinitionKeyIn, businessKey, variables)",
    "external.filter_value": "фильтр {name}: строка (или список строк) разумной длины",
    "external.rate_limited": "слишком много вызовов внешних задач: не больше {limit} на учётную запись",
    "external.not_a_worker": "{login} не может выполнять внешние задачи: нужна роль аналитика в регионе задачи "
                             "(или администратора)",
    "external.task_missing": "внешней задачи {id} нет (или она в регионе, где у вас нет роли аналитика)",
    "external.task_closed": "внешняя задача {id} уже {status}",
    "external.status_completed": "выполнена",
    "external.status_cancelled": "отменена (дело ушло дальше без неё, например по сроку)",
    "external.status_open": "открыта",
    "external.not_locked": "внешняя задача {id} не заблокирована: сначала получите её через fetchAndLock",
    "external.locked_by_other": "внешнюю задачу {id} нельзя выполнить исполнителем «{worker}»: её держит "
                                "«{holder}»",
    "external.lock_expired": "блокировка внешней задачи {id} исполнителем «{worker}» истекла; получите задачу "
                             "снова через fetchAndLock (или продлевайте блокировку через extendLock)",
    "external.case_not_running": "дело № {case} не в работе (завершено или в списке сбоев)",
    "external.task_interrupted": "внешняя задача {id} больше не ждёт исполнителя: дело ушло дальше",
    "external.completed_at_once": "внешнюю задачу {id} выполнили одновременно дважды; учтено первое выполнение",
    "external.error_code": "errorCode обязателен: непустая строка не длиннее 255 символов",
    "external.error_not_caught": "на диаграмме нет граничного события ошибки с кодом «{error_code}» на задаче {element}: "
                                 "нарисуйте на ней граничное событие ошибки (Error boundary event) с ошибкой "
                                 "errorCode=«{error_code}» и путь от него — или сообщите неудачу через /failure",
    # Deployment checks of service-task topics.
    "external.topic_missing": "у сервисной задачи нет topic: задайте camunda:topic",
    "external.topic_long": "topic длиннее {limit} символов",
    "external.topic_both": "topic «{topic}» обрабатывает сам Отклик, а задача объявлена внешней "
                           "(external = true): уберите свойство external или выберите другое имя topic",
    "external.external_value": "свойство external принимает только значение true (сейчас «{value}»)",
    "external.error_boundary_not_worker": "граничное событие ошибки ловит только bpmnError внешнего исполнителя: "
                                          "прикрепите его к сервисной задаче со свойством external = true",
    "external.error_code_missing": "ошибка {error} без errorCode: задайте Code в свойствах ошибки (или уберите "
                                   "ссылку, чтобы событие ловило любой код)",
}

EN: dict[str, str] = {
    "external.body_not_object": "the request's body must be a JSON object",
    "external.number_range": "{name} must be a whole number from {low} to {high}",
    "external.worker_id": "workerId is required: a non-empty string of at most {limit} characters",
    "external.topics": "topics must be a list of at most {limit}",
    "external.topic_name": "topicName is required: a non-empty string of at most {limit} characters",
    "external.variable_names": "a topic's variables must be a list of variable names (at most 1000)",
    "external.variables_not_object": "variables are sent as an object {{name: {{value, type}}}}",
    "external.too_many_variables": "at most {limit} variables in one call",
    "external.variable_name": "a variable's name: Latin letters, digits and _, not starting with _, "
                              "at most {limit} characters",
    "external.variable_shape": "a variable is an object {{\"value\": …, \"type\": …}}",
    "external.variable_type_unsupported": "type {type} is not supported; use String, Boolean, Integer, Long, "
                                          "Double, Date, Json or Null",
    "external.variable_value": "the value does not fit type {type}",
    "external.variables_refused": "variables refused: {problems}",
    "external.not_text": "{name} must be a string",
    "external.filter_unsupported": "Otklik does not support the filter {name}; remove it (supported: "
                                   "processDefinitionKey, processDefinitionKeyIn, businessKey, variables)",
    "external.filter_value": "filter {name}: a string (or a list of strings) of reasonable length",
    "external.rate_limited": "too many external-task calls: at most {limit} per account",
    "external.not_a_worker": "{login} may not work external tasks: it takes the analyst role in the task's "
                             "region (or the administrator's)",
    "external.task_missing": "there is no external task {id} (or it is in a region where you hold no analyst role)",
    "external.task_closed": "external task {id} is {status} already",
    "external.status_completed": "completed",
    "external.status_cancelled": "cancelled (the case went on without it, e.g. by a deadline)",
    "external.status_open": "open",
    "external.not_locked": "external task {id} is not locked: fetch it with fetchAndLock first",
    "external.locked_by_other": "external task {id} cannot be completed by worker '{worker}': it is locked by "
                                "'{holder}'",
    "external.lock_expired": "the lock of external task {id} by worker '{worker}' has expired; fetch the task "
                             "again with fetchAndLock (or keep the lock with extendLock)",
    "external.case_not_running": "case {case} is not running (it is completed or an incident)",
    "external.task_interrupted": "external task {id} no longer waits for a worker: the case went on",
    "external.completed_at_once": "external task {id} was completed twice at once; the first completion counts",
    "external.error_code": "errorCode is required: a non-empty string of at most 255 characters",
    "external.error_not_caught": "the diagram has no boundary error event with code '{error_code}' on task {element}: "
                                 "draw an Error boundary event on it whose error has errorCode='{error_code}' and a flow "
                                 "from it — or report a failure with /failure",
    "external.topic_missing": "the service task has no topic: set camunda:topic",
    "external.topic_long": "the topic is longer than {limit} characters",
    "external.topic_both": "topic '{topic}' is handled by Otklik itself, yet the task is declared external "
                           "(external = true): remove the external property or choose another topic name",
    "external.external_value": "the external property takes only the value true (it is '{value}')",
    "external.error_boundary_not_worker": "an error boundary event catches only an external worker's bpmnError: "
                                          "attach it to a service task with the property external = true",
    "external.error_code_missing": "error {error} has no errorCode: set its Code (or remove the reference, so "
                                   "the event catches any code)",
}
