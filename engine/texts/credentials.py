"""Credentials for machines (issue 17): the API's authentication refusals and personal API
tokens (engine/directory/api_tokens.py, web/api_auth.py, web/api_tokens.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "api.auth_missing": "нужна авторизация: заголовок Authorization с Basic (логин и пароль сотрудника) "
                        "или Bearer (личный API-токен)",
    "api.auth_scheme": "схема авторизации «{scheme}» не поддерживается; используйте Basic или Bearer",
    "api.basic_malformed": "заголовок Basic должен содержать «логин:пароль» в Base64",
    "api.basic_refused": "неверный логин или пароль, либо учётная запись отключена",
    "api.bearer_refused": "токен не принят: он неверен, отозван, просрочен или его владелец отключён",
    "api.rate_limited": "слишком много неудачных попыток входа; повторите через {seconds} с",
    "token.name_missing": "укажите название токена",
    "token.name_long": "название токена длиннее {limit} символов",
    "token.expiry_past": "срок действия токена должен закончиться в будущем",
    "token.expiry_far": "срок действия токена — не больше {days} дней",
    "token.too_many": "у сотрудника уже {limit} действующих токенов; отзовите ненужный",
    "token.missing": "токена {id} нет",
    "token.inactive_owner": "сотрудник отключён: токен ему не выдать",
    "token.territory_not_held": "у сотрудника нет ролей на территории «{territory}»: ограничить ею токен нельзя",
}

EN: dict[str, str] = {
    "api.auth_missing": "authorisation required: an Authorization header with Basic (an official's login and "
                        "password) or Bearer (a personal API token)",
    "api.auth_scheme": "the authorisation scheme '{scheme}' is not supported; use Basic or Bearer",
    "api.basic_malformed": "a Basic header must hold 'login:password' in Base64",
    "api.basic_refused": "wrong login or password, or the account is deactivated",
    "api.bearer_refused": "token refused: it is wrong, revoked or expired, or its owner is deactivated",
    "api.rate_limited": "too many failed sign-in attempts; try again in {seconds} s",
    "token.name_missing": "give the token a name",
    "token.name_long": "the token's name is longer than {limit} characters",
    "token.expiry_past": "a token must expire in the future",
    "token.expiry_far": "a token may last at most {days} days",
    "token.too_many": "the official already has {limit} active tokens; revoke one they no longer need",
    "token.missing": "there is no token {id}",
    "token.inactive_owner": "the official is deactivated: no token can be issued to them",
    "token.territory_not_held": "the official holds no role in the territory '{territory}': a token cannot be limited to it",
}
