"""Template globals and filters."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, request, url_for

from genius.core.dates import local, local_zone
from genius.core.models import utcnow
from genius.core.text import safe_html


def format_date(value: datetime | None, with_time: bool = False) -> str:
    """'5 March 2027' (or '5 March 2027 at 2:05pm') in the council's time zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = local(value)
    text = f"{value.day} {value:%B %Y}"
    if with_time:
        hour = value.hour % 12 or 12
        text += f" at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"
    return text


def time_until(moment: datetime | None, now: datetime | None = None) -> str:
    """'3 days', '5 hours', 'less than an hour': for countdowns."""
    if moment is None:
        return ""
    seconds = (moment - (now or utcnow())).total_seconds()
    if seconds <= 0:
        return "no time"
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if days >= 2:
        return f"{days} days"
    if hours >= 2:
        return f"{hours} hours"
    if hours == 1:
        return "1 hour"
    return "less than an hour"


def days_since(moment: datetime | None, now: datetime | None = None) -> int:
    if moment is None:
        return 0
    return max(0, int(((now or utcnow()) - moment).total_seconds() // 86400))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def error_summary(form) -> dict:
    """The GOV.UK error summary for a form. Date fields link to their first box (day),
    as the Design System asks, since the group around the boxes cannot take focus."""
    from govuk_frontend_wtf.main import wtforms_errors
    from govuk_frontend_wtf.wtforms_widgets import GovDateInput

    params = wtforms_errors(form)
    date_ids = {f"#{field.id}" for field in form if isinstance(field.widget, GovDateInput)}
    for item in params["errorList"]:
        if item.get("href") in date_ids:
            item["href"] += "-day"
    return params


def init_app(app: Flask) -> None:
    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["time_until"] = time_until
    app.jinja_env.filters["days_since"] = days_since
    app.jinja_env.filters["plural"] = plural
    # Only for HTML that core.text.render_markdown() made when the text was saved.
    app.jinja_env.filters["sanitised"] = safe_html

    @app.context_processor
    def site_globals():
        return {
            "site_name": app.config["SITE_NAME"],
            "council_name": app.config["COUNCIL_NAME"],
            "contact_email": app.config["CONTACT_EMAIL"],
            "now": utcnow,
            "timezone_name": str(local_zone()),
        }

    def nav_item(endpoint: str, text: str, **values) -> dict:
        href = url_for(endpoint, **values)
        active = request.endpoint == endpoint or (
            request.blueprint and endpoint.split(".")[0] == request.blueprint and endpoint.endswith(".index")
        )
        return {"href": href, "text": text, "active": bool(active)}

    app.jinja_env.globals["nav_item"] = nav_item
