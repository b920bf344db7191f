"""Administration of territories — regions and municipalities (issue 13): the list, a new one, and
one territory's page to change it. Routes of the ``admin`` blueprint (web/admin.py), so its guard
(``may_administer``) covers them too.

The engine (engine.directory.territories) checks everything and names the field it refuses
(TerritoryError.field), so its message is shown beside that field; here the form is read, the
dates and the working hours are checked first so their mistakes are in the page's language.
A change is used by every process (web and worker) from its next unit of work: no restart.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine import clock
from engine.calendar.regions import KINDS, Region
from engine.calendar.schedules import schedule_to_json
from engine.calendar.workingtime import Schedule
from engine.directory import territories as managing

from .admin import bp
from .database import unit_of_work

KIND_NAMES = {"region": _l("регион"), "municipality": _l("муниципалитет")}
WEEKDAYS = (_l("пн"), _l("вт"), _l("ср"), _l("чт"), _l("пт"), _l("сб"), _l("вс"))
DEFAULT = Schedule()
TIMES = ("start", "end", "lunch_start", "lunch_end")
FIELDS = ("key", "name", "name_en", "kind", "timezone", "parent", "extra_holidays", "extra_workdays", "own_schedule", *TIMES)


@cache
def _zones() -> tuple[str, ...]:
    """The IANA zones people pick from (the datalist under the time zone field)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


@dataclass(frozen=True)
class Row:
    """A territory as the list shows it."""

    region: Region
    local_time: datetime
    utc_offset: str
    parent_name: str


def _offset(moment: datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]  # an aware datetime
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def _rows(regions: list[Region]) -> list[Row]:
    names, now = {r.key: r.name for r in regions}, clock.now()
    rows = []
    for region in regions:
        local = now.astimezone(ZoneInfo(region.timezone))
        rows.append(Row(region, local, _offset(local), names.get(region.parent or "", region.parent or "")))
    return rows


def _values_of(region: Region | None) -> dict[str, Any]:
    """The form's values: a territory's, or a new one's (a region on the default schedule)."""
    if region is None:
        values: dict[str, Any] = {name: "" for name in FIELDS}
        values["kind"] = "region"
        schedule = DEFAULT
    else:
        schedule = region.schedule or DEFAULT
        values = {"key": region.key, "name": region.name, "name_en": region.name_en or "", "kind": region.kind, "timezone": region.timezone,
                  "parent": region.parent or "", "own_schedule": "1" if region.schedule else "",
                  "extra_holidays": "\n".join(d.isoformat() for d in sorted(region.extra_holidays)),
                  "extra_workdays": "\n".join(d.isoformat() for d in sorted(region.extra_workdays))}
    for name, value in schedule_to_json(schedule).items():
        if name in TIMES:
            values[name] = value or ""
    values["workdays"] = {str(day) for day in schedule.workdays}
    return values


def _read_form() -> dict[str, Any]:
    values: dict[str, Any] = {name: request.form.get(name, "").strip() for name in FIELDS}
    values["extra_holidays"] = request.form.get("extra_holidays", "")  # kept as typed, lines and all
    values["extra_workdays"] = request.form.get("extra_workdays", "")
    values["workdays"] = set(request.form.getlist("workdays"))
    return values


def _dates(values: Mapping[str, Any], name: str, errors: dict[str, str]) -> tuple[date, ...]:
    try:
        return managing.parse_dates(values[name])
    except ValueError as error:
        errors[name] = str(error)
        return ()


