"""Every label and formatter the pages use, in one place: networks, statuses, roles, answer
kinds, events, regions; local times, working-time durations and countdowns, file sizes, safe
links. Registered once on the app (``register``), so every blueprint's templates see the same
words — a network reads "ВКонтакте" on the inbox, the task page, the registry and the card.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.calendar.periods import PeriodOutOfRange
from engine.calendar.regions import REGIONS, get_region
from engine.calendar.zone_words import zone_words
from engine.runtime.cases import NETWORKS
from engine.views.heatmap import Heatmap
from engine.views.networks import network_label as engine_network_label
from engine.views.networks import network_text
from engine.views.task import Countdown

# The engine's words (engine/texts/views.py, network.<key>): the same on the pages and in the reports' XLSX.
NETWORK_LABELS = {key: text for key in NETWORKS if (text := network_text(key)) is not None}
STATUS_LABELS = {"new": _l("Новое"), "in_progress": _l("В работе"), "closed": _l("Закрыто")}
# Membership roles (admin pages) and task roles (a case's steps): one word per key everywhere.
ROLE_LABELS = {"curator": _l("Куратор"), "executor": _l("Исполнитель"), "last_executor": _l("Последний исполнитель"),
               "deputy_head": _l("Заместитель руководителя органа"), "reception": _l("Приёмная"),
               "supervisor": _l("Руководитель (контроль сроков)"), "regulator": _l("Надзор"),
               "analyst": _l("Аналитик"), "admin": _l("Администратор"),
               # Who the acts order to be told (engine.notifications.resolution).
               "governor": _l("Губернатор"), "governor_office": _l("Приёмная (аппарат) Губернатора"),
               "deputy_governor": _l("Заместитель Губернатора, курирующий орган"),
               "agency_head": _l("Руководитель органа"), "deputy_minister": _l("Заместитель министра")}
KIND_LABELS = {"curator": _l("Министерство-куратор"), "agency": _l("Орган власти"), "municipality": _l("Муниципалитет"),
               "department": _l("Подразделение"), "reception": _l("Приёмная"),
               "administration": _l("Администрация (аппарат) Губернатора"),
               "state_body": _l("Государственный орган по компетенции")}  # organisations
ANSWER_KIND_LABELS = {"answer": _l("Ответ по существу"), "interim": _l("Промежуточный ответ"),
                      "clarification": _l("Уточнение")}
EVENT_LABELS = {"started": _l("Процедура запущена"), "completed": _l("Выполнен шаг"), "timer_fired": _l("Наступил срок"),
                "violation": _l("Нарушен срок"), "notified": _l("Уведомление"), "attached": _l("Добавлен файл"),
                "instance_completed": _l("Дело завершено"), "failed": _l("Сбой обработки сроков"),
                "retried": _l("Дело возвращено в работу"), "claimed": _l("Взята в работу"),
                "unclaimed": _l("Возвращена в общую очередь"),
                # The curator's decision on a repeat message (engine.runtime.repeats, Orenburg п. 15).
                "repeat_confirmed": _l("Отмечен повтор"), "repeat_dismissed": _l("Повтор отклонён")}


def region_names() -> dict[str, str]:
    return {key: region.display_name for key, region in REGIONS.items()}


def region_name(key: str) -> str:
    """A territory's name for people; the key itself only for one no longer in the database."""
    region = REGIONS.get(key)
    return region.display_name if region is not None else key


network_label = engine_network_label  # one function, the engine's: pages and XLSX say the same


def time_in(value: datetime | None, timezone: str) -> str:
    """dd.mm.yyyy HH:MM in the given zone; empty for no value."""
    return value.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M") if value else ""


def local_time(value: datetime | None, region: str) -> str:
    """An instant as people of the region read it: 10.11.2025 10:00."""
    return time_in(value, _zone(region)) if value is not None else ""


def zoned_time(value: datetime | None, region: str) -> str:
    """local_time with the zone in words, where the page shows no other: 10.11.2025 10:00 (время: Камчатский край, UTC+12)."""
    return f"{local_time(value, region)} ({zone_words(region, value)})" if value is not None else ""


def zone_label(region: str, at: datetime | None = None) -> str:
    """«время: Оренбургская область, UTC+5»: the heading a page's times are read in."""
    return str(zone_words(region, at))


