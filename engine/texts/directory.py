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
}
