"""Administration of organisations: the list and the new-organisation form, one organisation's
page (rename; remove — refused while it is in use, a deactivation when only history refers to it;
restore). Routes of the ``admin`` blueprint (web/admin.py), so its guard covers them too.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.calendar.regions import REGIONS
from engine.directory import officials as directory
from engine.directory import organisations as managing
from engine.errors import NotFound

from .admin import ENGINE_ERRORS, NAME_CHARS, _engine_error, _values, bp
from .database import unit_of_work


def _name_error(name: str) -> str | None:
    if not name:
        return _("Укажите название.")
    if len(name) > NAME_CHARS:
        return _("Не длиннее %(n)d символов.", n=NAME_CHARS)
    return None


@bp.route("/organisations", methods=["GET", "POST"])
def organisations() -> Any:
    values = _values("key", "name", "kind", "region", "parent")
    errors: dict[str, str] = {}
    region = request.args.get("region") or None
    with unit_of_work() as session:
        if request.method == "POST":
            if not directory.is_key(values["key"]):
                errors["key"] = _("От 2 до 64 символов: латинские строчные буквы, цифры и _, первая — буква.")
            elif directory.find_organisation(session, values["key"]) is not None:
                errors["key"] = _("Организация с таким ключом уже есть.")
            if name_error := _name_error(values["name"]):
                errors["name"] = name_error
            if values["kind"] not in directory.ORGANISATION_KINDS:
                errors["kind"] = _("Выберите вид организации.")
            if values["region"] not in REGIONS:
                errors["region"] = _("Выберите регион.")
            if values["parent"]:
                parent = directory.find_organisation(session, values["parent"])
                if parent is None or not parent.active:
                    errors["parent"] = _("Такой организации нет.")
                elif parent.region != values["region"]:
                    errors["parent"] = _("Вышестоящая организация должна быть из того же региона.")
            if not errors:
                try:
                    with session.begin_nested():
                        directory.create_organisation(session, values["key"], values["name"], values["kind"],
                                                      values["region"], current_user.login, values["parent"] or None)
                    flash(_("Организация «%(name)s» создана.", name=values["name"]), "info")
                    return redirect(url_for(".organisations", region=values["region"]))
                except ENGINE_ERRORS as error:
                    errors["_form"] = _engine_error(error)
        everything = directory.organisations(session)
        names = {o.id: o.name for o in everything}
        shown = [o for o in everything if not region or o.region == region]
    return render_template("admin/organisations.html", organisations=shown,
                           all_organisations=[o for o in everything if o.active],
                           parent_names=names, region=region, values=values, errors=errors), 400 if errors else 200


@bp.route("/organisations/<key>", methods=["GET", "POST"])
def organisation(key: str) -> Any:
    """One organisation: rename (the POST), and what removing it would do."""
    errors: dict[str, str] = {}
    with unit_of_work() as session:
        org = directory.organisation(session, key)  # NotFound → the friendly 404 page
        values = {"name": org.name}
        if request.method == "POST":
            values = _values("name")
            if name_error := _name_error(values["name"]):
                errors["name"] = name_error
            else:
                old = org.name
                try:
                    with session.begin_nested():
                        managing.rename_organisation(session, key, values["name"], current_user.login)
                    flash(_("Организация «%(old)s» теперь называется «%(new)s».", old=old, new=values["name"]), "info")
                    return redirect(url_for(".organisation", key=key))
                except ENGINE_ERRORS as error:
                    errors["_form"] = _engine_error(error)
        usage = managing.usage(session, key)
        parent = next((o for o in directory.organisations(session) if o.id == org.parent_id), None)
    return render_template("admin/organisation.html", org=org, parent=parent, usage=usage, values=values,
                           errors=errors), 400 if errors else 200


@bp.route("/organisations/<key>/remove", methods=["POST"])
def remove_organisation(key: str) -> Any:
    try:
        with unit_of_work() as session:
            name = directory.organisation(session, key).name
            outcome = managing.remove_organisation(session, key, current_user.login)
    except NotFound:
        flash(_("Этой организации уже нет."), "error")
        return redirect(url_for(".organisations"))
    except managing.OrganisationInUse as refusal:
        flash(_("Не удалось удалить: %(reason)s.", reason=str(refusal)), "error")
        return redirect(url_for(".organisation", key=key))
    if outcome is managing.Removal.DELETED:
        flash(_("Организация «%(name)s» удалена.", name=name), "info")
        return redirect(url_for(".organisations"))
    flash(_("Организация «%(name)s» отключена: её нет в списках выбора и в маршрутизации, "
            "в истории она осталась.", name=name), "info")
    return redirect(url_for(".organisation", key=key))


@bp.route("/organisations/<key>/restore", methods=["POST"])
def restore_organisation(key: str) -> Any:
    try:
        with unit_of_work() as session:
            name = managing.restore_organisation(session, key, current_user.login).name
    except NotFound:
        flash(_("Этой организации уже нет."), "error")
        return redirect(url_for(".organisations"))
    flash(_("Организация «%(name)s» снова действует.", name=name), "info")
    return redirect(url_for(".organisation", key=key))
