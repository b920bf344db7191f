"""Administration: officials, roles and substitutes (admins only); organisations and territories
in web/admin_organisations.py and web/admin_territories.py, on the same blueprint.

Every form is checked here first, so mistakes are shown beside the field in Russian and
nothing typed is lost (passwords excepted: they are never sent back to the browser). The
engine checks again; its refusals (ValueError, Conflict, NotFound) appear above the form.
Dates are whole days in the region's local time: "по 30.11" includes the 30th.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine import clock
from engine.bpmn.conventions import RECIPIENT_AUTHORITIES
from engine.calendar.regions import REGIONS
from engine.directory import officials as directory
from engine.directory.roles import MEMBERSHIP_ROLES
from engine.directory.territories import territories
from engine.errors import Conflict, NotFound
from engine.notifications import admin_view, webhooks

from .auth import capability_required, keep_current_session, local_path
from .database import unit_of_work
from .presentation import KIND_LABELS, ROLE_LABELS

bp = Blueprint("admin", __name__, url_prefix="/admin")

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # a role or a substitution starts and ends in between
# The columns' lengths (the engine refuses longer ones too; here the field says so in Russian).
NAME_CHARS = directory.NAME_CHARS
FULL_NAME_CHARS = directory.FULL_NAME_CHARS

ENGINE_ERRORS = (ValueError, Conflict, NotFound)
# Whom a notification was for (a recipient key of the diagram), as the undelivered list names it.
RECIPIENT_LABELS = {**ROLE_LABELS, RECIPIENT_AUTHORITIES: _l("Государственные органы по компетенции")}


@bp.before_request
@capability_required("may_administer")
def admins_only() -> None:
    """Guards every page of the blueprint, including ones added later."""


@bp.context_processor
def labels() -> dict[str, Any]:
    return {"role_labels": ROLE_LABELS, "kind_labels": KIND_LABELS, "regions": REGIONS, "recipient_labels": RECIPIENT_LABELS,
            "role_options": [(role, ROLE_LABELS.get(role, role)) for role in MEMBERSHIP_ROLES],
            "kind_options": [(kind, KIND_LABELS.get(kind, kind)) for kind in directory.ORGANISATION_KINDS],
            "region_options": [(key, region.name) for key, region in REGIONS.items()]}


# --------------------------------------------------------------------------- helpers

def _values(*names: str) -> dict[str, str]:
    return {name: request.form.get(name, "").strip() for name in names}


def _engine_error(error: Exception) -> str:
    return _("Не удалось сохранить: %(reason)s", reason=str(error))


def _zone(region: str | None) -> ZoneInfo:
    return ZoneInfo(REGIONS[region].timezone if region in REGIONS else current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _user_zone(session: Session, login: str) -> ZoneInfo:
    """The absent official's region decides what "a day" is for a substitution."""
    roles = directory.roles_of(session, login)
    return _zone(roles[0].region if roles else None)


def _parse_days(values: Mapping[str, str], errors: dict[str, str], required: bool) -> tuple[date | None, date | None]:
    days: list[date | None] = []
    for name in ("valid_from", "valid_to"):
        day = None
        if values[name]:
            try:
                day = date.fromisoformat(values[name])
            except ValueError:
                errors[name] = _("Дата в формате ГГГГ-ММ-ДД, например 2025-11-01.")
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                # 9999-12-31 has no "next day" to end on, and 0001-01-01 moved to UTC is before year 1.
                errors[name] = _("Дата между %(first)s и %(last)s.", first=FIRST_DAY.strftime("%d.%m.%Y"),
                                 last=LAST_DAY.strftime("%d.%m.%Y"))
                day = None
        elif required:
            errors[name] = _("Укажите дату.")
        days.append(day)
    start, end = days
    if start and end and end < start:
        errors["valid_to"] = _("Дата окончания раньше даты начала.")
    return start, end


