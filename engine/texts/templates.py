"""Texts of templates and their adoption (engine.bpmn.template_parameters, engine.templates,
``otklik templates``), by code.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "templates.type.hours": "рабочих часов (целое число)",
    "templates.type.days": "рабочих дней (целое число)",
    "templates.type.boolean": "да/нет (true или false)",
    "templates.type.choice": "один из вариантов",
    "templates.type.text": "текст",
    # Declarations, at deployment (the element is the process).
    "templates.attribute_unknown": "свойство процесса «{property}» неизвестно: параметр шаблона объявляется "
                                   "свойствами param.<имя>.<атрибут>, атрибуты: {known}",
    "templates.name_invalid": "параметр шаблона «{name}»: имя — латинские буквы, цифры и _, не с _ и не с цифры",
    "templates.type_missing": "параметр шаблона «{name}» без типа: добавьте процессу свойство param.{name}.type, "
                              "одно из: {types}",
    "templates.type_unknown": "свойство param.{name}.type: тип «{value}» неизвестен; допустимы: {types}",
    "templates.choices_missing": "параметр «{name}» типа choice: перечислите допустимые значения через запятую в "
                                 "свойстве param.{name}.choices",
    "templates.choices_not_choice": "свойство param.{name}.choices бывает только у параметра типа choice",
    "templates.default_missing": "параметр шаблона «{name}» без значения по умолчанию: добавьте процессу свойство "
                                 "var.{name}",
    "templates.default_mismatch": "свойство var.{name} = {value} не подходит параметру «{name}»: ожидается {type} "
                                  "(строка — в кавычках: 'official')",
    "templates.default_refused": "значение по умолчанию var.{name}: {problem}",
    "templates.flag_invalid": "свойство процесса template: «{value}» — укажите true (шаблон) или false",
    "templates.source_invalid": "свойства template.source («{source}») и template.version («{version}») задаются "
                                "вместе: ключ шаблона и номер его версии (целое число)",
    "templates.template_from_template": "шаблон не может быть принят из шаблона «{source}»: уберите template.source "
                                        "и template.version или template = true",
    # Values, at adoption and upgrade.
    "templates.value_not_number": "параметр «{name}» ({label}): «{value}» — не целое неотрицательное число; "
                                  "ожидается {type}",
    "templates.value_too_big": "параметр «{name}» ({label}): {value} — больше предела {limit}",
    "templates.value_not_boolean": "параметр «{name}» ({label}): «{value}» — укажите true или false",
    "templates.value_not_choice": "параметр «{name}» ({label}): «{value}» — не из допустимых значений: {choices}",
    "templates.value_text": "параметр «{name}» ({label}): текст в одну строку, не длиннее {limit} символов",
    "templates.value_unknown": "у шаблона {template} нет параметра «{name}»; параметры: {names}",
    "templates.not_template": "шаблона «{template}» нет среди развёрнутых",
    "templates.no_version": "у шаблона «{template}» нет версии {version}",
    "templates.not_adopted": "процедура «{process}» не принята из шаблона",
    "templates.no_procedure": "процедуры «{process}» нет",
    "templates.territory_not_yours": "принять шаблон для территории «{territory}» (процедура {process}) может только "
                                     "аналитик этой территории",
    "templates.process_id_invalid": "ключ процедуры «{process}»: латинские буквы, цифры и _, первой — буква, "
                                    "не длиннее {limit} символов",
    "templates.process_is_template": "«{process}» — ключ шаблона; выберите для процедуры другой ключ",
    "templates.territory_unknown": "территории «{territory}» нет; есть: {known}",
    "templates.default_not_moved": "параметр «{name}»: прежнее значение по умолчанию оставляют только там, где "
                                   "шаблон его изменил, а процедура его не меняла; таких параметров: {names}",
    "templates.template_authors_only": "{file}: шаблон «{process}» не объявляет территорию — он для всех "
                                       "муниципалитетов, и его версии развёртывают аналитики региона, в котором есть "
                                       "муниципалитеты (engine.directory.policy.template_authoring)",
    # At deployment of an adopted procedure (the element is the process).
    "templates.source_unknown": "свойство процесса template.source: шаблона «{source}» нет среди развёрнутых — "
                                "разверните шаблон или укажите ключ развёрнутого",
    "templates.source_version_unknown": "свойство процесса template.version: у шаблона «{source}» нет версии "
                                        "{version}; есть: {versions}",
    # otklik templates
    "templates.cli_none": "шаблонов не развёрнуто",
    "templates.cli_template": "{process}: {name}; версии: {versions}",
    "templates.cli_parameter": "  параметр {name} ({type}) = {default}: {label}",
    "templates.cli_adopter": "  принят: {territory} → {process}, версия шаблона {version}{behind}",
    "templates.cli_behind": " (есть новая: {newest})",
    "templates.cli_no_adopters": "  никем не принят",
    "templates.cli_set_invalid": "--set {value}: ожидается имя=значение",
    "templates.cli_adopted": "{process} версия {version}: принят шаблон {template} версии {template_version} "
                             "для {territory}",
    "templates.cli_unchanged": "{process}: без изменений, действует версия {version}",
    "templates.cli_kept": "  сохранён {name} = {value}",
    "templates.cli_added": "  добавлен {name} = {value} (по умолчанию нового шаблона)",
    "templates.cli_default_moved": "  значение по умолчанию {name} изменилось: {old} → {new}; процедура его не "
                                   "меняла — берётся {new} (--keep-default {name} оставит {old})",
    "templates.cli_default_kept": "  значение по умолчанию {name} изменилось: {old} → {new}; остаётся {old} "
                                  "(--keep-default)",
    "templates.cli_removed": "  удалён {name} (было {value}): в новой версии шаблона его нет",
    "templates.cli_plan": "{process}: шаблон {template}, принята версия {current}, новейшая {newest}",
    "templates.cli_change_added": "  добавлен элемент {element} «{name}»",
    "templates.cli_change_removed": "  удалён элемент {element} «{name}»",
    "templates.cli_change_changed": "  изменён элемент {element} «{name}»: {reasons}",
}

EN: dict[str, str] = {
    "templates.type.hours": "working hours (a whole number)",
    "templates.type.days": "working days (a whole number)",
    "templates.type.boolean": "yes/no (true or false)",
    "templates.type.choice": "one of the choices",
    "templates.type.text": "text",
    "templates.attribute_unknown": "process property '{property}' is unknown: a template parameter is declared by "
                                   "properties param.<name>.<attribute>, attributes: {known}",
    "templates.name_invalid": "template parameter '{name}': a name is Latin letters, digits and _, not starting "
                              "with _ or a digit",
    "templates.type_missing": "template parameter '{name}' has no type: add the process property param.{name}.type, "
                              "one of: {types}",
    "templates.type_unknown": "property param.{name}.type: type '{value}' is unknown; known: {types}",
    "templates.choices_missing": "parameter '{name}' of type choice: list the allowed values, comma-separated, in "
                                 "the property param.{name}.choices",
    "templates.choices_not_choice": "property param.{name}.choices is for a parameter of type choice only",
    "templates.default_missing": "template parameter '{name}' has no default: add the process property var.{name}",
    "templates.default_mismatch": "property var.{name} = {value} does not fit parameter '{name}': expected {type} "
                                  "(a string in quotes: 'official')",
    "templates.default_refused": "the default var.{name}: {problem}",
    "templates.flag_invalid": "process property template: '{value}' - set true (a template) or false",
    "templates.source_invalid": "properties template.source ('{source}') and template.version ('{version}') go "
                                "together: the template's key and its version number (a whole number)",
    "templates.template_from_template": "a template cannot be adopted from template '{source}': remove "
                                        "template.source and template.version, or template = true",
    "templates.value_not_number": "parameter '{name}' ({label}): '{value}' is not a whole non-negative number; "
                                  "expected {type}",
    "templates.value_too_big": "parameter '{name}' ({label}): {value} is above the limit {limit}",
    "templates.value_not_boolean": "parameter '{name}' ({label}): '{value}' - give true or false",
    "templates.value_not_choice": "parameter '{name}' ({label}): '{value}' is not one of the allowed values: {choices}",
    "templates.value_text": "parameter '{name}' ({label}): one line of text, at most {limit} characters",
    "templates.value_unknown": "template {template} has no parameter '{name}'; its parameters: {names}",
    "templates.not_template": "there is no deployed template '{template}'",
    "templates.no_version": "template '{template}' has no version {version}",
    "templates.not_adopted": "procedure '{process}' was not adopted from a template",
    "templates.no_procedure": "there is no procedure '{process}'",
    "templates.territory_not_yours": "only an analyst of territory '{territory}' may adopt a template for it "
                                     "(procedure {process})",
    "templates.process_id_invalid": "procedure key '{process}': Latin letters, digits and _, starting with a letter, "
                                    "at most {limit} characters",
    "templates.process_is_template": "'{process}' is a template's key; choose another key for the procedure",
    "templates.territory_unknown": "there is no territory '{territory}'; known: {known}",
    "templates.default_not_moved": "parameter '{name}': an old default is kept only where the template changed "
                                   "it and the procedure had not; such parameters: {names}",
    "templates.template_authors_only": "{file}: template '{process}' declares no territory - it is every "
                                       "municipality's, and its versions are deployed by the analysts of a region "
                                       "that has municipalities (engine.directory.policy.template_authoring)",
    "templates.source_unknown": "process property template.source: there is no deployed template '{source}' - "
                                "deploy the template or give the key of a deployed one",
    "templates.source_version_unknown": "process property template.version: template '{source}' has no version "
                                        "{version}; it has: {versions}",
    "templates.cli_none": "no templates deployed",
    "templates.cli_template": "{process}: {name}; versions: {versions}",
    "templates.cli_parameter": "  parameter {name} ({type}) = {default}: {label}",
    "templates.cli_adopter": "  adopted: {territory} -> {process}, template version {version}{behind}",
    "templates.cli_behind": " (newer: {newest})",
    "templates.cli_no_adopters": "  adopted by nobody",
    "templates.cli_set_invalid": "--set {value}: expected name=value",
    "templates.cli_adopted": "{process} version {version}: adopted template {template} version {template_version} "
                             "for {territory}",
    "templates.cli_unchanged": "{process}: unchanged, version {version} in force",
    "templates.cli_kept": "  kept {name} = {value}",
    "templates.cli_added": "  added {name} = {value} (the new template's default)",
    "templates.cli_default_moved": "  default of {name} changed: {old} -> {new}; the procedure had kept the "
                                   "default - {new} is taken (--keep-default {name} keeps {old})",
    "templates.cli_default_kept": "  default of {name} changed: {old} -> {new}; {old} is kept (--keep-default)",
    "templates.cli_removed": "  removed {name} (was {value}): the new template version has none",
    "templates.cli_plan": "{process}: template {template}, adopted version {current}, newest {newest}",
    "templates.cli_change_added": "  added element {element} '{name}'",
    "templates.cli_change_removed": "  removed element {element} '{name}'",
    "templates.cli_change_changed": "  changed element {element} '{name}': {reasons}",
}
