"""Template globals and filters."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, request, url_for


def format_date(value: datetime | None, with_time: bool = False) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    text = f"{value.day} {value:%B %Y}"
    if with_time:
        hour = value.hour % 12 or 12
        text += f" at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"
    return text


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date

    @app.context_processor
    def site_globals():
        return {
            "site_name": app.config["SITE_NAME"],
            "council_name": app.config["COUNCIL_NAME"],
            "contact_email": app.config["CONTACT_EMAIL"],
        }

    def nav_item(endpoint: str, text: str, **values) -> dict:
        href = url_for(endpoint, **values)
        active = request.endpoint == endpoint or (
            request.blueprint and endpoint.split(".")[0] == request.blueprint and endpoint.endswith(".index")
        )
        return {"href": href, "text": text, "active": bool(active)}

    app.jinja_env.globals["nav_item"] = nav_item
