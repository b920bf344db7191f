"""Texts of the scheduled summary reports (engine.deployment.report_rules, engine.reports.schedule), by code.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "schedule.missing": "процесс объявляет расписание отчёта (свойства report.*), но не «{name}» ({meaning}): добавьте "
                        "процессу свойство {name}",
    "schedule.meaning.report.period": "за какой период отчёт: month (месяц) или quarter (квартал)",
    "schedule.meaning.report.recipient": "кому направить, например deputy_minister или governor deputy_governor",
    "schedule.meaning.report.due": "когда после конца периода: «1 working_days» (в начале 1-го рабочего дня) или "
                                   "«4 days» (через 4 календарных дня)",
    "schedule.period_unknown": "свойство процесса «report.period»: «{value}» — не период отчёта; допустимо: {known}",
    "schedule.recipient_unknown": "свойство процесса «report.recipient»: получатель «{value}» не может получать "
                                  "сводный отчёт; допустимы (через пробел): {known}",
    "schedule.due_bad": "свойство процесса «report.due»: «{value}» — не срок; пишется число и единица через пробел "
                        "({units}), например «1 working_days» или «4 days»",
    "schedule.due_out_of_bounds": "свойство процесса «report.due»: «{value}» вне допустимого: {unit} от {least} "
                                  "до {greatest}",
    "schedule.clause_long": "свойство процесса «report.clause»: пункт акта длиннее {chars} символов",
    "schedule.clause_cited": " (п. {clause})",
    "schedule.subject": "Сводный отчёт за {period}: {region}{clause}",
    "schedule.body": "Отчёт за {period} ({region}) зафиксирован {frozen_at} ({zone}) и направлен по расписанию "
                     "процедуры{clause}; его цифры больше не изменятся.",
    "schedule.body_figures": "Сообщений: {messages}; отвечено: {answered}, из них в срок: {in_time}; без ответа "
                             "(угрозы, нецензурные, не подлежат обработке): {no_answer}; в работе: {open_cases}; "
                             "нарушений сроков акта: {violations}; нарушений параметров процедуры: {parameters}.",
    "schedule.body_page": "Отчёт: {link}",
    "schedule.body_xlsx": "Таблица XLSX: {link}",
}

EN: dict[str, str] = {
    "schedule.missing": "the process declares a report schedule (report.* properties) but not '{name}' ({meaning}): "
                        "add the process property {name}",
    "schedule.meaning.report.period": "the period one report covers: month or quarter",
    "schedule.meaning.report.recipient": "whom to send it, e.g. deputy_minister or governor deputy_governor",
    "schedule.meaning.report.due": "when after the period closes: '1 working_days' (at the start of the 1st working "
                                   "day) or '4 days' (4 calendar days later)",
    "schedule.period_unknown": "process property 'report.period': '{value}' is not a report period; allowed: {known}",
    "schedule.recipient_unknown": "process property 'report.recipient': recipient '{value}' cannot receive the summary "
                                  "report; allowed (space-separated): {known}",
    "schedule.due_bad": "process property 'report.due': '{value}' is not a term; write a number and a unit separated by "
                        "a space ({units}), e.g. '1 working_days' or '4 days'",
    "schedule.due_out_of_bounds": "process property 'report.due': '{value}' is out of bounds: {unit} from {least} "
                                  "to {greatest}",
    "schedule.clause_long": "process property 'report.clause': the act's clause is longer than {chars} characters",
    "schedule.clause_cited": " (clause {clause})",
    "schedule.subject": "Summary report for {period}: {region}{clause}",
    "schedule.body": "The report for {period} ({region}) was frozen at {frozen_at} ({zone}) and sent on the procedure's "
                     "schedule{clause}; its figures will not change any more.",
    "schedule.body_figures": "Messages: {messages}; answered: {answered}, on time: {in_time}; not answered (threats, "
                             "obscenities, not to be processed): {no_answer}; in progress: {open_cases}; breaches of "
                             "the act's deadlines: {violations}; breaches of procedure parameters: {parameters}.",
    "schedule.body_page": "Report: {link}",
    "schedule.body_xlsx": "XLSX spreadsheet: {link}",
}
