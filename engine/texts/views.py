"""Texts of the read models (engine.views, engine.reports), by code: the regions' comparison.

RU is the default; EN has the same codes with the same {parameters} (tests/unit/test_texts.py).
The deadlines inside a comparison cell are engine.expressions.deadline_words' (Russian).
"""
from __future__ import annotations

RU: dict[str, str] = {
    "compare.row.routing": "Срок направления сообщения исполнителю",
    "compare.row.return": "Возврат, если вопрос не в компетенции",
    "compare.row.draft": "Срок проекта ответа",
    "compare.row.approval": "Согласование (кто, срок)",
    "compare.row.rework": "Доработка",
    "compare.row.publication": "Кто размещает ответ (срок)",
    "compare.row.whole_answer": "Срок ответа в целом",
    "compare.row.interim_final": "Промежуточный → окончательный ответ",
    "compare.row.agencies": "Несколько органов",
    "compare.row.threats": "Угрозы, нецензурные выражения",
    "compare.row.summary": "Сводка",
    "compare.row.escalation": "Незамедлительный доклад",
    "compare.publisher_parameter": "(параметр {name})",
    "compare.with_approval": "вместе с согласованием",
    "compare.parts": "части: {words}",
    "compare.no_deadline": "без срока",
    "compare.joint": "общий ответ: {who}",
    "compare.no_answer_forwarded": "ответ не даётся; угрозы направляются в госорганы",
    "compare.no_answer": "не обрабатываются",
    "compare.governor": "незамедлительно Губернатору",
    "compare.xlsx.sheet": "Сравнение",
    "compare.xlsx.step": "Шаг",
    "compare.xlsx.version": "(версия {version})",
    "compare.xlsx.parameter": "(параметр)",
    "compare.xlsx.clause": "п. {clause}",
    "compare.xlsx.legend": "Курсив, жёлтая заливка и «(параметр)»: срок или исполнитель задан параметром диаграммы "
                           "(свойство процесса var.<имя> со значением по умолчанию), а не текстом акта.",
    "compare.xlsx.note": "Параметр диаграммы: {names}. В опубликованном акте не установлен.",
    "compare.xlsx.missing": "Процедура не развёрнута: {names}",
}

EN: dict[str, str] = {
    "compare.row.routing": "Deadline for routing the message to the executor",
    "compare.row.return": "Return when the question is not the agency's",
    "compare.row.draft": "Deadline for the draft answer",
    "compare.row.approval": "Approval (who, deadline)",
    "compare.row.rework": "Rework",
    "compare.row.publication": "Who publishes the answer (deadline)",
    "compare.row.whole_answer": "Deadline for the whole answer",
    "compare.row.interim_final": "Interim → final answer",
    "compare.row.agencies": "Several agencies",
    "compare.row.threats": "Threats, obscenities",
    "compare.row.summary": "Summary",
    "compare.row.escalation": "Immediate report",
    "compare.publisher_parameter": "(parameter {name})",
    "compare.with_approval": "together with the approval",
    "compare.parts": "parts: {words}",
    "compare.no_deadline": "no deadline",
    "compare.joint": "joint answer: {who}",
    "compare.no_answer_forwarded": "no answer; threats are forwarded to the authorities",
    "compare.no_answer": "not processed",
    "compare.governor": "to the Governor at once",
    "compare.xlsx.sheet": "Comparison",
    "compare.xlsx.step": "Step",
    "compare.xlsx.version": "(version {version})",
    "compare.xlsx.parameter": "(parameter)",
    "compare.xlsx.clause": "cl. {clause}",
    "compare.xlsx.legend": "Italic, yellow fill and “(parameter)”: the deadline or performer is a parameter of the diagram "
                           "(the process property var.<name> with a default), not the act's text.",
    "compare.xlsx.note": "Diagram parameter: {names}. Not set by the published act.",
    "compare.xlsx.missing": "Procedure not deployed: {names}",
}
