"""Texts of a version's differences (engine.bpmn.diagramdiff), by code: what changed in an element or in
the procedure, for the analyst and the regulator who review a new version (the deploy check, the
version comparison, a template's upgrade plan)."""
from __future__ import annotations

RU: dict[str, str] = {
    "diff.aspect.type": "тип", "diff.aspect.name": "название", "diff.aspect.documentation": "описание",
    "diff.aspect.timer": "срок", "diff.aspect.role": "роль (candidateGroups)", "diff.aspect.lane": "дорожка",
    "diff.aspect.form": "форма (formRef)", "diff.aspect.condition": "условие",
    "diff.aspect.default": "поток по умолчанию", "diff.aspect.topic": "тема внешней задачи",
    "diff.aspect.source": "откуда", "diff.aspect.target": "куда", "diff.aspect.attached": "прикреплён к",
    "diff.aspect.interrupting": "прерывающий", "diff.aspect.event": "вид события",
    "diff.aspect.collection": "коллекция (несколько исполнителей)",
    "diff.aspect.element_variable": "переменная элемента", "diff.aspect.completion": "условие завершения",
    "diff.kind.property": "свойство", "diff.kind.output": "выходной параметр", "diff.kind.parameter": "параметр",
    "diff.kind.process_property": "свойство процедуры",
    "diff.key_removed": "{label} {key}: удалено (было {old})",
    "diff.key_added": "{label} {key}: добавлено = {new}",
    "diff.summary_changed": "{label} изменено", "diff.summary_added": "{label} добавлено",
    "diff.summary_removed": "{label} удалено",
    "diff.form_changed": "форма изменена",
    "diff.process_name": "название процедуры: {old} → {new}",
    "diff.process_documentation": "описание процедуры изменено",
}

EN: dict[str, str] = {
    "diff.aspect.type": "type", "diff.aspect.name": "name", "diff.aspect.documentation": "description",
    "diff.aspect.timer": "deadline", "diff.aspect.role": "role (candidateGroups)", "diff.aspect.lane": "lane",
    "diff.aspect.form": "form (formRef)", "diff.aspect.condition": "condition",
    "diff.aspect.default": "default flow", "diff.aspect.topic": "external task topic",
    "diff.aspect.source": "from", "diff.aspect.target": "to", "diff.aspect.attached": "attached to",
    "diff.aspect.interrupting": "interrupting", "diff.aspect.event": "event kind",
    "diff.aspect.collection": "collection (several executors)",
    "diff.aspect.element_variable": "element variable", "diff.aspect.completion": "completion condition",
    "diff.kind.property": "property", "diff.kind.output": "output parameter", "diff.kind.parameter": "parameter",
    "diff.kind.process_property": "procedure property",
    "diff.key_removed": "{label} {key}: removed (was {old})",
    "diff.key_added": "{label} {key}: added = {new}",
    "diff.summary_changed": "{label} changed", "diff.summary_added": "{label} added",
    "diff.summary_removed": "{label} removed",
    "diff.form_changed": "form changed",
    "diff.process_name": "procedure name: {old} → {new}",
    "diff.process_documentation": "procedure description changed",
}
