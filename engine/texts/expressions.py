"""The restricted expression language's refusals and run-time errors (engine/expressions).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
{snippet} is the quoted part of the analyst's expression, {kind}/{left}/{right} Python type names:
both stay as written, in either language. EN is the text the suite has always asserted: keep it verbatim.
"""
from __future__ import annotations

RU: dict[str, str] = {
    # Refused when the diagram is checked (engine.expressions.language._check_shape, syntax._REFUSED).
    "expression.attribute": "обращение к атрибуту не допускается; пишите x['key'] (в {snippet})",
    "expression.lambda": "lambda не допускается; используйте функцию каталога (в {snippet})",
    "expression.walrus": "присваивание (:=) не допускается; для сравнения используйте == (в {snippet})",
    "expression.fstring": "f-строки не допускаются; используйте str(x) и + (в {snippet})",
    "expression.starred": "распаковка через * не допускается; перечислите элементы (в {snippet})",
    "expression.comprehension": "генераторы списков и выражения-генераторы не допускаются; "
                                "используйте any(), all(), sum() или функцию каталога (в {snippet})",
    "expression.await_yield": "await и yield не допускаются (в {snippet})",
    "expression.bitwise": "побитовые операторы (~ & | ^ << >> @) не допускаются; используйте not, and, or (в {snippet})",
    "expression.not_allowed": "конструкция {kind} не допускается (в {snippet})",
    "expression.literal_not_allowed": "литералы типа {kind} не допускаются (в {snippet}); "
                                      "используйте текст, числа, True, False или None",
    "expression.underscore_name": "имена, начинающиеся с '_', не допускаются ({name}); переименуйте переменную",
    "expression.dict_unpacking": "распаковка словаря (**) не допускается (в {snippet}); перечислите ключи",
    "expression.power_exponent": "для ** нужен показатель степени — целое число от 0 до {limit}, записанное в самом "
                                 "выражении (в {snippet}); например, x ** 2",
    "expression.percent_format": "форматирование текста через % не допускается (в {snippet}); используйте str(x) и +",
    "expression.call_by_name": "вызывать можно только функции каталога, по имени (в {snippet}); например, working_hours(9)",
    "expression.argument_unpacking": "распаковка аргументов (**) не допускается (в {snippet}); передайте аргументы по одному",
    "expression.too_many_elements": "выражение слишком длинное (больше {limit} элементов); "
                                    "разделите его или используйте функцию каталога",
    "expression.too_deep": "выражение слишком глубоко вложено (больше {limit} уровней); упростите его",
    # Reading the text.
    "expression.syntax_error": "синтаксическая ошибка: {detail}; напишите одно выражение в стиле Python",
    "expression.syntax_error_at": "синтаксическая ошибка в позиции {column}: {detail}; "
                                  "напишите одно выражение в стиле Python",
    "expression.several": "допускается только одно выражение, найдено {count}; уберите ';' и лишние строки",
    "expression.assignment": "присваивание не допускается; для сравнения используйте ==",
    "expression.statement": "инструкции не допускаются (найдена {name}); напишите одно выражение, "
                            "например category == 'threat'",
    "expression.juel": "выражения JUEL ({prefix}{{...}}) не поддерживаются: запишите условие простым выражением, "
                       "например category == 'threat'",
    "expression.feel": "выражения FEEL (=...) не поддерживаются: уберите '=' в начале и запишите простое выражение, "
                       "например category == 'threat'",
    "expression.empty": "выражение пустое; напишите, например, category == 'threat'",
    "expression.too_deep_to_read": "выражение вложено слишком глубоко, чтобы его прочитать; упростите его",
    "expression.not_text": "выражение должно быть текстом, а не {kind}",
    "expression.too_long": "выражение слишком длинное ({length} символов, допускается не больше {limit}); "
                           "используйте функцию каталога",
    "expression.unknown_function": "функции {name} нет в каталоге; доступны: {available}",
    # Computing (engine.expressions.language._Evaluator), also for constant parts at deployment.
    "expression.number_too_big": "{snippet} даёт число больше +/-10**18; используйте числа поменьше",
    "expression.too_many_items": "{snippet} даёт больше {limit} элементов; стройте значения поменьше",
    "expression.division_by_zero": "деление на ноль (в {snippet})",
    "expression.no_such_key": "нет ключа {key}; проверьте ключ или сначала проверьте его наличие через 'in' (в {snippet})",
    "expression.no_key": "нет ключа; проверьте ключ или сначала проверьте его наличие через 'in' (в {snippet})",
    "expression.index_out_of_range": "индекс вне диапазона; сначала проверьте длину (в {snippet})",
    "expression.not_boolean": "значение типа {kind} нельзя использовать как истину или ложь (в {snippet})",
    "expression.unknown_name": "неизвестное имя {name}: такой переменной нет в данных задачи; "
                               "проверьте написание или возьмите текст в кавычки",
    "expression.cannot_compare": "нельзя сравнить {left} {symbol} {right} (в {snippet})",
    "expression.cannot_apply": "нельзя применить {symbol} к {kind} (в {snippet})",
    "expression.cannot_compute": "нельзя вычислить {left} {symbol} {right} (в {snippet})",
    "expression.result_too_many_items": "в результате было бы больше {limit} элементов; стройте значения поменьше (в {snippet})",
    "expression.run_percent_format": "форматирование текста через % не допускается; используйте str(x) и + (в {snippet})",
    "expression.repeat_by_whole": "нельзя вычислить {left} * {right}; последовательность повторяют целое число раз (в {snippet})",
    "expression.result_too_big": "результат больше +/-10**18; используйте числа поменьше (в {snippet})",
    "expression.cannot_subscript": "нельзя взять [{key}] от {kind} (в {snippet})",
    "expression.set_items": "элементы множества должны быть текстом, числами или кортежами (в {snippet})",
    "expression.dict_keys": "ключи словаря должны быть текстом, числами или кортежами (в {snippet})",
    "expression.run_dict_unpacking": "распаковка словаря (**) не допускается (в {snippet})",
    "expression.run_call_by_name": "вызывать можно только функции каталога, по имени (в {snippet})",
    "expression.run_argument_unpacking": "распаковка аргументов (**) не допускается (в {snippet})",
    "expression.function_argument": "функции нельзя передавать как аргументы (в {snippet})",
    "expression.function_failed": "ошибка в {name}(): {error} (в {snippet})",
    "expression.round_digits": "число знаков должно быть от -{limit} до {limit}",
    # Wrapped by the script engine (engine.spiff.script_engine) while a case runs.
    "expression.loop_cardinality": "{element}: кратность цикла (loop cardinality) не поддерживается; перечислите "
                                   "участников в camunda:collection с camunda:elementVariable",
    "expression.timer_problem": "таймер {timer}: {problem}",
    "expression.since_not_datetime": "since должен быть датой и временем, а не {kind}",
}

