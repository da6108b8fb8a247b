"""Helpers for comment tests: a comment factory (a fixture returning a callable), and bulk data."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

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
    idea_id = idea.id if idea is not None else None
    target = (Comment.idea_id == idea_id) if idea_id is not None else (Comment.idea_id.is_(None) & (Comment.challenge_id == challenge.id))
    # New threads come after the ones already there (in time and in id).
    last = db.session.scalar(select(func.max(Comment.created_at)).where(target))
    start = start or (last + timedelta(minutes=1) if last else utcnow() - timedelta(days=30))
    last_id = db.session.scalar(select(func.max(Comment.id))) or 0
    base = dict(challenge_id=challenge.id, idea_id=idea_id, body_source="Bulk comment", is_official=False,
                body_html='<p class="govuk-body">Bulk comment</p>')
    db.session.execute(insert(Comment), [
        dict(base, depth=0, author_id=authors[n % len(authors)].id, created_at=start + timedelta(minutes=n),
             updated_at=start + timedelta(minutes=n))
        for n in range(threads)
    ])
    roots = db.session.scalars(select(Comment.id).where(target, Comment.id > last_id)
                               .order_by(Comment.created_at, Comment.id)).all()
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


def transient_comment(state: str, audience: str = "public", on_idea: bool = True, author: str = "author",
                      minutes_old: float = 1, deleted: bool = False, withdrawn: bool = False) -> Comment:
    """An unsaved comment (with its challenge and idea) for permission tables; written by the cast's `author`."""
    from challenges.world import _IDS, transient_challenge, transient_idea

    idea = transient_idea(state, audience, withdrawn=withdrawn) if on_idea else None
    challenge = idea.challenge if idea is not None else transient_challenge(state, audience)
    created = utcnow() - timedelta(minutes=minutes_old)
    return Comment(id=1, challenge_id=challenge.id, challenge=challenge, idea_id=idea.id if idea else None, idea=idea,
                   author_id=_IDS[author], depth=0, body_source="" if deleted else "Hello",
                   body_html="" if deleted else "<p>Hello</p>", created_at=created,
                   deleted_at=created + timedelta(seconds=30) if deleted else None)


def send(client, path: str, data: dict | None = None):
    """POST a form like a browser, whoever is signed in (anonymous visitors take a token from the sign-in page)."""
    from challenges.factories import submit
    from conftest import CSRF_RE

    page = client.get("/challenges").get_data(as_text=True)
    return submit(client, path, data or {}, token_from="/challenges" if CSRF_RE.search(page) else "/sign-in")