def _zone(region: str) -> str:
    """A territory's zone; UTC for a template that declares no territory (it has no local time)."""
    return get_region(region).timezone if region else "UTC"


def duration(amount: timedelta) -> str:
    """The one way a length of (working) time is written: 2 ч 30 мин, 2 ч, 25 мин (sign ignored)."""
    minutes = int(abs(amount).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)s ч %(m)s мин", h=hours, m=minutes)
    if hours:
        return _("%(h)s ч", h=hours)
    return _("%(m)s мин", m=minutes)


def working_duration(value: timedelta | None) -> str:
    """Working time left before a deadline, or how much it is overdue."""
    if value is None:
        return "—"  # more than ten years away: not counted (engine.calendar.workingtime.MAX_SPAN_DAYS)
    text = duration(value)
    return text if value >= timedelta(0) else _("просрочено на %(t)s", t=text)


def heat_overlays(heatmap: Heatmap) -> list[dict[str, str]]:
    """The heatmap's badges for the viewer: violations (red) and the median working time (grey)."""
    badges = []
    for cell in heatmap.cells.values():
        if cell.violations:
            badges.append({"element": cell.element_id, "text": f"⚠ {cell.violations}", "kind": "violations",
                           "title": _("нарушений: %(n)d", n=cell.violations)})
        if cell.median is not None:
            badges.append({"element": cell.element_id, "text": duration(cell.median), "kind": "time",
                           "title": _("медиана, рабочего времени; выполнено: %(n)d", n=cell.completed)})
    return badges


def countdown(countdown: Countdown) -> str:
    """An inbox or task page countdown, in working time."""
    if countdown.remaining is None:
        return "—"  # due more than ten years away: not counted (engine.calendar.workingtime.MAX_SPAN_DAYS)
    if countdown.overdue:
        if countdown.remaining > -timedelta(minutes=1):
            return _("просрочено (вне рабочего времени)")
        return _("просрочено на %(time)s рабочего времени", time=duration(countdown.remaining))
    if countdown.remaining <= timedelta(0):
        return _("срок наступит до начала рабочего времени")
    if countdown.remaining < timedelta(minutes=1):
        return _("осталось меньше минуты рабочего времени")
    return _("осталось %(time)s рабочего времени", time=duration(countdown.remaining))


def web_link(url: str | None) -> str | None:
    """``url`` if it is safe to put in href (http/https only), else None (shown as text)."""
    if url and urlsplit(url.strip()).scheme in ("http", "https"):
        return url.strip()
    return None


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n).1f МБ", n=size / (1024 * 1024))
    return _("%(n)d КБ", n=max(1, round(size / 1024)))


def period_problem(problem: ValueError) -> str:
    """What to type instead of a period the engine refused (the form is shown again with it)."""
    if isinstance(problem, PeriodOutOfRange):
        return _("Отчёты строятся за %(first)d–%(last)d годы: укажите период в этих пределах.",
                 first=problem.first, last=problem.last)
    return _("Укажите месяц в виде ГГГГ-ММ (2025-11) или квартал в виде ГГГГ-Qn (2025-Q4).")


# bpmn-js styles its SVG with style attributes; scripts stay 'self' only.
VIEWER_CSP = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "object-src 'none'; frame-ancestors 'none'")


def viewer_page(html: str, status: int = 200) -> Response:
    """A page that draws a diagram with bpmn-js: the same HTML, a policy that lets it style the SVG."""
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = VIEWER_CSP
    return response


def for_templates() -> dict[str, Any]:
    return {"network_labels": NETWORK_LABELS, "status_labels": STATUS_LABELS, "role_labels": ROLE_LABELS,
            "answer_kind_labels": ANSWER_KIND_LABELS, "event_labels": EVENT_LABELS, "networks": NETWORKS,
            "local_time": local_time, "zoned_time": zoned_time, "zone_label": zone_label,
            "working_duration": working_duration, "web_link": web_link,
            "file_size": file_size, "region_names": region_names(), "heat_overlays": heat_overlays}


def register(app: Flask) -> None:
    """The labels for every template, and the filters (names kept from when tasks.py held them)."""
    app.context_processor(for_templates)
    app.add_template_filter(time_in, "tasks_datetime")
    app.add_template_filter(countdown, "tasks_countdown")
    app.add_template_filter(network_label, "tasks_network")
    app.add_template_filter(region_name, "region_name")
