"""Integrations (issue 17 §2): files sent inline through the intake API
(engine/runtime/intake_files.py) and webhooks told when an answer is published
(engine/integrations/webhooks.py, web/admin_webhooks.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "intake.field.file_empty": "пустой файл",
    "intake.field.file_too_large": "файл больше допустимого размера",
    "intake.field.not_media": "файл — не фото и не видео (принимаются JPEG, PNG, GIF, WebP, MP4, WebM, MOV)",
    "intake.field.file_declared": "такой тип файла (content_type) не принимается",
    "intake.field.bad_base64": "data_base64 — не корректный Base64",
    "intake.field.files_total": "файлы запроса вместе больше допустимого: отправьте их в нескольких запросах",
}

EN: dict[str, str] = {
    "intake.field.file_empty": "empty file",
    "intake.field.file_too_large": "the file is larger than allowed",
    "intake.field.not_media": "the file is neither a photo nor a video (JPEG, PNG, GIF, WebP, MP4, WebM, MOV are taken)",
    "intake.field.file_declared": "this file type (content_type) is not accepted",
    "intake.field.bad_base64": "data_base64 is not valid Base64",
    "intake.field.files_total": "the request's files together are larger than allowed: send them in several requests",
}

RU.update({
    "webhook.url_bad": "адрес вебхука должен быть полным адресом https://…",
    "webhook.url_https": "адрес вебхука должен начинаться с https:// (http:// — только если разрешены внутренние адреса)",
    "webhook.url_credentials": "логин и пароль в адресе вебхука не допускаются: подпись удостоверяет отправителя",
    "webhook.url_private": "адрес вебхука ведёт во внутреннюю сеть или на этот сервер; это можно только явно разрешив "
                           "внутренние адреса",
    "webhook.url_unresolved": "имя хоста вебхука не найдено",
    "webhook.secret_bad": "секрет вебхука — от {low} до {high} печатных латинских символов",
    "webhook.territory_unknown": "территории «{territory}» нет",
    "webhook.missing": "у территории «{territory}» нет вебхука",
    "webhook.delivery_missing": "отправки вебхука {id} нет",
    "webhook.redirect": "получатель ответил перенаправлением ({status}); перенаправления не выполняются — укажите "
                        "конечный адрес",
    "webhook.status": "получатель ответил HTTP {status}",
    "webhook.too_slow": "получатель не ответил за {seconds} с",
})
EN.update({
    "webhook.url_bad": "a webhook's address must be a full https://… address",
    "webhook.url_https": "a webhook's address must start with https:// (http:// only where internal addresses are allowed)",
    "webhook.url_credentials": "no login or password in a webhook's address: the signature authenticates the sender",
    "webhook.url_private": "the webhook's address leads into the internal network or to this server; that needs internal "
                           "addresses explicitly allowed",
    "webhook.url_unresolved": "the webhook's host name was not found",
    "webhook.secret_bad": "a webhook's secret is {low} to {high} printable Latin characters",
    "webhook.territory_unknown": "there is no territory '{territory}'",
    "webhook.missing": "the territory '{territory}' has no webhook",
    "webhook.delivery_missing": "there is no webhook delivery {id}",
    "webhook.redirect": "the receiver answered with a redirect ({status}); redirects are not followed — give the final address",
    "webhook.status": "the receiver answered HTTP {status}",
    "webhook.too_slow": "the receiver did not answer within {seconds} s",
})
