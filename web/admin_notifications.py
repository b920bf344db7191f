"""Administration of notifications: e-mail addresses of officials and organisations (a competent state
body is reached at its address), and the list of escalations that reached nobody — a recipient no one
holds, an e-mail that failed — so the administrator fixes the directory. Routes of the ``admin``
blueprint (web/admin.py), so its guard covers them too.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.directory import contacts
from engine.notifications import admin_view

from .admin import bp
from .database import unit_of_work


@bp.route("/notifications")
def undelivered() -> Any:
    with unit_of_work(readonly=True) as session:
        rows = admin_view.undelivered(session)
    return render_template("admin/notifications.html", rows=rows)


def _save(setter: Any, key: str) -> bool:
    try:
        with unit_of_work() as session:
            stored = setter(session, key, request.form.get("email", ""), current_user.login)
    except ValueError as error:
        flash(_("Не удалось сохранить: %(reason)s", reason=str(error)), "error")
        return False
    flash(_("Адрес e-mail сохранён: %(email)s.", email=stored) if stored else _("Адрес e-mail удалён."), "info")
    return True


@bp.route("/officials/<login>/email", methods=["POST"])
def official_email(login: str) -> Any:
    _save(contacts.set_user_email, login)
    return redirect(url_for(".official", login=login))


@bp.route("/organisations/<key>/email", methods=["POST"])
def organisation_email(key: str) -> Any:
    _save(contacts.set_organisation_email, key)
    return redirect(url_for(".organisation", key=key))
