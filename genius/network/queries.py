"""Read-only aggregate queries the network is built from: one row per pair (and month), never per event.

Every query applies the same visibility rules as the pages: the reader's challenges
(`visible_challenge_clause`), ideas and comments visible to the public (`visible_idea_clause(None)`,
`visible_comment_clause(None)`: hidden or held content never makes a link, whoever is looking),
no deleted comments, and no anonymous ideas (a link to their author would name them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, false, func, literal, select, union_all

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.comments.models import Comment
from genius.comments.queries import visible_comment_clause
from genius.groups.models import Group, GroupStatus, Membership, MemberState
from genius.ideas.models import Idea, Support
from genius.ideas.queries import visible_idea_clause


def month_of(column, dialect: str):
    """'YYYY-MM' of a stored UTC moment, in SQL."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _window(column, start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    where = []
    if start is not None:
        where.append(column >= start)
    if end is not None:
        where.append(column < end)
    return where


def _idea_rules(viewer, now: datetime, challenge_id: int | None) -> list[ColumnElement[bool]]:
    where = [visible_challenge_clause(viewer, now), visible_idea_clause(None), Idea.anonymous == false()]
    if challenge_id is not None:
        where.append(Idea.challenge_id == challenge_id)
    return where


def comment_pairs(viewer, now, dialect, challenge_id=None, start=None, end=None) -> Select:
    """(commenter, idea author, month, how many) for comments on other people's ideas."""
    month = month_of(Comment.created_at, dialect)
    return (
        select(Comment.author_id, Idea.author_id, month, func.count())
        .join(Idea, Idea.id == Comment.idea_id)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), visible_comment_clause(None), Comment.deleted_at.is_(None),
               Comment.author_id != Idea.author_id, *_window(Comment.created_at, start, end))
        .group_by(Comment.author_id, Idea.author_id, month)
    )


def support_pairs(viewer, now, dialect, challenge_id=None, start=None, end=None) -> Select:
    """(supporter, idea author, month, how many) for supports of other people's ideas."""
    month = month_of(Support.created_at, dialect)
    return (
        select(Support.user_id, Idea.author_id, month, func.count())
        .join(Idea, Idea.id == Support.idea_id)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), Support.user_id != Idea.author_id,
               *_window(Support.created_at, start, end))
        .group_by(Support.user_id, Idea.author_id, month)
    )


def co_working_pairs(viewer, now, dialect, challenge_id=None, start=None, end=None) -> Select:
    """Both of the above in one statement: (what, person, idea author, month, how many)."""
    comments = comment_pairs(viewer, now, dialect, challenge_id, start, end).add_columns(literal("comments"))
    supports = support_pairs(viewer, now, dialect, challenge_id, start, end).add_columns(literal("supports"))
    return union_all(comments, supports)


def proposals(viewer, now, dialect, challenge_id=None, start=None, end=None) -> Select:
    """(author, group on whose behalf or None, challenge, month, how many) for visible ideas."""
    month = month_of(Idea.created_at, dialect)
    return (
        select(Idea.author_id, Idea.group_id, Idea.challenge_id, month, func.count())
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), *_window(Idea.created_at, start, end))
        .group_by(Idea.author_id, Idea.group_id, Idea.challenge_id, month)
    )


def _approved_groups(end: datetime | None) -> list[ColumnElement[bool]]:
    where = [Group.status == GroupStatus.APPROVED.value]
    if end is not None:
        where.append(func.coalesce(Group.approved_at, Group.created_at) < end)
    return where


def memberships(end=None) -> Select:
    """(person, group) for active members of approved groups who had joined by the window's end."""
    stmt = (
        select(Membership.user_id, Membership.group_id)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.state == MemberState.ACTIVE.value, *_approved_groups(end))
    )
    if end is not None:
        stmt = stmt.where(func.coalesce(Membership.joined_at, Membership.created_at) < end)
    return stmt


def groups(end=None) -> Select:
    return select(Group.id, Group.name, Group.kind).where(*_approved_groups(end))


def people(ids: list[int]) -> Select:
    """Live accounts among `ids` (deleted accounts never appear)."""
    return (
        select(User.id, User.display_name, User.show_in_network)
        .where(User.id.in_(ids), User.deleted_at.is_(None))
    )


def challenges(viewer, now, challenge_id=None) -> Select:
    stmt = select(Challenge.id, Challenge.title, Challenge.owner_group_id).where(visible_challenge_clause(viewer, now))
    if challenge_id is not None:
        stmt = stmt.where(Challenge.id == challenge_id)
    return stmt


def timed_audience_state(now: datetime) -> Select:
    """How many "staff first, then everyone" challenges have turned public by now: a change that makes
    cached public graphs stale without any row changing."""
    return select(func.count()).select_from(Challenge).where(
        and_(Challenge.audience == "staff_first", Challenge.public_from <= now))
