"""Error pages that say what happened and what to do; never a stack trace."""
from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, Forbidden, NotFound
from engine.expressions.language import ExpressionError


def _page(code: int, title: str, advice: str) -> tuple[str, int]:
    return render_template("error.html", code=code, title=title, advice=advice), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return _page(400, _("Форма устарела"), _("Обновите страницу и отправьте форму ещё раз."))

    @app.errorhandler(400)
    def bad_request(error: Any) -> Any:
        return _page(400, _("Запрос не понят"), _("В адресе или в форме есть то, чего эта страница не принимает "
                                                  "(например, недопустимые символы). Вернитесь назад и попробуйте ещё раз."))

    @app.errorhandler(Forbidden)
    @app.errorhandler(403)
    def forbidden(error: Any) -> Any:
        return _page(403, _("Нет доступа"), _("Эта страница относится к другой роли или организации. "
                                              "Если доступ нужен, обратитесь к администратору."))

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(error: Any) -> Any:
        return _page(404, _("Не найдено"), _("Такой страницы, задачи или сообщения нет. Вернитесь во входящие."))

    @app.errorhandler(Conflict)
    @app.errorhandler(409)
    def conflict(error: Any) -> Any:
        detail = str(error) if isinstance(error, Conflict) else ""
        return _page(409, _("Задача уже выполнена"), _("Пока страница была открыта, её выполнил другой сотрудник "
                                                       "или изменился ход дела. Откройте входящие.") + (" " + detail if detail else ""))

    @app.errorhandler(413)
    def too_large(error: Any) -> Any:
        # Raised while the body is read (web.limits), so nothing of it was kept: say what fits.
        mib = 1024 * 1024
        return _page(413, _("Слишком большой запрос"),
                     _("Файл — не больше %(file)d МБ, все файлы вместе — не больше %(total)d МБ, текст формы без "
                       "файлов — не больше %(form)d КБ. Уменьшите файлы или отправьте их по одному.",
                       file=app.config["MAX_UPLOAD_BYTES"] // mib, total=app.config["MAX_UPLOAD_REQUEST_BYTES"] // mib,
                       form=app.config["MAX_CONTENT_LENGTH"] // 1000))

    @app.errorhandler(429)
    def too_many(error: Any) -> Any:
        return _page(429, _("Слишком много попыток"), _("Подождите минуту и попробуйте снова."))

    @app.errorhandler(HTTPException)
    def other_http(error: HTTPException) -> Any:
        return _page(error.code or 500, error.name, _("Вернитесь во входящие и попробуйте ещё раз."))

    @app.errorhandler(ExpressionError)
    def diagram_error(error: ExpressionError) -> Any:
        # A diagram expression failed while the case ran (a timer due beyond five years, a loop
        # cardinality, a missing variable): the unit of work was rolled back; the analyst fixes the diagram.
        app.logger.warning("diagram expression failed: %s", error)
        return _page(422, _("Шаг не выполнен: ошибка в схеме процедуры"),
                     _("Ничего не сохранено. Передайте аналитику, который ведёт схему, текст ошибки:") + " " + str(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        app.logger.exception("unhandled error")
        return _page(500, _("Внутренняя ошибка"), _("Мы записали ошибку. Попробуйте ещё раз или сообщите администратору."))
