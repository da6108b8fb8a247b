"""Read-only select() builders for profile pages. Every list is bounded and paginated, and holds
only what the reader may see: the same clauses as every other list (challenges, ideas, comments)."""

from __future__ import annotations

from sqlalchemy import Select, and_, not_, or_, select
from sqlalchemy.orm import contains_eager, lazyload

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.comments.models import Comment
from genius.comments.queries import visible_comment_clause
from genius.core.permissions import is_moderator, is_signed_in
from genius.ideas.models import Idea
from genius.ideas.queries import visible_idea_clause


def person(user_id: int) -> Select:
    return select(User).where(User.id == user_id, User.deleted_at.is_(None))


def sees_anonymous_work(viewer, person_id: int) -> bool:
    """Who may see that this person wrote an anonymous idea: the person and moderators (as can_see_author)."""
    return is_moderator(viewer) or (is_signed_in(viewer) and viewer.id == person_id)


def ideas_by(viewer, person_id: int) -> Select:
    """The person's ideas the reader may see, newest first; anonymous ones only for those who may know."""
    stmt = (
        select(Idea)
        .join(Idea.challenge)
        # The list shows titles only: tags and champion are not loaded (each would cost a statement).
        .options(contains_eager(Idea.challenge).lazyload(Challenge.tags),
                 contains_eager(Idea.challenge).lazyload(Challenge.champion), lazyload(Idea.tags))
        .where(Idea.author_id == person_id, visible_idea_clause(viewer), visible_challenge_clause(viewer))
    )
    if not sees_anonymous_work(viewer, person_id):
        stmt = stmt.where(Idea.anonymous.is_(False))
    return stmt.order_by(Idea.created_at.desc(), Idea.id.desc())


def comments_by(viewer, person_id: int) -> Select:
    """The person's comments the reader may see, newest first, with what they are on.

    Not deleted ones; not on an idea or challenge the reader may not see; and not on the
    person's own anonymous idea (the thread calls them "the author of the idea", so listing
    the comment here would name them)."""
    stmt = (
        select(Comment)
        .join(Comment.challenge)
        .outerjoin(Comment.idea)
        .options(contains_eager(Comment.challenge).lazyload(Challenge.tags),
                 contains_eager(Comment.challenge).lazyload(Challenge.champion),
                 contains_eager(Comment.idea).lazyload(Idea.tags))
        .where(
            Comment.author_id == person_id,
            Comment.deleted_at.is_(None),
            visible_comment_clause(viewer),
            visible_challenge_clause(viewer),
            or_(Comment.idea_id.is_(None), visible_idea_clause(viewer)),
        )
    )
    if not sees_anonymous_work(viewer, person_id):
        stmt = stmt.where(or_(Comment.idea_id.is_(None),
                              not_(and_(Idea.anonymous.is_(True), Idea.author_id == person_id))))
    return stmt.order_by(Comment.created_at.desc(), Comment.id.desc())



def _created_at_of(comment_id: int):
    return select(Comment.created_at).where(Comment.id == comment_id).scalar_subquery()


def comments_older_than(stmt: Select, comment_id: int) -> Select:
    """The rows of `comments_by` after the given comment in its order (newest first)."""
    at = _created_at_of(comment_id)
    return stmt.where(or_(Comment.created_at < at, and_(Comment.created_at == at, Comment.id < comment_id)))


def comments_newer_than(stmt: Select, comment_id: int) -> Select:
    """The rows of `comments_by` before the given comment, nearest first (oldest first)."""
    at = _created_at_of(comment_id)
    return (stmt.where(or_(Comment.created_at > at, and_(Comment.created_at == at, Comment.id > comment_id)))
            .order_by(None).order_by(Comment.created_at.asc(), Comment.id.asc()))
