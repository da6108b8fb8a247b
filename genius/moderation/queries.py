"""Read-only queries for moderation: the queue, a person's history, the audit log, the dashboard.

The queue page costs a fixed number of statements whatever its length: one per kind
(ideas, comments, people, each with its open reports aggregated in the same statement),
one for the authors' history, and the dashboard's figures.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, case, func, or_, select, true
from sqlalchemy.orm import joinedload

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.core.permissions import is_moderator
from genius.extensions import db
from genius.ideas.models import Idea
from genius.moderation.models import DuplicateProposal, ModerationAction, Report

QUEUE_LIMIT = 100  # per kind; the oldest first, so nothing waits unseen for long
DASHBOARD_DAYS = 30
ACTIONS = {
    "held": "Held for review",
    "approve": "Approved",
    "hide": "Hidden",
    "hidden_by_reports": "Hidden after reports",
    "restore": "Restored",
    "dismiss_reports": "Reports dismissed",
    "edit": "Edited",
    "suspend": "Suspended",
    "ban": "Banned",
    "lift": "Suspension or ban lifted",
    "propose_duplicate": "Proposed as a duplicate",
    "accept_duplicate": "Duplicate accepted",
    "decline_duplicate": "Duplicate declined",
    "settings": "Site settings changed",
}
DECISIONS = ("approve", "hide", "restore", "dismiss_reports")


@dataclass
class QueueItem:
    kind: str  # idea, comment, person
    target: object
    reports: int
    waiting_since: datetime
    history: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.target.id}"

    @property
    def author(self) -> User:
        return self.target if self.kind == "person" else self.target.author

    @property
    def state(self) -> str:
        return "" if self.kind == "person" else self.target.moderation_state

    @property
    def title(self) -> str:
        if self.kind == "idea":
            return self.target.title
        if self.kind == "comment":
            return " ".join(self.target.body_source.split())[:120] or "(deleted comment)"
        return self.target.display_name


def champion_scope(user, column) -> ColumnElement[bool]:
    """Everything for moderators; a champion's own challenges for them."""
    if is_moderator(user):
        return true()
    return column.in_(select(Challenge.id).where(Challenge.champion_id == user.id))


def champions_a_challenge(user) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Challenge).where(Challenge.champion_id == user.id)))


def _open_reports(kind: str):
    return (select(Report.target_id, func.count().label("n"), func.min(Report.created_at).label("first"))
            .where(Report.target_kind == kind, Report.resolved_at.is_(None))
            .group_by(Report.target_id).subquery())


def queue(user, now: datetime | None = None) -> list[QueueItem]:
    """Held and reported items (and reported people, for moderators), oldest wait first."""
    items: list[QueueItem] = []
    reported = _open_reports("idea")
    rows = db.session.execute(
        select(Idea, reported.c.n, reported.c.first)
        .options(joinedload(Idea.author), joinedload(Idea.challenge))
        .outerjoin(reported, reported.c.target_id == Idea.id)
        .where(or_(Idea.moderation_state == "held", reported.c.n.is_not(None)), champion_scope(user, Idea.challenge_id))
        .order_by(func.coalesce(reported.c.first, Idea.created_at), Idea.id).limit(QUEUE_LIMIT)
    ).all()
    for idea, n, first in rows:
        since = min(filter(None, [first, idea.created_at if idea.moderation_state == "held" else None]))
        items.append(QueueItem("idea", idea, n or 0, since))
    reported = _open_reports("comment")
    rows = db.session.execute(
        select(Comment, reported.c.n, reported.c.first)
        .options(joinedload(Comment.author), joinedload(Comment.challenge), joinedload(Comment.idea))
        .outerjoin(reported, reported.c.target_id == Comment.id)
        .where(or_(Comment.moderation_state == "held", reported.c.n.is_not(None)),
               champion_scope(user, Comment.challenge_id))
        .order_by(func.coalesce(reported.c.first, Comment.created_at), Comment.id).limit(QUEUE_LIMIT)
    ).all()
    for comment, n, first in rows:
        since = min(filter(None, [first, comment.created_at if comment.moderation_state == "held" else None]))
        items.append(QueueItem("comment", comment, n or 0, since))
    if is_moderator(user):
        reported = _open_reports("person")
        rows = db.session.execute(
            select(User, reported.c.n, reported.c.first).join(reported, reported.c.target_id == User.id)
            .order_by(reported.c.first, User.id).limit(QUEUE_LIMIT)
        ).all()
        items.extend(QueueItem("person", person, n, first) for person, n, first in rows)
    histories = author_histories({item.author.id for item in items})
    for item in items:
        item.history = histories.get(item.author.id, {})
    items.sort(key=lambda item: (item.waiting_since, item.kind, item.target.id))
    return items


