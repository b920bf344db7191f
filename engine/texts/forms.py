"""Camunda Forms: checks at deployment and the field errors of a submission (engine/forms).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
A field error is shown next to its field, so it reads as an instruction to the person filling it in.
"""
from __future__ import annotations

RU: dict[str, str] = {
    # --- a submitted value (engine/forms/values.py) ---
    "forms.required": "Обязательное поле",
    "forms.not_text": "Введите текст",
    "forms.nul_characters": "Текст содержит недопустимые символы",
    "forms.too_short": "Не менее {limit} символов",
    "forms.too_long": "Не более {limit} символов",
    "forms.pattern_mismatch": "Значение не соответствует требуемому формату",
    "forms.not_email": "Введите адрес электронной почты",
    "forms.not_phone": "Введите номер телефона",
    "forms.not_number": "Введите число",
    "forms.number_too_large": "Слишком большое число",
    "forms.not_whole": "Введите целое число",
    "forms.too_many_decimals": "Не более {digits} знаков после запятой",
    "forms.below_minimum": "Не меньше {bound}",
    "forms.above_maximum": "Не больше {bound}",
    "forms.no_options": "Нет вариантов для выбора; обратитесь к администратору",
    "forms.one_of": "Выберите один из вариантов: {options}",
    "forms.one_of_offered": "Выберите один из предложенных вариантов",
    "forms.not_option_list": "Выберите варианты из списка",
    "forms.option_twice": "Вариант выбран дважды",
    "forms.not_boolean": "Недопустимое значение",
    "forms.not_date": "Введите дату",
    "forms.not_time": "Введите время",
    "forms.not_datetime": "Введите дату и время",
    "forms.too_many_files": "Не более {limit} файлов",
    "forms.single_file": "Можно приложить только один файл",
    "forms.not_file_list": "Недопустимый список файлов",
}

EN: dict[str, str] = {
    "forms.required": "required",
    "forms.not_text": "must be text",
    "forms.nul_characters": "must not contain NUL characters",
    "forms.too_short": "must be at least {limit} characters",
    "forms.too_long": "must be at most {limit} characters",
    "forms.pattern_mismatch": "does not match the required format",
    "forms.not_email": "must be an email address",
    "forms.not_phone": "must be a phone number",
    "forms.not_number": "must be a number",
    "forms.number_too_large": "is too large",
    "forms.not_whole": "must be a whole number",
    "forms.too_many_decimals": "must have at most {digits} digits after the point",
    "forms.below_minimum": "must be at least {bound}",
    "forms.above_maximum": "must be at most {bound}",
    "forms.no_options": "no options are available; ask the administrator",
    "forms.one_of": "must be one of: {options}",
    "forms.one_of_offered": "must be one of the offered options",
    "forms.not_option_list": "must be a list of options",
    "forms.option_twice": "must not list an option twice",
    "forms.not_boolean": "must be true or false",
    "forms.not_date": "must be a date like 2024-05-31",
    "forms.not_time": "must be a time like 14:30",
    "forms.not_datetime": "must be a date and time like 2024-05-31T14:30",
    "forms.too_many_files": "must be at most {limit} files",
    "forms.single_file": "must be a single file",
    "forms.not_file_list": "must be a list of file references",
}
