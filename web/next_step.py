"""What a page says after an action on a case: what happened, in the form's words, and the next step
(a link to it when the person may take it). Used by the task page and the registration."""
from __future__ import annotations

from collections.abc import Sequence

from flask import flash, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from engine.runtime.next_step import NextStep


def flash_outcome(task_name: str, chosen: tuple[str, ...]) -> None:
    """What happened, in the form's own words: the option chosen, not only the step's name."""
    if chosen:
        flash(_("«%(task)s»: выбрано «%(choice)s».", task=task_name, choice="», «".join(chosen)), "info")
    else:
        flash(_("Выполнено: «%(task)s».", task=task_name), "info")


def flash_next_step(steps: Sequence[NextStep]) -> None:
    """The next open task of the case: a link when the person may take it, else who holds it now."""
    if not steps:
        return
    step = steps[0]
    if step.yours:
        flash(Markup(_("Следующая задача по этому сообщению: «%(task)s» — <a href=\"%(url)s\">открыть задачу</a>.",
                       task=escape(step.name), url=url_for("tasks.task_page", task_id=step.task_id))), "info")
    elif step.organisation_name:
        flash(_("Следующий шаг: «%(task)s» — %(organisation)s.", task=step.name,
                organisation=step.organisation_name), "info")
    else:
        flash(_("Следующий шаг: «%(task)s».", task=step.name), "info")
