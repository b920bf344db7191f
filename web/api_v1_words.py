"""The intake API's docs page in words for people (Russian, English through the catalogue): the
OpenAPI document keeps its English for machines and integrators' tools; a person reading
/api/v1/docs reads these. A test checks every operation, answer and field has its words."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from engine.runtime.intake_files import MAX_FILES_PER_MESSAGE, MAX_REQUEST_BYTES

SUMMARIES = {
    ("post", "/api/v1/messages"): _l("Принять одно сообщение (объект) или пакет (массив до 500 объектов)"),
    ("get", "/api/v1/messages/{id}"): _l("Состояние сообщения: статус, сроки, опубликованный ответ"),
    ("get", "/api/v1/openapi.json"): _l("Описание API в формате OpenAPI 3.1"),
    ("get", "/api/v1/docs"): _l("Эта страница"),
}
ANSWERS = {
    "Taken: a new message and its case": _l("Принято: новое сообщение и его дело"),
    "The same source and source_id was taken before: that message": _l(
        "Сообщение с теми же source и source_id уже принято: оно и возвращается"),
    "An array: one result per item": _l("Массив: результат для каждого элемента"),
    "Not JSON, or an empty array": _l("Не JSON или пустой массив"),
    "No or wrong credentials": _l("Нет учётных данных или они неверны"),
    "Not a curator of the message's territory, or the token is limited to another (out_of_scope)":
        _l("Вы не куратор территории сообщения, или токен ограничен другой территорией (out_of_scope)"),
    "Body or batch too large": _l("Слишком большое тело запроса или пакет"),
    "The message is refused: fields lists every problem": _l("Сообщение не принято: в fields — каждая ошибка"),
    "Too many requests for this login": _l("Слишком много запросов с этого логина"),
    "The message as its card shows it": _l("Сообщение так, как его показывает карточка"),
    "No such message, or not visible to the caller": _l("Такого сообщения нет или оно вам не видно"),
    "OpenAPI 3.1": _l("Документ OpenAPI 3.1"),
    "HTML": _l("Страница HTML"),
}
FIELDS = {
    "region": _l("Ключ территории: региона или муниципалитета (например, orenburg)."),
    "network": _l("Ключ сети: vk, ok, telegram, blog, site, messenger, facebook, twitter, instagram."),
    "url": _l("Адрес публикации, http:// или https://."),
    "author": _l("Автор публикации."),
    "text": _l("Текст публикации."),
    "posted_at": _l("Когда размещено: ISO 8601 со смещением; время без смещения не принимается."),
    "detected_at": _l("Когда выявлено: ISO 8601 со смещением, не раньше posted_at."),
    "source": _l("Система, приславшая сообщение; вместе с source_id — его идентичность."),
    "source_id": _l("Номер сообщения в этой системе: повторная отправка с теми же source и source_id находит первое (200)."),
    "attachments": _l("Фото или видео: ссылкой (строка или {url}) — хранятся как ссылки, сервер их не загружает; "
                      "или самим файлом ({name, content_type, data_base64}) — проверяется и хранится как файл, "
                      "приложенный сотрудником (не больше %(files)d файлов на сообщение и %(mib)d МиБ на запрос).",
                      files=MAX_FILES_PER_MESSAGE, mib=MAX_REQUEST_BYTES // (1024 * 1024)),
}
