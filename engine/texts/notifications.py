"""Texts of notifications (engine.notifications): their subjects and bodies, the e-mail around them,
and why a delivery failed, by code.

A notification is written once, when the act orders it, and read later by people whose language is
not known then (an e-mail, a state body): it is written in Russian, the language of the acts and of
the officials (engine.notifications.routing renders these in DEFAULT_LANGUAGE); the English table
keeps the same codes for the console and for the tests of the table.
"""
from __future__ import annotations

RU: dict[str, str] = {
    "notifications.violation_subject": "Нарушен срок п. {clause}: {deadline} (срок {due})",
    "notifications.violation_subject_parameter": ("Нарушен срок «{deadline}» — параметр процедуры, не срок "
                                                  "постановления (срок {due})"),
    "notifications.violation_body": ("Дело № {case}: срок «{deadline}» истёк {due}. "
                                     "Ответственная организация: {organisation}."),
    "notifications.no_organisation": "не определена",
    "notifications.mail_case": "Дело: {link}",
    "notifications.mail_footer": ("Это уведомление системы «Отклик» ({region}). Все уведомления — на странице "
                                  "«Уведомления»."),
    "notifications.mail_off": "отправка e-mail выключена: не задан OTKLIK_SMTP_HOST",
    "notifications.no_address": "у организации не указан адрес e-mail",
    "notifications.email_invalid": "«{value}» — не адрес e-mail (вида имя@домен.ru, не длиннее {limit} символов)",
}

EN: dict[str, str] = {
    "notifications.violation_subject": "Deadline missed, cl. {clause}: {deadline} (due {due})",
    "notifications.violation_subject_parameter": ("Deadline missed '{deadline}' — a procedure parameter, not a "
                                                  "deadline of the act (due {due})"),
    "notifications.violation_body": ("Case no. {case}: the deadline '{deadline}' passed at {due}. "
                                     "Responsible organisation: {organisation}."),
    "notifications.no_organisation": "not determined",
    "notifications.mail_case": "Case: {link}",
    "notifications.mail_footer": "This is a notification of Otklik ({region}). All notifications: the Notifications page.",
    "notifications.mail_off": "e-mail is off: OTKLIK_SMTP_HOST is not set",
    "notifications.no_address": "the organisation has no e-mail address",
    "notifications.email_invalid": "'{value}' is not an e-mail address (like name@domain.ru, at most {limit} characters)",
}