EN: dict[str, str] = {
    "expression.attribute": "attribute access is not allowed; use x['key'] (in {snippet})",
    "expression.lambda": "lambda is not allowed; use a catalogue function (in {snippet})",
    "expression.walrus": "assignment (:=) is not allowed; use == to compare (in {snippet})",
    "expression.fstring": "f-strings are not allowed; use str(x) and + (in {snippet})",
    "expression.starred": "unpacking with * is not allowed; list the items (in {snippet})",
    "expression.comprehension": "comprehensions and generators are not allowed; "
                                "use any(), all(), sum() or a catalogue function (in {snippet})",
    "expression.await_yield": "await and yield are not allowed (in {snippet})",
    "expression.bitwise": "bitwise operators (~ & | ^ << >> @) are not allowed; use not, and, or (in {snippet})",
    "expression.not_allowed": "{kind} is not allowed (in {snippet})",
    "expression.literal_not_allowed": "{kind} literals are not allowed (in {snippet}); use text, numbers, True, False or None",
    "expression.underscore_name": "names starting with '_' are not allowed ({name}); rename the variable",
    "expression.dict_unpacking": "dict unpacking (**) is not allowed (in {snippet}); list the keys",
    "expression.power_exponent": "** needs a whole-number literal exponent from 0 to {limit} (in {snippet}); e.g. x ** 2",
    "expression.percent_format": "text formatting with % is not allowed (in {snippet}); use str(x) and +",
    "expression.call_by_name": "only catalogue functions can be called, by name (in {snippet}); e.g. working_hours(9)",
    "expression.argument_unpacking": "argument unpacking (**) is not allowed (in {snippet}); pass arguments one by one",
    "expression.too_many_elements": "expression is too long (more than {limit} elements); split it or use a catalogue function",
    "expression.too_deep": "expression is nested too deeply (more than {limit} levels); simplify it",
    "expression.syntax_error": "syntax error: {detail}; write one Python-style expression",
    "expression.syntax_error_at": "syntax error at column {column}: {detail}; write one Python-style expression",
    "expression.several": "only one expression is allowed, found {count}; remove ';' and extra lines",
    "expression.assignment": "assignment is not allowed; use == to compare",
    "expression.statement": "statements are not allowed (found {name}); write a single expression such as category == 'threat'",
    "expression.juel": "JUEL expressions ({prefix}{{...}}) are not supported: "
                       "write the condition as a plain expression, e.g. category == 'threat'",
    "expression.feel": "FEEL expressions (=...) are not supported: "
                       "drop the leading '=' and write a plain expression, e.g. category == 'threat'",
    "expression.empty": "expression is empty; write e.g. category == 'threat'",
    "expression.too_deep_to_read": "expression is nested too deeply to read; simplify it",
    "expression.not_text": "expression must be text, not {kind}",
    "expression.too_long": "expression is too long ({length} characters, at most {limit}); use a catalogue function",
    "expression.unknown_function": "function {name} is not in the catalogue; available: {available}",
    "expression.number_too_big": "{snippet} gives a number beyond +/-10**18; use smaller numbers",
    "expression.too_many_items": "{snippet} gives more than {limit} items; build smaller values",
    "expression.division_by_zero": "division by zero (in {snippet})",
    "expression.no_such_key": "no key {key}; check the key or test with 'in' first (in {snippet})",
    "expression.no_key": "no key; check the key or test with 'in' first (in {snippet})",
    "expression.index_out_of_range": "index out of range; check the length first (in {snippet})",
    "expression.not_boolean": "{kind} cannot be used as true/false (in {snippet})",
    "expression.unknown_name": "unknown name {name}: no such variable in the task data; check the spelling or quote text",
    "expression.cannot_compare": "cannot compare {left} {symbol} {right} (in {snippet})",
    "expression.cannot_apply": "cannot apply {symbol} to {kind} (in {snippet})",
    "expression.cannot_compute": "cannot compute {left} {symbol} {right} (in {snippet})",
    "expression.result_too_many_items": "result would hold more than {limit} items; build smaller values (in {snippet})",
    "expression.run_percent_format": "text formatting with % is not allowed; use str(x) and + (in {snippet})",
    "expression.repeat_by_whole": "cannot compute {left} * {right}; repeat a sequence by a whole number (in {snippet})",
    "expression.result_too_big": "result is beyond +/-10**18; use smaller numbers (in {snippet})",
    "expression.cannot_subscript": "cannot take [{key}] of {kind} (in {snippet})",
    "expression.set_items": "set items must be text, numbers or tuples (in {snippet})",
    "expression.dict_keys": "dict keys must be text, numbers or tuples (in {snippet})",
    "expression.run_dict_unpacking": "dict unpacking (**) is not allowed (in {snippet})",
    "expression.run_call_by_name": "only catalogue functions can be called, by name (in {snippet})",
    "expression.run_argument_unpacking": "argument unpacking (**) is not allowed (in {snippet})",
    "expression.function_argument": "functions cannot be passed as arguments (in {snippet})",
    "expression.function_failed": "{name}() failed: {error} (in {snippet})",
    "expression.round_digits": "ndigits must be between -{limit} and {limit}",
    "expression.loop_cardinality": "{element}: loop cardinality is not supported; list the "
                                   "participants in camunda:collection with camunda:elementVariable",
    "expression.timer_problem": "timer {timer}: {problem}",
    "expression.since_not_datetime": "since must be a date-time, got {kind}",
}
