"""Fixtures for comment tests: the challenge tests' cast, factories and isolated browsers, plus comments."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from challenges.factories import as_role, cast, count_statements, make_challenge, make_idea  # noqa: F401
from core.support import client, new_client  # noqa: F401 - a fresh app context per request
from genius.challenges.models import Challenge
from genius.comments import services
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea


@pytest.fixture
def make_comment(app, cast):
    """`make_comment(challenge, idea=None, author=None, body=..., reply_to=None, created_at=None)`:
    posted through the service (counters, notifications and follows as in real life)."""

    def _make_comment(challenge, idea=None, author=None, body: str = "A thoughtful comment.",
                      reply_to=None, created_at: datetime | None = None) -> Comment:
        comment = services.post_comment(author or cast("resident"), challenge, idea, body, reply_to=reply_to)
        if created_at is not None:
            comment.created_at = created_at
        db.session.commit()
        return comment

    return _make_comment


def set_status(challenge, status: str) -> None:
    db.session.execute(update(Challenge).where(Challenge.id == challenge.id).values(status=status))
    db.session.commit()


def age(comment, minutes: float) -> None:
    """Move a comment's posting time back (to test the 15-minute edit window)."""
    db.session.execute(update(Comment).where(Comment.id == comment.id)
                       .values(created_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def bulk_threads(challenge, idea, authors, threads: int, replies_per_thread: int = 0, start: datetime | None = None) -> list[int]:
    """Insert `threads` top-level comments, a minute apart, each with replies (alternately depth 1 and 2),
    in a few statements; moves the stored counter too. Returns the top-level ids, oldest first."""
    start = start or utcnow() - timedelta(days=30)
    idea_id = idea.id if idea is not None else None
    base = dict(challenge_id=challenge.id, idea_id=idea_id, body_source="Bulk comment", is_official=False,
                body_html='<p class="govuk-body">Bulk comment</p>')
    db.session.execute(insert(Comment), [
        dict(base, depth=0, author_id=authors[n % len(authors)].id, created_at=start + timedelta(minutes=n),
             updated_at=start + timedelta(minutes=n))
        for n in range(threads)
    ])
    target = (Comment.idea_id == idea_id) if idea_id is not None else (Comment.idea_id.is_(None) & (Comment.challenge_id == challenge.id))
    roots = db.session.scalars(select(Comment.id).where(target, Comment.parent_id.is_(None))
                               .order_by(Comment.created_at, Comment.id)).all()[-threads:]
    if replies_per_thread:
        # First level: half the replies (at least one); the rest answer the first reply, at depth 2.
        first = max(1, replies_per_thread // 2)
        rows = []
        for n, root in enumerate(roots):
            when = start + timedelta(minutes=n, seconds=1)
            rows += [dict(base, depth=1, parent_id=root, root_id=root, author_id=authors[(n + k) % len(authors)].id,
                          created_at=when + timedelta(seconds=k), updated_at=when) for k in range(first)]
        db.session.execute(insert(Comment), rows)
        firsts = dict(db.session.execute(select(Comment.root_id, Comment.id).where(
            Comment.root_id.in_(roots), Comment.depth == 1).order_by(Comment.id.desc())).all())
        second = replies_per_thread - first
        if second:
            db.session.execute(insert(Comment), [
                dict(base, depth=2, parent_id=firsts[root], root_id=root, author_id=authors[k % len(authors)].id,
                     created_at=start + timedelta(minutes=n, seconds=30 + k), updated_at=start)
                for n, root in enumerate(roots) for k in range(second)
            ])
    added = threads * (1 + replies_per_thread)
    if idea is not None:
        db.session.execute(update(Idea).where(Idea.id == idea.id).values(comments_count=Idea.comments_count + added))
    else:
        db.session.execute(update(Challenge).where(Challenge.id == challenge.id)
                           .values(comments_count=Challenge.comments_count + added))
    db.session.commit()
    return list(roots)
