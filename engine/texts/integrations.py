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
