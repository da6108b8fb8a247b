"""Small helpers shared by the support tests."""

from __future__ import annotations

import re
from html import unescape

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
    """The flashed message's text in the page's notification banner ("" if none).

    Unescaped and without tags, so it reads the same whether base.html's banner
    markup arrives as markup or (a base.html bug, reported) as escaped text.
    """
    match = re.search(r'class="govuk-notification-banner__content">(.*?)</div>', html, re.S)
    if not match:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(match.group(1))).split())
