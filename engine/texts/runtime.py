"""Refusals of the running cases (tasks, claims, registration, attachments): the 404/409 pages, a
form's field errors and the console show them.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "runtime.status.completed": "выполнена",
    "runtime.status.cancelled": "отменена",
    "runtime.someone_else": "другой сотрудник",
    "runtime.the_system": "система",
    "runtime.task_missing": "задачи {id} нет",
    "runtime.task_elsewhere": "эта задача относится к другой роли или организации",
    "runtime.task_already": "задача «{name}» уже {status}",
    "runtime.task_already_by": "задача «{name}» уже {status} (сотрудник {who})",
    "runtime.task_just": "задача «{name}» только что {status}",
    "runtime.task_just_by": "задача «{name}» только что {status} (кто: {who})",
    "runtime.claimed_complete": "задачу «{name}» взял в работу {who}: выполнить её может только он, "
                                "или куратор может вернуть её в группу",
    "runtime.claimed_unclaim": "задачу «{name}» взял в работу {who}: вернуть её в группу может только он или куратор",
    "runtime.unclaim_changed": "задача «{name}» изменилась, пока её возвращали в группу; откройте её снова",
    "runtime.case_missing": "дела задачи {id} нет",
    "runtime.task_not_waiting": "задача «{name}» больше не ждёт выполнения",
    "runtime.completed_at_once": "задачу «{name}» в тот же момент выполнил другой сотрудник",
    "runtime.network_unknown": "неизвестная соцсеть '{network}'; допустимы: {networks}",
    "runtime.needs_time_zone": "у {name} нет часового пояса",
    "runtime.detected_before_posted": "сообщение не может быть обнаружено раньше, чем опубликовано",
    "runtime.text_empty": "текст сообщения пуст",
    "runtime.no_procedure": "для региона '{region}' не развёрнута процедура '{process}'; выполните otklik deploy",
    "runtime.size_mb": "{size} МБ",
    "runtime.size_bytes": "{size} байт",
    "runtime.file_empty": "Файл «{name}» пуст.",
    "runtime.file_too_large": "Файл «{name}» больше {size}: уменьшите его или разделите.",
    "runtime.file_not_media": "Файл «{name}» не является фото или видео: принимаются JPEG, PNG, GIF, WebP, "
                              "MP4, WebM и MOV (содержимое файла не совпадает ни с одним из этих форматов).",
    "runtime.file_declared": "Файл «{name}» объявлен как {declared}: принимаются только фото и видео.",
    "runtime.message_missing": "сообщения {id} нет",
    "runtime.attachment_missing": "вложения {id} нет",
    "runtime.attachment_file_missing": "файла вложения {id} нет в папке загрузок",
}

EN: dict[str, str] = {
    "runtime.status.completed": "completed",
    "runtime.status.cancelled": "cancelled",
    "runtime.someone_else": "someone else",
    "runtime.the_system": "the system",
    "runtime.task_missing": "task {id} does not exist",
    "runtime.task_elsewhere": "this task belongs to another role or organisation",
    "runtime.task_already": "task '{name}' is already {status}",
    "runtime.task_already_by": "task '{name}' is already {status} by {who}",
    "runtime.task_just": "task '{name}' was just {status}",
    "runtime.task_just_by": "task '{name}' was just {status} by {who}",
    "runtime.claimed_complete": "task '{name}' is claimed by {who}; only they can complete it, "
                                "or a curator can unclaim it",
    "runtime.claimed_unclaim": "task '{name}' is claimed by {who}; only they or a curator can unclaim it",
    "runtime.unclaim_changed": "task '{name}' changed while it was being unclaimed; open it again",
    "runtime.case_missing": "case of task {id} does not exist",
    "runtime.task_not_waiting": "task '{name}' is no longer waiting for completion",
    "runtime.completed_at_once": "task '{name}' was completed at the same moment by someone else",
    "runtime.network_unknown": "unknown network '{network}'; use one of: {networks}",
    "runtime.needs_time_zone": "{name} needs a time zone",
    "runtime.detected_before_posted": "a message cannot be detected before it was posted",
    "runtime.text_empty": "the message text is empty",
    "runtime.no_procedure": "no procedure is deployed for region '{region}' under '{process}'; run otklik deploy",
    "runtime.size_mb": "{size} MB",
    "runtime.size_bytes": "{size} bytes",
    "runtime.file_empty": "File '{name}' is empty.",
    "runtime.file_too_large": "File '{name}' is larger than {size}: make it smaller or split it.",
    "runtime.file_not_media": "File '{name}' is not a photo or video: JPEG, PNG, GIF, WebP, MP4, WebM and MOV "
                              "are accepted (the file's content matches none of these formats).",
    "runtime.file_declared": "File '{name}' is declared as {declared}: only photos and videos are accepted.",
    "runtime.message_missing": "message {id} does not exist",
    "runtime.attachment_missing": "attachment {id} does not exist",
    "runtime.attachment_file_missing": "the file of attachment {id} is missing from the upload directory",
}