def _instants(start: date | None, end: date | None, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """First day at 00:00 and the day after the last at 00:00, local time."""
    return (datetime.combine(start, time(), zone) if start else None,
            datetime.combine(end + timedelta(days=1), time(), zone) if end else None)


def _days(start: datetime | None, end: datetime | None, zone: ZoneInfo) -> tuple[date | None, date | None]:
    """Back from instants to the days people typed (the last day inclusive)."""
    return (start.astimezone(zone).date() if start else None,
            (end.astimezone(zone) - timedelta(microseconds=1)).date() if end else None)


def _check_login(session: Session, login: str, errors: dict[str, str], field: str) -> str:
    """The chosen official's full name (for the flash), or "" with the field's error."""
    if not login:
        errors[field] = _("Выберите сотрудника из списка.")
        return ""
    found = directory.find_user(session, login)
    if found is None:
        errors[field] = _("Такого сотрудника нет: найдите его по фамилии и выберите из списка.")
        return ""
    return found.full_name


def _official_choices(session: Session, *chosen: str) -> tuple[str, directory.OfficialChoices]:
    """The officials a form offers: those matching the search box (``q``, in the query string or
    carried by the form), bounded; the ones already chosen always among them."""
    query = request.values.get("q", "").strip()
    return query, directory.choose_officials(session, query, keep=chosen)


def _check_password(errors: dict[str, str]) -> None:
    password = request.form.get("password", "")
    if not directory.password_is_long_enough(password):
        errors["password"] = _("Пароль не короче %(n)d символов.", n=directory.MIN_PASSWORD)
    elif password != request.form.get("password_repeat", ""):
        errors["password_repeat"] = _("Пароли не совпадают.")


@dataclass(frozen=True)
class Row:
    """A membership or a substitution as the tables show it."""

    id: int
    login: str
    full_name: str
    other: str  # organisation name, or the substitute's name
    other_key: str
    region: str
    role: str
    first_day: date | None
    last_day: date | None
    starts_later: bool


def _memberships(session: Session, region: str | None = None, login: str | None = None) -> list[Row]:
    now, rows = clock.now(), []
    for m in directory.memberships(session, region, login):
        first, last = _days(m.valid_from, m.valid_to, _zone(m.region))
        rows.append(Row(m.id, m.login, m.full_name, m.organisation_name, m.organisation_key, m.region, m.role,
                        first, last, bool(m.valid_from and m.valid_from > now)))
    return rows


def _substitutions(session: Session, login: str | None = None) -> list[Row]:
    """Current and future substitutions, soonest first."""
    now, rows = clock.now(), []
    for s in directory.substitutions(session, login, now):
        first, last = _days(s.valid_from, s.valid_to, _user_zone(session, s.absent_login))
        rows.append(Row(s.id, s.absent_login, s.absent_name, s.substitute_name, s.substitute_login, "", "",
                        first, last, s.valid_from > now))
    return rows


# --------------------------------------------------------------------------- overview

@bp.route("/")
@capability_required("may_administer")
def index() -> Any:
    with unit_of_work(readonly=True) as session:
        counts = {"territories": len(territories(session)), "organisations": len(directory.organisations(session)),
                  "officials": len(directory.users(session)), "roles": len(_memberships(session)),
                  "substitutes": len(_substitutions(session)),
                  "undelivered": len(admin_view.undelivered(session)),
                  "webhooks": len(webhooks.webhooks(session)), "webhooks_failed": len(webhooks.undelivered(session))}
    return render_template("admin/index.html", counts=counts)


# --------------------------------------------------------------------------- officials

@bp.route("/officials", methods=["GET", "POST"])
def officials() -> Any:
    values = _values("login", "full_name")
    errors: dict[str, str] = {}
    with unit_of_work() as session:
        if request.method == "POST":
            if not directory.is_key(values["login"]):
                errors["login"] = _("От 2 до 64 символов: латинские строчные буквы, цифры и _, первая — буква.")
            elif directory.find_user(session, values["login"]) is not None:
                errors["login"] = _("Этот логин уже занят.")
            if not values["full_name"]:
                errors["full_name"] = _("Укажите фамилию, имя и отчество.")
            elif len(values["full_name"]) > FULL_NAME_CHARS:
                errors["full_name"] = _("Не длиннее %(n)d символов.", n=FULL_NAME_CHARS)
            _check_password(errors)
            if not errors:
                try:
                    with session.begin_nested():
                        directory.create_user(session, values["login"], values["full_name"],
                                              generate_password_hash(request.form["password"]), current_user.login)
                    flash(_("Сотрудник %(name)s создан. Назначьте ему роль.", name=values["full_name"]), "info")
                    return redirect(url_for(".roles", login=values["login"]))
                except ENGINE_ERRORS as error:
                    errors["_form"] = _engine_error(error)
        people = [(user, directory.roles_of(session, user.login)) for user in directory.users(session)]
    return render_template("admin/officials.html", people=people, values=values, errors=errors), 400 if errors else 200


@bp.route("/officials/<login>", methods=["GET", "POST"])
def official(login: str) -> Any:
    """One official: roles, substitutions, sign-in on/off, password reset (the POST)."""
    errors: dict[str, str] = {}
    with unit_of_work() as session:
        user = directory.user(session, login)  # NotFound → the friendly 404 page
        if request.method == "POST":
            _check_password(errors)
            if not errors:
                directory.set_password_hash(session, login, generate_password_hash(request.form["password"]),
                                            current_user.login)
                if login == current_user.login:
                    keep_current_session(user.session_epoch)
                flash(_("Пароль сотрудника %(name)s изменён. Сообщите его лично.", name=user.full_name), "info")
                return redirect(url_for(".official", login=login))
        memberships = _memberships(session, login=login)
        substitutions = _substitutions(session, login=login)
    return render_template("admin/official.html", user=user, memberships=memberships, substitutions=substitutions,
                           errors=errors), 400 if errors else 200


@bp.route("/officials/<login>/active", methods=["POST"])
def set_active(login: str) -> Any:
    active = request.form.get("active") == "1"
    try:
        with unit_of_work() as session:
            directory.set_active(session, login, active, current_user.login)
            name = directory.user(session, login).full_name
    except directory.OwnAccount:
        flash(_("Нельзя отключить собственную учётную запись."), "error")
        return redirect(url_for(".official", login=login))
    flash(_("Вход для сотрудника %(name)s включён.", name=name) if active else
          _("Вход для сотрудника %(name)s отключён.", name=name), "info")
    return redirect(url_for(".official", login=login))


# --------------------------------------------------------------------------- roles

@bp.route("/roles", methods=["GET", "POST"])
def roles() -> Any:
    values = _values("login", "organisation", "role", "valid_from", "valid_to")
    if request.method == "GET":
        values["login"] = request.args.get("login", "")
    errors: dict[str, str] = {}
    region = request.args.get("region") or None
    with unit_of_work() as session:
        if request.method == "POST":
            name = _check_login(session, values["login"], errors, "login")
            org = directory.find_organisation(session, values["organisation"])
            if org is None or not org.active:
                errors["organisation"] = _("Выберите организацию.")
            if values["role"] not in MEMBERSHIP_ROLES:
                errors["role"] = _("Выберите роль.")
            start, end = _parse_days(values, errors, required=False)
            if not errors:
                assert org is not None
                valid_from, valid_to = _instants(start, end, _zone(org.region))
                try:
                    with session.begin_nested():
                        directory.grant_role(session, values["login"], org.key, values["role"], current_user.login,
                                             valid_from=valid_from, valid_to=valid_to)
                    flash(_("Роль назначена: %(name)s — %(role)s, %(org)s.", name=name,
                            role=ROLE_LABELS[values["role"]], org=org.name), "info")
                    return redirect(url_for(".roles", region=org.region))
                except ENGINE_ERRORS as error:
                    errors["_form"] = _engine_error(error)
        rows = _memberships(session, region=region)
        query, people = _official_choices(session, values["login"])
        organisations_ = [o for o in directory.organisations(session) if o.active]
    return render_template("admin/roles.html", rows=rows, people=people, query=query, organisations=organisations_,
                           region=region, values=values, errors=errors), 400 if errors else 200


@bp.route("/roles/<int:membership_id>/revoke", methods=["POST"])
def revoke(membership_id: int) -> Any:
    try:
        with unit_of_work() as session:
            directory.revoke_role(session, membership_id, current_user.login)
    except NotFound:
        flash(_("Эта роль уже снята."), "error")
        return redirect(url_for(".roles"))
    except directory.OwnAdminRole:
        flash(_("Нельзя снять роль администратора с самого себя."), "error")
        return redirect(url_for(".roles"))
    flash(_("Роль снята."), "info")
    back = local_path(request.form.get("back"))
    return redirect(back if back and back.startswith("/admin/") else url_for(".roles"))


# --------------------------------------------------------------------------- substitutes

@bp.route("/substitutes", methods=["GET", "POST"])
def substitutes() -> Any:
    """Orenburg п. 5: who stands in for an absent official, and when."""
    values = _values("absent", "substitute", "valid_from", "valid_to")
    if request.method == "GET":
        values["absent"] = request.args.get("absent", "")
    errors: dict[str, str] = {}
    with unit_of_work() as session:
        if request.method == "POST":
            absent_name = _check_login(session, values["absent"], errors, "absent")
            substitute_name = _check_login(session, values["substitute"], errors, "substitute")
            if "substitute" not in errors and values["substitute"] == values["absent"]:
                errors["substitute"] = _("Сотрудник не может замещать сам себя.")
            start, end = _parse_days(values, errors, required=True)
            if not errors:
                valid_from, valid_to = _instants(start, end, _user_zone(session, values["absent"]))
                try:
                    with session.begin_nested():
                        directory.add_substitution(session, values["absent"], values["substitute"], valid_from,
                                                   valid_to, current_user.login)  # type: ignore[arg-type]
                    flash(_("Замещение сохранено: %(substitute)s замещает %(absent)s.",
                            substitute=substitute_name, absent=absent_name), "info")
                    return redirect(url_for(".substitutes"))
                except ENGINE_ERRORS as error:
                    errors["_form"] = _engine_error(error)
        rows = _substitutions(session)
        query, people = _official_choices(session, values["absent"], values["substitute"])
    return render_template("admin/substitutes.html", rows=rows, people=people, query=query, values=values,
                           errors=errors), 400 if errors else 200


@bp.route("/substitutes/<int:substitution_id>/remove", methods=["POST"])
def remove_substitute(substitution_id: int) -> Any:
    """An absence cut short or entered by mistake: the substitute stops seeing the tasks at once."""
    try:
        with unit_of_work() as session:
            directory.remove_substitution(session, substitution_id, current_user.login)
    except NotFound:
        flash(_("Это замещение уже отменено."), "error")
        return redirect(url_for(".substitutes"))
    flash(_("Замещение отменено."), "info")
    return redirect(url_for(".substitutes"))


# The other admin pages join this blueprint (and its guard) when their modules are imported.
from . import admin_notifications, admin_organisations, admin_territories, admin_webhooks  # noqa: E402,F401