def _schedule(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    """None: the parent's or the default working hours; else the territory's own."""
    if not values["own_schedule"]:
        return None
    times: dict[str, time | None] = {}
    for name in TIMES:
        try:
            times[name] = time.fromisoformat(values[name]) if values[name] else None
        except ValueError:
            errors[name] = _("Время в формате ЧЧ:ММ, например 09:00.")
    days = sorted(int(day) for day in values["workdays"] if day in {str(n) for n in range(7)})
    if not days:
        errors["workdays"] = _("Отметьте хотя бы один рабочий день.")
    for name in ("start", "end"):
        if not values[name] and name not in errors:
            errors[name] = _("Укажите время.")
    if (times.get("lunch_start") is None) != (times.get("lunch_end") is None) and not errors.keys() & {*TIMES}:
        errors["lunch_end"] = _("Укажите начало и конец обеда или оставьте оба пустыми.")
    bounds = [times[n] for n in ("start", "lunch_start", "lunch_end", "end") if times.get(n) is not None]
    if not errors.keys() & {*TIMES} and bounds != sorted(set(bounds)):  # type: ignore[type-var]
        errors["end"] = _("Начало раньше обеда, обед раньше конца рабочего дня.")
    return {"workdays": days, **{name: values[name] or None for name in TIMES}}


def _save(values: Mapping[str, Any], errors: dict[str, str], key: str | None) -> Region | None:
    """Add (``key`` None) or change the territory; the engine's refusal goes beside its field."""
    holidays = _dates(values, "extra_holidays", errors)
    workdays = _dates(values, "extra_workdays", errors)
    schedule = _schedule(values, errors)
    if not values["name"]:
        errors["name"] = _("Укажите название.")
    if not values["timezone"]:
        errors["timezone"] = _("Укажите часовой пояс, например Asia/Kamchatka.")
    if errors:
        return None
    parent = values["parent"] or None
    try:
        with unit_of_work() as session:
            if key is None:
                return managing.add_territory(session, managing.TerritoryInput(
                    key=values["key"], name=values["name"], name_en=values["name_en"], timezone=values["timezone"],
                    kind=values["kind"],
                    parent=parent, extra_holidays=holidays, extra_workdays=workdays, schedule=schedule),
                    current_user.login)
            return managing.update_territory(session, key, current_user.login, name=values["name"],
                                             name_en=values["name_en"], timezone=values["timezone"], parent=parent, extra_holidays=holidays,
                                             extra_workdays=workdays, schedule=schedule)
    except managing.TerritoryError as refusal:
        errors[refusal.field if refusal.field in FIELDS or refusal.field == "schedule" else "_form"] = str(refusal)
        return None


def _page(template: str, values: Mapping[str, Any], errors: Mapping[str, str], **extra: Any) -> Any:
    with unit_of_work(readonly=True) as session:
        regions = managing.territories(session)
    return render_template(template, rows=_rows(regions), values=values, errors=errors,
                           kind_options=[(kind, KIND_NAMES[kind]) for kind in KINDS],
                           parent_options=[(r.key, r.name) for r in regions if r.kind == "region"
                                           and r.key != values.get("key")],
                           kind_names=KIND_NAMES, weekdays=list(enumerate(WEEKDAYS)), zones=_zones(),
                           default=DEFAULT, **extra), 400 if errors else 200


@bp.route("/territories", methods=["GET", "POST"])
def territories() -> Any:
    if request.method == "GET":
        return _page("admin/territories.html", _values_of(None), {})
    values, errors = _read_form(), {}
    if not values["key"]:
        errors["key"] = _("Укажите ключ.")
    saved = _save(values, errors, None)
    if saved is None:
        return _page("admin/territories.html", values, errors)
    flash(_("Добавлено: %(name)s. Действует сразу — перезапуск не нужен.", name=saved.name), "info")
    return redirect(url_for(".territories"))


@bp.route("/territories/<key>", methods=["GET", "POST"])
def territory(key: str) -> Any:
    with unit_of_work(readonly=True) as session:
        found = next((r for r in managing.territories(session) if r.key == key), None)
    if found is None:
        abort(404)
    if request.method == "GET":
        return _page("admin/territory.html", _values_of(found), {}, region=found)
    values: dict[str, Any] = {**_read_form(), "key": key, "kind": found.kind}
    errors: dict[str, str] = {}
    saved = _save(values, errors, key)
    if saved is None:
        return _page("admin/territory.html", values, errors, region=found)
    flash(_("Сохранено: %(name)s. Действует сразу — перезапуск не нужен.", name=saved.name), "info")
    return redirect(url_for(".territory", key=key))
