"""Error pages in the site's layout, for every status a person may meet."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from genius.core.security import log_event

log = logging.getLogger("genius")

MESSAGES: dict[int, tuple[str, str]] = {
    400: ("There was a problem with your request", "Go back, check what you entered and try again."),
    403: ("You do not have permission to see this page", "If you think you should, sign in with the right account or contact the site team."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."),
    405: ("This page cannot be used that way", "Go back to the previous page and use the buttons and links on it."),
    413: ("What you sent is too large", "Make your text or file smaller and try again."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. What you entered has not been saved."),
    503: ("Sorry, the service is unavailable", "Try again in a few minutes. What you entered has not been saved."),
}


def render_error(code: int, detail: str | None = None):
    title, advice = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, advice=advice, detail=detail, error_page=True), code


def init_app(app: Flask) -> None:
    from genius.extensions import db

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        log_event("csrf_failed", reason=error.description)
        return render_error(400, "The form you used has expired or was opened in another window. Go back, refresh the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            log_event("throttled", limit=str(getattr(error, "description", "")))
        if error.code is None or error.code < 400:
            return error
        # Werkzeug's own descriptions are technical; show ours.
        return render_error(error.code)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        db.session.rollback()
        if isinstance(error, OperationalError) or getattr(error, "connection_invalidated", False):
            log.warning("database unavailable during %s %s: %s", request.method, request.path, error.__class__.__name__)
            return render_error(503)
        log.exception("database error")
        return render_error(500)

    @app.errorhandler(ServiceUnavailable)
    def unavailable(error):
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s %s", request.method, request.path, exc_info=error)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the page must still render
            pass
        return render_error(InternalServerError.code)
