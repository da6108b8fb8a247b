"""Site settings for moderation: stored as key/value rows in `site_settings`, defaults here."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import select

from genius.core.database import insert_ignore
from genius.extensions import db
from genius.moderation.models import SiteSetting

# New accounts: how young an account is while its posts with links are held.
NEW_ACCOUNT_DAYS = 7


@dataclass(frozen=True)
class ModerationSettings:
    # Hold the first N ideas and comments of every account for a moderator (0: off).
    hold_first_contributions: int = 0
    # Hold ideas and comments with links from accounts younger than NEW_ACCOUNT_DAYS.
    hold_links_from_new_accounts: bool = True
    # Hide an item pending review once this many different people report it.
    reports_threshold: int = 3


DEFAULTS = ModerationSettings()
KEYS = ("hold_first_contributions", "hold_links_from_new_accounts", "reports_threshold")


def _parse(key: str, value: str):
    if key == "hold_links_from_new_accounts":
        return value == "1"
    return int(value)


def current() -> ModerationSettings:
    """The settings now (one query, cached for the request)."""
    if has_request_context() and "genius_moderation_settings" in g:
        return g.genius_moderation_settings
    stored = dict(db.session.execute(select(SiteSetting.key, SiteSetting.value).where(SiteSetting.key.in_(KEYS))).all())
    values = {}
    for key in KEYS:
        if key in stored:
            try:
                values[key] = _parse(key, stored[key])
            except ValueError:
                pass  # a hand-edited row that does not parse: the default stands
    found = ModerationSettings(**values)
    if has_request_context():
        g.genius_moderation_settings = found
    return found


def save(settings: ModerationSettings) -> None:
    """Store every setting (insert-or-update in SQL, so two admins saving at once never collide)."""
    from sqlalchemy import update

    for key in KEYS:
        value = getattr(settings, key)
        text = ("1" if value else "0") if isinstance(value, bool) else str(int(value))
        if not insert_ignore(SiteSetting.__table__, {"key": key, "value": text}):
            db.session.execute(update(SiteSetting).where(SiteSetting.key == key).values(value=text))
    if has_request_context():
        g.pop("genius_moderation_settings", None)
