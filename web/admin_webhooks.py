"""Administration of webhooks (issue 17 §2): per territory, the address its monitoring system is
told at when an answer is published, the secret that signs it, and the deliveries that failed.
Routes of the ``admin`` blueprint (web/admin.py), so its guard (``may_administer``) covers them.
The rules — addresses, secrets, the internal-network guard — are engine.notifications.webhooks'."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.directory.territories import territories
from engine.errors import NotFound
from engine.notifications import webhooks
from engine.texts import render

from .admin import bp
from .database import unit_of_work

MAX_FIELD = 2000  # the longest address; a longer field is cut before the engine refuses it


def _page(error: str | None = None, values: dict[str, Any] | None = None, status: int = 200) -> Any:
    with unit_of_work(readonly=True) as session:
        hooks = webhooks.webhooks(session)
        failed = webhooks.undelivered(session)
        places = territories(session)
    return render_template("admin/webhooks.html", hooks=hooks, failed=failed, places=places, error=error,
                           values=values or {}, min_secret=webhooks.MIN_SECRET), status


@bp.route("/webhooks", methods=["GET", "POST"])
def webhooks_page() -> Any:
    if request.method == "GET":
        return _page()
    values = {"territory": request.form.get("territory", "")[:64], "url": request.form.get("url", "")[:MAX_FIELD + 1],
              "allow_private": bool(request.form.get("allow_private")), "active": bool(request.form.get("active"))}
    try:
        with unit_of_work() as session:
            webhooks.set_webhook(session, values["territory"], values["url"], request.form.get("secret", "")[:400],
                                 allow_private=values["allow_private"], active=values["active"],
                                 actor=current_user.login)
    except ValueError as refused:
        return _page(render(refused.args[0]), values, 400)
    flash(_("Вебхук сохранён."), "info")
    return redirect(url_for(".webhooks_page"))


@bp.route("/webhooks/<territory>/remove", methods=["POST"])
def webhook_remove(territory: str) -> Any:
    try:
        with unit_of_work() as session:
            webhooks.remove_webhook(session, territory, current_user.login)
    except NotFound as missing:
        flash(render(missing.args[0]), "error")
    else:
        flash(_("Вебхук удалён."), "info")
    return redirect(url_for(".webhooks_page"))


@bp.route("/webhooks/deliveries/<int:delivery_id>/retry", methods=["POST"])
def webhook_retry(delivery_id: int) -> Any:
    try:
        with unit_of_work() as session:
            webhooks.retry(session, delivery_id, current_user.login)
    except NotFound as missing:
        flash(render(missing.args[0]), "error")
    else:
        flash(_("Отправка поставлена в очередь заново."), "info")
    return redirect(url_for(".webhooks_page"))
