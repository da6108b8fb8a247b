"""Helpers for account tests: links from emails, counting rows, a controllable token clock."""

from __future__ import annotations

import re
import time
import types
from urllib.parse import urlsplit

import itsdangerous.timed
import pytest
from sqlalchemy import func, select

from core.support import client, new_client, other_app  # noqa: F401 - fixtures
from genius.accounts.models import User
from genius.extensions import db

LINK_RE = re.compile(r"https?://\S+")


def link_in(message) -> str:
    """The path of the one link into the site in an email."""
    links = LINK_RE.findall(message.get_content())
    assert len(links) == 1, links
    return urlsplit(links[0]).path


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def reload(user: User) -> User:
    """The user as the database has it now (requests commit in sessions of their own)."""
    db.session.rollback()
    return db.session.get(User, user.id)


@pytest.fixture
def token_clock(monkeypatch):
    """Move itsdangerous's clock (a third-party clock: our code is not touched).

    `token_clock(-3601)` makes every token signed from then on look 3601 seconds old.
    """

    def _shift(seconds: float) -> None:
        fake = types.SimpleNamespace(time=lambda: time.time() + seconds)
        monkeypatch.setattr(itsdangerous.timed, "time", fake)

    return _shift
