"""Texts of surges of social activity (engine.surges, engine.deployment.surge_rules), by code.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "surge.missing": "процесс объявляет правило всплеска (свойства surge.*), но не «{name}» ({meaning}): добавьте "
                     "процессу свойство {name}",
    "surge.not_number": "свойство процесса «{name}»: «{value}» — не число; допустимо от {least} до {greatest}",
    "surge.not_whole": "свойство процесса «{name}»: «{value}» — не целое число; допустимо от {least} до {greatest}",
    "surge.out_of_bounds": "свойство процесса «{name}»: {value} вне допустимого: от {least} до {greatest}",
    "surge.recipient_unknown": ("свойство процесса «surge.recipient»: получатель «{value}» не подходит (всплеск не "
                                "относится к делу одного органа); допустимы (через пробел): {known}"),
    "surge.clause_long": "свойство процесса «surge.clause»: пункт акта длиннее {chars} символов",
    "surge.meaning.surge.window": "окно подсчёта в минутах, от 5 до 1440",
    "surge.meaning.surge.baseline_days": "за сколько дней до окна считать обычный уровень, от 1 до 90",
    "surge.meaning.surge.factor": "во сколько раз выше обычного — всплеск, от 1 до 100",
    "surge.meaning.surge.minimum": "наименьшее число сообщений в окне, от 2 до 10000",
    "surge.meaning.surge.recipient": "кому сообщить, например governor",
    "surge.rule": "Всплеск: от {minimum} одной темы и места за {window}, в {factor} выше обычного за {days} → {to}{clause}",
    "surge.clause_cited": " (п. {clause})",
    "surge.to.governor": "Губернатору",
    "surge.to.supervisor": "контролирующему",
    "surge.to.deputy_minister": "заместителю министра",
    "surge.to.authorities": "в государственные органы",
    "surge.to.agency_head": "руководителю органа",
    "surge.to.deputy_governor": "заместителю Губернатора",
    "surge.subject": "Всплеск социальной активности: {topic}, {location} — {count} за {window}{clause}",
    "surge.body": ("С {start} по {end} ({zone}) зарегистрировано: {count}; тема «{topic}», место: {location}. "
                   "Обычно за такое окно — {baseline} (среднее за {days}); порог правила процедуры — {threshold}."),
    "surge.body_messages": "Сообщения:",
    "surge.body_more": "… и ещё {more}",
    "surge.body_page": "Всплеск целиком: {link}",
    "surge.no_location": "место не указано",
    "surge.not_found": "всплеска № {id} нет среди всплесков ваших территорий",
    "surge.forbidden": "всплески видят куратор, контролирующий, проверяющий и те, кому о них сообщают",
    "compare.row.surge": "Всплеск социальной активности",
    "surge.word.messages.one": "сообщение", "surge.word.messages.few": "сообщения", "surge.word.messages.many": "сообщений",
    "surge.word.from_messages.one": "сообщения", "surge.word.from_messages.few": "сообщений", "surge.word.from_messages.many": "сообщений",
    "surge.word.minutes.one": "минуту", "surge.word.minutes.few": "минуты", "surge.word.minutes.many": "минут",
    "surge.word.days.one": "день", "surge.word.days.few": "дня", "surge.word.days.many": "дней",
    "surge.word.times.one": "раз", "surge.word.times.few": "раза", "surge.word.times.many": "раз",
}

EN: dict[str, str] = {
    "surge.missing": "the process declares a surge rule (surge.* properties) but not '{name}' ({meaning}): add the "
                     "process property {name}",
    "surge.not_number": "process property '{name}': '{value}' is not a number; allowed from {least} to {greatest}",
    "surge.not_whole": "process property '{name}': '{value}' is not a whole number; allowed from {least} to {greatest}",
    "surge.out_of_bounds": "process property '{name}': {value} is out of bounds: from {least} to {greatest}",
    "surge.recipient_unknown": ("process property 'surge.recipient': recipient '{value}' does not fit (a surge is not "
                                "one agency's case); allowed (space-separated): {known}"),
    "surge.clause_long": "process property 'surge.clause': the clause is longer than {chars} characters",
    "surge.meaning.surge.window": "the counting window in minutes, 5 to 1440",
    "surge.meaning.surge.baseline_days": "how many days before the window give the usual level, 1 to 90",
    "surge.meaning.surge.factor": "how many times the usual level is a surge, 1 to 100",
    "surge.meaning.surge.minimum": "the least number of messages in the window, 2 to 10000",
    "surge.meaning.surge.recipient": "whom to tell, e.g. governor",
    "surge.rule": "Surge: from {minimum} of one topic and place in {window}, {factor} the usual over {days} → {to}{clause}",
    "surge.clause_cited": " (cl. {clause})",
    "surge.to.governor": "the Governor",
    "surge.to.supervisor": "the supervisor",
    "surge.to.deputy_minister": "the deputy minister",
    "surge.to.authorities": "the state bodies",
    "surge.to.agency_head": "the agency head",
    "surge.to.deputy_governor": "the deputy governor",
    "surge.subject": "Surge of social activity: {topic}, {location} — {count} in {window}{clause}",
    "surge.body": ("From {start} to {end} ({zone}) registered: {count}; topic '{topic}', place: {location}. "
                   "Usually such a window has {baseline} (mean over {days}); the procedure's threshold is "
                   "{threshold}."),
    "surge.body_messages": "Messages:",
    "surge.body_more": "… and {more} more",
    "surge.body_page": "The whole surge: {link}",
    "surge.no_location": "place not given",
    "surge.not_found": "surge No. {id} is not among your territories' surges",
    "surge.forbidden": "surges are seen by the curator, the supervisor, the regulator and those they are reported to",
    "compare.row.surge": "Surge of social activity",
    "surge.word.messages.one": "message", "surge.word.messages.few": "messages", "surge.word.messages.many": "messages",
    "surge.word.from_messages.one": "message", "surge.word.from_messages.few": "messages", "surge.word.from_messages.many": "messages",
    "surge.word.minutes.one": "minute", "surge.word.minutes.few": "minutes", "surge.word.minutes.many": "minutes",
    "surge.word.days.one": "day", "surge.word.days.few": "days", "surge.word.days.many": "days",
    "surge.word.times.one": "time", "surge.word.times.few": "times", "surge.word.times.many": "times",
}
