"""Read-only aggregate queries the network is built from: one row per pair (and month), never per event.

Every query applies the same visibility rules as the pages: the reader's challenges
(`visible_challenge_clause`), ideas and comments visible to the public (`visible_idea_clause(None)`,
`visible_comment_clause(None)`: hidden or held content never makes a link, whoever is looking),
no deleted comments, and no anonymous ideas (a link to their author would name them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (ColumnElement, Integer, Select, and_, bindparam, false, func, literal, null, or_, select,
                        union_all)

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


def among(column, ids) -> ColumnElement[bool]:
    """`column IN (ids)` with the integers written into the SQL rather than bound one by one: a list of
    thousands of ids, repeated in several parts of one statement, would pass SQLite's limit on bound
    values (they are integers we made, never text from a reader)."""
    return column.in_(bindparam(None, [int(i) for i in ids], expanding=True, literal_execute=True))


def _among(giver, receiver, people: list[int] | None, touching: bool) -> list[ColumnElement[bool]]:
    """Rows among `people` (both ends), or touching them (either end); no filter when `people` is None."""
    if people is None:
        return []
    if touching:
        return [or_(among(giver, people), among(receiver, people))]
    return [among(giver, people), among(receiver, people)]


def _comments(viewer, now, challenge_id, start, end, *columns) -> Select:
    """Visible comments on other people's visible, named ideas: the rows every comment query starts from."""
    return (
        select(*columns)
        .select_from(Comment)
        .join(Idea, Idea.id == Comment.idea_id)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), visible_comment_clause(None), Comment.deleted_at.is_(None),
               Comment.author_id != Idea.author_id, *_window(Comment.created_at, start, end))
    )


def _supports(viewer, now, challenge_id, start, end, *columns) -> Select:
    """Supports of other people's visible, named ideas."""
    return (
        select(*columns)
        .select_from(Support)
        .join(Idea, Idea.id == Support.idea_id)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), Support.user_id != Idea.author_id,
               *_window(Support.created_at, start, end))
    )


def comment_pairs(viewer, now, dialect, challenge_id=None, start=None, end=None, people=None, touching=False) -> Select:
    """(commenter, idea author, month, how many) for comments on other people's ideas."""
    month = month_of(Comment.created_at, dialect)
    return (
        _comments(viewer, now, challenge_id, start, end, Comment.author_id, Idea.author_id, month, func.count())
        .where(*_among(Comment.author_id, Idea.author_id, people, touching))
        .group_by(Comment.author_id, Idea.author_id, month)
    )


def support_pairs(viewer, now, dialect, challenge_id=None, start=None, end=None, people=None, touching=False) -> Select:
    """(supporter, idea author, month, how many) for supports of other people's ideas."""
    month = month_of(Support.created_at, dialect)
    return (
        _supports(viewer, now, challenge_id, start, end, Support.user_id, Idea.author_id, month, func.count())
        .where(*_among(Support.user_id, Idea.author_id, people, touching))
        .group_by(Support.user_id, Idea.author_id, month)
    )


def activity(viewer, now, dialect, challenge_id=None, start=None, end=None, people=None, touching=False,
             groups=None) -> Select:
    """Co-working pairs and proposals in one statement, rows of (what, a, b, c, month, how many):
    ("comments" | "supports", person, idea author, None, ...) and ("ideas", author, group or None,
    challenge, ...). `people`: only pairs of two of them (or, `touching`, with at least one of them), and
    their ideas (and, with `groups`, ideas on behalf of those groups)."""
    none = null().cast(Integer)
    comments = comment_pairs(viewer, now, dialect, challenge_id, start, end, people, touching)
    supports = support_pairs(viewer, now, dialect, challenge_id, start, end, people, touching)
    ideas = proposals(viewer, now, dialect, challenge_id, start, end, people, groups)
    a, b, month, n = comments.selected_columns
    comments = comments.with_only_columns(literal("comments"), a, b, none, month, n)
    a, b, month, n = supports.selected_columns
    supports = supports.with_only_columns(literal("supports"), a, b, none, month, n)
    ideas = ideas.with_only_columns(literal("ideas"), *ideas.selected_columns)
    return union_all(comments, supports, ideas)


def proposals(viewer, now, dialect, challenge_id=None, start=None, end=None, people=None, groups=None) -> Select:
    """(author, group on whose behalf or None, challenge, month, how many) for visible ideas; with `people`,
    only their ideas (and, with `groups`, ideas on behalf of those groups)."""
    month = month_of(Idea.created_at, dialect)
    stmt = (
        select(Idea.author_id, Idea.group_id, Idea.challenge_id, month, func.count())
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), *_window(Idea.created_at, start, end))
        .group_by(Idea.author_id, Idea.group_id, Idea.challenge_id, month)
    )
    if people is not None:
        stmt = stmt.where(or_(among(Idea.author_id, people), among(Idea.group_id, groups or [])))
    return stmt


