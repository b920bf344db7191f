"""Refusals of the directory (organisations, officials, roles, substitutions): the admin pages and
``otklik users``/``otklik orgs`` show them.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "directory.password_short": "пароль должен быть не короче {limit} символов",
    "directory.key_invalid": "{what} '{key}': используйте от 2 до 64 строчных латинских букв, цифр и _, первой — букву",
    "directory.what_organisation_key": "ключ организации",
    "directory.what_login": "логин",
    "directory.kind_unknown": "неизвестный вид '{kind}'; допустимы: {kinds}",
    "directory.organisation_name_missing": "укажите название организации",
    "directory.organisation_name_long": "название организации длиннее {limit} символов",
    "directory.organisation_exists": "организация '{key}' уже есть",
    "directory.parent_other_region": "вышестоящая организация '{parent}' относится к региону {parent_region}, а не {region}",
    "directory.organisation_missing": "организации '{key}' нет",
    "directory.full_name_missing": "укажите ФИО сотрудника",
    "directory.full_name_long": "ФИО длиннее {limit} символов",
    "directory.login_taken": "логин '{login}' уже занят",
    "directory.official_missing": "сотрудника '{login}' нет",
    "directory.own_account": "сотрудник не может отключить собственную учётную запись",
    "directory.role_unknown": "неизвестная роль '{role}'; допустимы: {roles}",
    "directory.role_dates": "окончание роли должно быть позже её начала",
    "directory.membership_missing": "назначения {id} нет",
    "directory.own_admin_role": "администратор не может снять с себя роль администратора",
    "directory.substitute_self": "сотрудник не может замещать сам себя",
    "directory.substitution_dates": "окончание замещения должно быть позже его начала",
    "directory.substitution_missing": "замещения {id} нет",
    # Territories (regions and municipalities): engine/directory/territories.py, otklik regions
    "territory.unknown": "неизвестная территория '{key}'; известные: {known}",
    "territory.key_invalid": "ключ территории '{key}': от 2 до 32 строчных латинских букв, цифр и _, первой — буква",
    "territory.exists": "территория '{key}' уже есть",
    "territory.missing": "территории '{key}' нет",
    "territory.name_missing": "укажите название территории",
    "territory.name_long": "название территории длиннее {limit} символов",
    "territory.timezone_unknown": "«{timezone}» — не часовой пояс IANA; например, Asia/Yekaterinburg",
    "territory.kind_unknown": "неизвестный вид территории '{kind}'; допустимы: {kinds}",
    "territory.parent_needed": "муниципалитету нужен регион: укажите ключ региона",
    "territory.parent_unknown": "региона '{parent}' нет; известные регионы: {known}",
    "territory.parent_municipality": "'{parent}' — муниципалитет; вышестоящей может быть только территория вида «регион»",
    "territory.region_with_parent": "у региона нет вышестоящей территории; муниципалитет создаётся с видом municipality",
    "territory.date_invalid": "«{text}» — не дата; пишите ГГГГ-ММ-ДД, например 2026-05-08",
    "territory.date_both": "{dates}: дата не может быть одновременно праздником и рабочим днём",
    "territory.date_year": "{day}: год должен быть от {first} до {last}",
    "territory.schedule_invalid": "график работы: {error}",
    "territory.cli_added": "территория {key} добавлена: {name}, {timezone}",
    "territory.cli_changed": "территория {key} изменена; процессы увидят её со следующей операции",
    "territory.cli_none": "территорий нет",
    "territory.diagram_undeclared": "процесс «{process}» не говорит, какую территорию обслуживает: задайте свойству процесса "
        "'region' ключ одной из: {known}",
    "territory.deploy_process_elsewhere": "id процесса '{process}' уже занят процедурой территории '{other}'; для '{region}' "
        "выберите другой id",
    "territory.deploy_two_in_one": "обе схемы, '{process}' и '{other}', объявляют территорию '{region}'; у территории одна "
        "процедура",
    "territory.deploy_now_serves": "{file}: новые сообщения территории '{region}' теперь запускают процедуру '{process}'; "
        "'{previous}' доводит начатые дела",
    "territory.no_procedure": "для территории '{region}' не развёрнута процедура; разверните схему со свойством процесса region "
        "= {region}",
}

EN: dict[str, str] = {
    "directory.password_short": "the password must be at least {limit} characters long",
    "directory.key_invalid": "{what} '{key}': use 2–64 latin lower-case letters, digits and _, starting with a letter",
    "directory.what_organisation_key": "organisation key",
    "directory.what_login": "login",
    "directory.kind_unknown": "unknown kind '{kind}'; use one of: {kinds}",
    "directory.organisation_name_missing": "the organisation needs a name",
    "directory.organisation_name_long": "the organisation name is longer than {limit} characters",
    "directory.organisation_exists": "organisation '{key}' already exists",
    "directory.parent_other_region": "the parent organisation '{parent}' is in {parent_region}, not {region}",
    "directory.organisation_missing": "organisation '{key}' does not exist",
    "directory.full_name_missing": "the official needs a full name",
    "directory.full_name_long": "the full name is longer than {limit} characters",
    "directory.login_taken": "login '{login}' is taken",
    "directory.official_missing": "official '{login}' does not exist",
    "directory.own_account": "an official cannot deactivate their own account",
    "directory.role_unknown": "unknown role '{role}'; use one of: {roles}",
    "directory.role_dates": "the role must end after it starts",
    "directory.membership_missing": "membership {id} does not exist",
    "directory.own_admin_role": "an administrator cannot revoke their own administrator role",
    "directory.substitute_self": "an official cannot substitute for themselves",
    "directory.substitution_dates": "the substitution must end after it starts",
    "directory.substitution_missing": "substitution {id} does not exist",
    # Territories (regions and municipalities): engine/directory/territories.py, otklik regions
    "territory.unknown": "unknown region '{key}'; known regions: {known}",
    "territory.key_invalid": "territory key '{key}': use 2–32 latin lower-case letters, digits and _, starting with a letter",
    "territory.exists": "territory '{key}' already exists",
    "territory.missing": "territory '{key}' does not exist",
    "territory.name_missing": "the territory needs a name",
    "territory.name_long": "the territory name is longer than {limit} characters",
    "territory.timezone_unknown": "'{timezone}' is not an IANA time zone; e.g. Asia/Yekaterinburg",
    "territory.kind_unknown": "unknown kind of territory '{kind}'; use one of: {kinds}",
    "territory.parent_needed": "a municipality needs its region: give the region's key",
    "territory.parent_unknown": "there is no region '{parent}'; known regions: {known}",
    "territory.parent_municipality": "'{parent}' is a municipality; only a territory of kind region can be a parent",
    "territory.region_with_parent": "a region has no parent territory; create a municipality with kind municipality",
    "territory.date_invalid": "'{text}' is not a date; write YYYY-MM-DD, e.g. 2026-05-08",
    "territory.date_both": "{dates}: a date cannot be both a holiday and a working day",
    "territory.date_year": "{day}: the year must be between {first} and {last}",
    "territory.schedule_invalid": "working schedule: {error}",
    "territory.cli_added": "territory {key} added: {name}, {timezone}",
    "territory.cli_changed": "territory {key} changed; every process uses it from its next unit of work",
    "territory.cli_none": "no territories",
    "territory.diagram_undeclared": "process '{process}' does not say which territory it serves: set the process property "
        "'region' to the key of one of: {known}",
    "territory.deploy_process_elsewhere": "process id '{process}' is already the procedure of territory '{other}'; choose "
        "another id for '{region}'",
    "territory.deploy_two_in_one": "both diagrams, '{process}' and '{other}', declare territory '{region}'; a territory has one "
        "procedure",
    "territory.deploy_now_serves": "{file}: new messages of territory '{region}' now start procedure '{process}'; '{previous}' "
        "finishes the cases it has begun",
    "territory.no_procedure": "no procedure is deployed for territory '{region}'; deploy a diagram whose process property region "
        "is {region}",
}