def author_histories(user_ids: set[int]) -> dict[int, dict]:
    """Per author: ideas and comments posted, how many hidden, reports upheld. One statement."""
    if not user_ids:
        return {}
    ideas = (select(Idea.author_id.label("uid"), func.count().label("posted"),
                    func.sum(case((Idea.moderation_state == "hidden", 1), else_=0)).label("hidden"))
             .where(Idea.author_id.in_(user_ids)).group_by(Idea.author_id))
    comments = (select(Comment.author_id.label("uid"), func.count().label("posted"),
                       func.sum(case((Comment.moderation_state == "hidden", 1), else_=0)).label("hidden"))
                .where(Comment.author_id.in_(user_ids)).group_by(Comment.author_id))
    users = select(User.id, User.created_at, User.suspended_until, User.banned_at).where(User.id.in_(user_ids)).subquery()
    i = ideas.subquery()
    c = comments.subquery()
    rows = db.session.execute(
        select(users.c.id, users.c.created_at, i.c.posted, i.c.hidden, c.c.posted, c.c.hidden)
        .outerjoin(i, i.c.uid == users.c.id).outerjoin(c, c.c.uid == users.c.id)
    ).all()
    return {uid: {"joined": joined, "ideas": ip or 0, "comments": cp or 0, "hidden": (ih or 0) + (ch or 0)}
            for uid, joined, ip, ih, cp, ch in rows}


def reports_on(kind: str, target_id: int) -> Select:
    return (select(Report).options(joinedload(Report.reporter))
            .where(Report.target_kind == kind, Report.target_id == target_id)
            .order_by(Report.resolved_at.is_not(None), Report.created_at.desc()).limit(100))


def person_content(person_id: int, limit: int = 50) -> tuple[list[Idea], list[Comment]]:
    ideas = db.session.scalars(select(Idea).options(joinedload(Idea.challenge)).where(Idea.author_id == person_id)
                               .order_by(Idea.created_at.desc()).limit(limit)).all()
    comments = db.session.scalars(select(Comment).options(joinedload(Comment.challenge), joinedload(Comment.idea))
                                  .where(Comment.author_id == person_id)
                                  .order_by(Comment.created_at.desc()).limit(limit)).all()
    return list(ideas), list(comments)


def log_entries(action: str = "", kind: str = "", actor_id: int | None = None, target_id: int | None = None) -> Select:
    stmt = select(ModerationAction).options(joinedload(ModerationAction.actor))
    if action:
        stmt = stmt.where(ModerationAction.action == action)
    if kind:
        stmt = stmt.where(ModerationAction.target_kind == kind)
    if actor_id:
        stmt = stmt.where(ModerationAction.actor_id == actor_id)
    if target_id:
        stmt = stmt.where(ModerationAction.target_id == target_id)
    return stmt.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())


def pending_duplicate(idea_id: int) -> Select:
    return select(DuplicateProposal).where(DuplicateProposal.idea_id == idea_id, DuplicateProposal.state == "proposed")


@dataclass
class Dashboard:
    waiting: int
    oldest: datetime | None
    median_hours: float | None
    decisions: int


def median_decision_hours(now: datetime | None = None, challenge_ids=None) -> tuple[float | None, int]:
    """The median hours from an item starting to wait to a moderator's decision, over the last 30 days."""
    now = now or utcnow()
    stmt = (select(ModerationAction.queued_at, ModerationAction.created_at)
            .where(ModerationAction.created_at >= now - timedelta(days=DASHBOARD_DAYS),
                   ModerationAction.queued_at.is_not(None), ModerationAction.actor_id.is_not(None),
                   ModerationAction.action.in_(DECISIONS))
            .order_by(ModerationAction.id.desc()).limit(10_000))
    if challenge_ids is not None:
        stmt = stmt.where(ModerationAction.challenge_id.in_(challenge_ids))
    waits = [(decided - queued).total_seconds() / 3600 for queued, decided in db.session.execute(stmt)]
    return (round(statistics.median(waits), 1) if waits else None), len(waits)


def dashboard(user, items: list[QueueItem], now: datetime | None = None) -> Dashboard:
    scope = None if is_moderator(user) else select(Challenge.id).where(Challenge.champion_id == user.id)
    median, decisions = median_decision_hours(now, scope)
    return Dashboard(waiting=len(items), oldest=min((i.waiting_since for i in items), default=None),
                     median_hours=median, decisions=decisions)


def expected_wait_text(now: datetime | None = None) -> str:
    median, _ = median_decision_hours(now)
    if median is None:
        return "Moderators usually look at new contributions within 2 working days."
    if median < 1:
        return "Moderators have been taking less than an hour to decide, lately."
    if median < 48:
        return f"Moderators have been taking about {round(median)} hour{'s' if round(median) != 1 else ''} to decide, lately."
    return f"Moderators have been taking about {round(median / 24)} days to decide, lately."
