"""Helpers for moderation tests."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from genius.extensions import db
from genius.moderation import counters, services
from genius.moderation.models import ModerationAction
from genius.notifications.models import Notification


@pytest.fixture
def held_idea(make_challenge, make_idea, cast):
    """An idea waiting for a moderator, as the idea service leaves it (logged, uncounted)."""

    def _held_idea(challenge=None, **kwargs):
        challenge = challenge or make_challenge()
        idea = make_idea(challenge, **kwargs)
        # make_idea counts it, as a visible idea; a held one is not counted.
        counters.count_change(idea, "visible", "held")
        services.hold(idea, "premoderation")
        db.session.commit()
        return idea

    return _held_idea


@pytest.fixture
def reported_idea(make_challenge, make_idea, make_user):
    """A public idea with `n` reports from different confirmed people."""

    def _reported_idea(n: int = 1, challenge=None, reason: str = "spam", **kwargs):
        idea = make_idea(challenge or make_challenge(), **kwargs)
        for _ in range(n):
            services.report(idea, make_user(), reason, "")
        db.session.commit()
        return idea

    return _reported_idea


def log_actions(target_kind: str | None = None, target_id: int | None = None) -> list[str]:
    db.session.rollback()
    stmt = select(ModerationAction.action).order_by(ModerationAction.id)
    if target_kind:
        stmt = stmt.where(ModerationAction.target_kind == target_kind)
    if target_id:
        stmt = stmt.where(ModerationAction.target_id == target_id)
    return list(db.session.scalars(stmt))


def notifications_of(user_id: int, kind: str | None = None) -> list[Notification]:
    db.session.rollback()
    stmt = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
