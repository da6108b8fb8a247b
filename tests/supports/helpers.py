"""Small helpers shared by the support tests."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from conftest import csrf_token
from genius.extensions import db
from genius.ideas.models import Idea, Support

JSON = {"Accept": "application/json"}


def stored(idea) -> tuple[int, int]:
    """(ideas.supports_count, COUNT(*) FROM supports) for the idea, as the database has them now."""
    db.session.rollback()
    db.session.expire_all()
    counter = db.session.scalar(select(Idea.supports_count).where(Idea.id == idea.id))
    rows = db.session.scalar(select(func.count()).select_from(Support).where(Support.idea_id == idea.id))
    return counter, rows


def post(client, idea, action: str = "support", json: bool = False, token: str | None = None, **data):
    """POST the support form as the idea page would (CSRF token from the page)."""
    path = f"/ideas/{idea.id}/{'support' if action == 'support' else 'withdraw-support'}"
    payload = {"csrf_token": token or csrf_token(client, f"/ideas/{idea.id}"), **data}
    return client.post(path, data=payload, headers=JSON if json else {})


def flash_text(html: str) -> str:
    match = re.search(r'<p class=.govuk-(?:notification-banner__heading|body).>(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""