def most_active(viewer, now, end=None, limit: int = 500, challenge_id: int | None = None,
                with_total: bool = False) -> Select:
    """(person, score) for the `limit` most connected live people of the site, best first, ranked by the
    database so only `limit` rows come back however many people there are. With `with_total`, each row
    also carries how many live accounts there are (live_people(), read once): the capped site needs both,
    and one statement serves a small site and a large one alike.

    The score is cheap on purpose (it runs on the request path over the whole site): the comments and
    supports their ideas drew (the ideas' stored counters, which count visible content only, over visible
    ideas in challenges this reader can see and not posted anonymously), plus one for each such idea and
    each active membership of an approved group. Reading the 3 million supports rows to count what each
    person gave as well took 4 to 40 s on SQLite at 200,000 people; it would barely change the ranking,
    where the people whose ideas draw others in come first (the 1,000th author drew 399 comments and
    supports at that scale; nobody gave more than 98 supports). In a challenge, only its ideas count."""
    drawn = (Idea.supports_count + Idea.comments_count + 1).label("n")
    ideas = (
        select(Idea.author_id.label("uid"), drawn)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id), *_window(Idea.created_at, None, end))
    )
    if challenge_id is None:
        member = memberships(end).with_only_columns(Membership.user_id.label("uid"), literal(1).label("n"))
        every = union_all(ideas, member).subquery()
    else:
        every = ideas.subquery()
    score = func.sum(every.c.n)
    columns = [every.c.uid, score.label("score")]
    if with_total:
        columns.append(live_people().scalar_subquery().label("total"))
    return (
        select(*columns)
        .join(User, User.id == every.c.uid)
        .where(User.deleted_at.is_(None))
        .group_by(every.c.uid)
        .order_by(score.desc(), every.c.uid)
        .limit(limit)
    )


def challenge_reach(viewer, now, challenge_id: int) -> Select:
    """At most how many people a challenge's network can hold: its visible, named ideas' authors plus every
    comment and support they drew (the stored counters: one indexed read of its ideas)."""
    return (
        select(func.coalesce(func.sum(Idea.supports_count + Idea.comments_count + 1), 0))
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*_idea_rules(viewer, now, challenge_id))
    )


def live_people() -> Select:
    """How many live accounts there are (what the capped site network is a part of)."""
    return select(func.count()).select_from(User).where(User.deleted_at.is_(None))


def _approved_groups(end: datetime | None) -> list[ColumnElement[bool]]:
    where = [Group.status == GroupStatus.APPROVED.value]
    if end is not None:
        where.append(func.coalesce(Group.approved_at, Group.created_at) < end)
    return where


def memberships(end=None, people=None) -> Select:
    """(person, group) for active members of approved groups who had joined by the window's end
    (with `people`, only theirs)."""
    # With a list of people, start from them: `group_id + 0` keeps SQLite (which has no statistics to go
    # by) from reading every membership of every approved group instead.
    group = Membership.group_id if people is None else Membership.group_id + 0
    stmt = (
        select(Membership.user_id, Membership.group_id)
        .where(Membership.state == MemberState.ACTIVE.value,
               group.in_(select(Group.id).where(*_approved_groups(end))))
    )
    if end is not None:
        stmt = stmt.where(func.coalesce(Membership.joined_at, Membership.created_at) < end)
    if people is not None:
        stmt = stmt.where(among(Membership.user_id, people))
    return stmt


def groups(end=None) -> Select:
    return select(Group.id, Group.name, Group.kind).where(*_approved_groups(end))


def people(ids: list[int], now: datetime) -> Select:
    """Live accounts among `ids`: deleted, banned and (while it lasts) suspended accounts never appear,
    nor do the links they make. (A suspension that ends by the clock changes no row: its person comes
    back when the cached graph expires, within NETWORK_CACHE_SECONDS.)"""
    return (
        select(User.id, User.display_name, User.show_in_network)
        .where(User.id.in_(ids), User.deleted_at.is_(None), User.banned_at.is_(None),
               or_(User.suspended_until.is_(None), User.suspended_until <= now))
    )


def challenges(viewer, now, challenge_id=None) -> Select:
    stmt = select(Challenge.id, Challenge.title, Challenge.owner_group_id).where(visible_challenge_clause(viewer, now))
    if challenge_id is not None:
        stmt = stmt.where(Challenge.id == challenge_id)
    return stmt


def timed_audience_state(now: datetime) -> Select:
    """How many "staff first, then everyone" challenges have turned public by now (a change that makes
    cached public graphs stale without any row changing), and when the next one will."""
    staff_first = Challenge.audience == "staff_first"
    turned = func.count().filter(Challenge.public_from <= now)
    upcoming = func.min(Challenge.public_from).filter(Challenge.public_from > now)
    return select(turned, upcoming).select_from(Challenge).where(staff_first)
