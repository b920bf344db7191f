"""Deployment problems of a timer that reads a variable the case may not hold yet
(engine/deployment/dataflow.py).

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "dataflow.timer_set_by_host": (
        "срок читает переменную «{name}», а её задаёт только завершение шага, к которому он прикреплён "
        "({setters}): срок взводится при начале шага, когда переменной ещё нет. Отсчитывайте срок от "
        "переменной, заданной раньше (например, detected_at), или задайте «{name}» на предыдущем шаге"),
    "dataflow.timer_unset_on_every_path": (
        "срок читает переменную «{name}», но ни на одном пути к нему её ещё никто не задал (задают: {setters}, "
        "позже): дело остановится с ошибкой. Задайте «{name}» до этого срока или отсчитывайте его от переменной, "
        "которая есть с начала дела (detected_at, posted_at)"),
    "dataflow.timer_unset_on_a_path": (
        "срок читает переменную «{name}», а на одном из нарисованных путей к нему её никто не задаёт (задают: "
        "{setters}). Если дело может пройти этим путём, оно остановится с ошибкой: проверьте условия шлюзов "
        "или задайте «{name}» на каждом пути"),
    "dataflow.timer_never_set": (
        "срок читает переменную «{name}», которую не задаёт ни один шаг, ни форма, ни объявление var.{name}: "
        "дело остановится с ошибкой. Объявите var.{name} в свойствах процесса или задайте её полем формы"),
}

EN: dict[str, str] = {
    "dataflow.timer_set_by_host": (
        "the deadline reads the variable '{name}', which only the completion of the step it is attached to sets "
        "({setters}): the deadline is armed when the step starts, before the variable exists. Count it from a "
        "variable set earlier (e.g. detected_at) or set '{name}' in a step before"),
    "dataflow.timer_unset_on_every_path": (
        "the deadline reads the variable '{name}', but no path to it has set it yet (set by: {setters}, later): the "
        "case would stop with an error. Set '{name}' before this deadline or count it from a variable every case "
        "holds from its start (detected_at, posted_at)"),
    "dataflow.timer_unset_on_a_path": (
        "the deadline reads the variable '{name}', but one drawn path to it sets it nowhere (set by: {setters}). "
        "If a case can take that path it stops with an error: check the gateways' conditions or set '{name}' "
        "on every path"),
    "dataflow.timer_never_set": (
        "the deadline reads the variable '{name}', which no step, form or var.{name} declaration sets: the case "
        "would stop with an error. Declare var.{name} among the process properties or set it with a form field"),
}
