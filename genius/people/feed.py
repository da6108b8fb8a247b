"""A person's comments on their profile, paged by position (keyset), not by number.

A page-numbered list needs the total, and counting a busy person's comments with
the visibility rules joined (thousands of rows) cost more than the rest of the
page at x10. Here a page reads at most per_page + 1 rows, walking the index
(author_id, created_at, id) from a comment's place: "Older comments" carries the
last comment's id, "Newer comments" the first one's. One statement whatever the
person wrote; a cursor that no longer matches (the comment was deleted or hidden)
gives an empty page with a link back to the newest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from genius.comments.models import Comment
from genius.extensions import db
from genius.people import queries


@dataclass
class CommentFeed:
    items: list[Comment] = field(default_factory=list)
    newer: int | None = None  # the id to ask for comments newer than, or None on the newest page
    older: int | None = None  # the id to ask for comments older than, or None on the oldest page
    moved: bool = False  # a cursor was given (not the first page)


def comment_feed(viewer, person_id: int, before: int | None = None, after: int | None = None,
                 per_page: int = 10) -> CommentFeed:
    stmt = queries.comments_by(viewer, person_id)
    if after is not None:
        rows = list(db.session.scalars(queries.comments_newer_than(stmt, after).limit(per_page + 1)))
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return CommentFeed(rows, newer=rows[0].id if rows and more_newer else None,
                           older=rows[-1].id if rows else None, moved=True)
    if before is not None:
        stmt = queries.comments_older_than(stmt, before)
    rows = list(db.session.scalars(stmt.limit(per_page + 1)))
    more_older = len(rows) > per_page
    rows = rows[:per_page]
    return CommentFeed(rows, newer=rows[0].id if rows and before is not None else None,
                       older=rows[-1].id if rows and more_older else None, moved=before is not None)
