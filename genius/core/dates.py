"""Council-local dates <-> stored UTC moments. The council's time zone is TIMEZONE."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("TIMEZONE", "Europe/London"))


def start_of_day(day: date) -> datetime:
    """The UTC moment a local day starts."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(timezone.utc)


def end_of_day(day: date) -> datetime:
    """The UTC moment a local day ends (the start of the next day)."""
    return start_of_day(day + timedelta(days=1))


def local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def local_day(moment: datetime | None) -> date | None:
    return local(moment).date() if moment else None


def last_local_day(end: datetime) -> date:
    """For an end-of-day moment, the day it ends (what a form shows as the closing date)."""
    return (local(end) - timedelta(seconds=1)).date()
