"""Writes to the search index: one SearchDocument per challenge or idea (flush, never commit).

Only the `search_documents` rows are written here; the database keeps its own
index in step (SQLite: triggers into the FTS5 table; PostgreSQL: a generated
tsvector column), so nothing here depends on the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete, select

from genius.challenges.models import Challenge
from genius.extensions import db
from genius.ideas.models import Idea
from genius.search.models import SearchDocument

CHALLENGE = "challenge"
IDEA = "idea"
KINDS = (CHALLENGE, IDEA)

# The search queries mark highlighted words with \x02 ... \x03; keep those out of the text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str | None) -> str:
    return _CONTROL.sub(" ", text or "").strip()


def document_body(*parts: str | None) -> str:
    return "\n\n".join(p for p in (_clean(part) for part in parts) if p)


def _challenge_text(challenge: Challenge) -> tuple[str, str]:
    body = document_body(challenge.summary, challenge.background_source, " ".join(t.name for t in challenge.tags))
    return _clean(challenge.title)[:200], body


def _idea_text(idea: Idea, tag_names: Iterable[str] | None = None) -> tuple[str, str]:
    names = list(tag_names) if tag_names is not None else [t.name for t in idea.tags]
    return _clean(idea.title)[:200], document_body(idea.summary, idea.description_source, " ".join(names), idea.area)


def _upsert(kind: str, ref_id: int, challenge_id: int, title: str, body: str) -> SearchDocument:
    doc = db.session.scalar(select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id))
    if doc is None:
        doc = SearchDocument(kind=kind, ref_id=ref_id)
        db.session.add(doc)
    doc.challenge_id = challenge_id
    doc.title = title
    doc.body = body
    db.session.flush()
    return doc


def index_challenge(challenge: Challenge) -> SearchDocument:
    """Add or refresh a challenge's document: title; summary, background and tag names."""
    if challenge.id is None:
        db.session.flush()
    return _upsert(CHALLENGE, challenge.id, challenge.id, *_challenge_text(challenge))


def index_idea(idea: Idea, tag_names: Iterable[str] | None = None) -> SearchDocument:
    """Add or refresh an idea's document: title; summary, description, tag names and area.

    `tag_names` saves reading `idea.tags` when the caller already has them.
    """
    if idea.id is None:
        db.session.flush()
    return _upsert(IDEA, idea.id, idea.challenge_id, *_idea_text(idea, tag_names))


def remove(kind: str, ref_id: int) -> None:
    """Drop a document (deleting a challenge drops its documents by ON DELETE CASCADE too)."""
    if kind not in KINDS:
        raise ValueError(f"unknown search document kind {kind!r}")
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id),
        execution_options={"synchronize_session": "fetch"},
    )
    db.session.flush()


def rebuild_index() -> int:
    """Index every challenge and idea again (for a maintenance command); returns the count."""
    db.session.execute(delete(SearchDocument), execution_options={"synchronize_session": "fetch"})
    db.session.flush()
    count = 0
    for challenge in db.session.scalars(select(Challenge).order_by(Challenge.id)):
        title, body = _challenge_text(challenge)
        db.session.add(SearchDocument(kind=CHALLENGE, ref_id=challenge.id, challenge_id=challenge.id, title=title, body=body))
        count += 1
    for idea in db.session.scalars(select(Idea).order_by(Idea.id)):
        title, body = _idea_text(idea)
        db.session.add(SearchDocument(kind=IDEA, ref_id=idea.id, challenge_id=idea.challenge_id, title=title, body=body))
        count += 1
    db.session.flush()
    return count
