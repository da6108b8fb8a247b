"""The challenge page's filter counts (ideas per status, tag and area, which also give the total),
without reading every idea of the challenge on every request.

Counting them takes one pass over all the challenge's ideas and idea_tags: about 1,100 heap pages
and 17 ms on PostgreSQL for a challenge of 2,866 ideas, and growing with it. Ideas change far less
often than the page is read, so the counts of what everyone may see (visible ideas) are cached per
process, keyed by `challenges.ideas_version`, which is read with the challenge anyway (no extra
statement). What only this reader sees on top (their own held or hidden ideas; all of them for a
moderator or the challenge's champion) is counted live: a handful of rows, through the partial
index of non-visible ideas or the author's ideas.

Staleness: session events notice every change the counts depend on (an idea added or deleted; its
status, withdrawal, area, moderation state, challenge or tags changed; a challenge tag removed) —
ORM flushes and bulk INSERT/UPDATE/DELETE statements alike — and bump the version of the challenges
concerned in the same transaction, just before it commits (a bulk statement bumps every challenge).
A reader reads the version, then the counts, so a cached entry is never older than its key.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import (ColumnElement, String, and_, cast, event, false, func, inspect, literal, literal_column, select, text,
                        union_all, update)
from sqlalchemy.orm import Session

from genius.challenges.models import Challenge, ChallengeTag
from genius.core.cache import MemoryStorage
from genius.core.permissions import is_moderator, is_signed_in, is_staff
from genius.extensions import db
from genius.ideas.models import Idea, idea_tags

ENTRIES = 512  # challenges per process; an entry is a few dozen small tuples
KEEP_SECONDS = 24 * 3600  # the version key decides freshness; expiry only frees what is no longer read
CHANGED = "genius_idea_counts_changed"  # session.info: challenge ids, or ALL
ALL = "all"
# The idea columns the counts depend on (author_id too: it decides whose non-visible ideas are whose).
_COUNTED = frozenset({"challenge_id", "status", "withdrawn_at", "area", "moderation_state", "author_id"})

Row = tuple[str, str, bool, int]  # (kind, key, withdrawn, n): see count_rows()


def _memory() -> MemoryStorage:
    found = current_app.extensions.get("genius_idea_counts")
    if found is None:
        found = current_app.extensions["genius_idea_counts"] = MemoryStorage(entries=ENTRIES)
    return found


def _grouped(where: ColumnElement[bool], part: str):
    """(part, kind, key, withdrawn, n) for the ideas matching `where`, in one UNION ALL."""
    withdrawn = Idea.withdrawn_at.is_not(None)
    tag = literal(part).label("part")
    by_status = (
        select(tag, literal("status").label("kind"), Idea.status.label("key"), withdrawn.label("withdrawn"),
               func.count().label("n"))
        .where(where)
        .group_by(Idea.status, withdrawn)
    )
    by_tag = (
        select(literal(part), literal("tag"), cast(idea_tags.c.tag_id, String), false(), func.count())
        .select_from(idea_tags)
        .join(Idea, Idea.id == idea_tags.c.idea_id)
        .where(where)
        .group_by(idea_tags.c.tag_id)
    )
    by_area = (
        select(literal(part), literal("area"), Idea.area, false(), func.count())
        .where(where, Idea.area.is_not(None))
        .group_by(Idea.area)
    )
    return [by_status, by_tag, by_area]


def public_where(challenge: Challenge) -> ColumnElement[bool]:
    return and_(Idea.challenge_id == challenge.id, Idea.moderation_state == "visible")


def extra_where(challenge: Challenge, user) -> ColumnElement[bool] | None:
    """The non-visible ideas this reader may see (ideas.queries.visible_idea_clause minus the visible
    ones), or None when there are none to count: anonymous readers."""
    if not is_signed_in(user):
        return None
    # Written as the partial index ix_ideas_moderation_state's own predicate (a literal, not a bound
    # parameter), so SQLite may use it; "+ 0" keeps SQLite (no statistics unless ANALYZE ran) from
    # walking every idea of the challenge by challenge_id instead of these few rows.
    hidden = and_(text("ideas.moderation_state <> 'visible'"), Idea.challenge_id + literal_column("0") == challenge.id)
    if is_moderator(user) or (is_staff(user) and challenge.champion_id == user.id):
        return hidden  # every held or hidden idea of the site (the moderation backlog), then this challenge's
    return and_(hidden, Idea.author_id == user.id)  # their own: ix_ideas_author_challenge


def count_rows(challenge: Challenge, user) -> list[Row]:
    """(kind, key, withdrawn, n) rows for the labels of every filter, as `user` may see the ideas:
    kind "status" (key a status), "tag" (key a tag id, as text) or "area" (key an area). One statement
    at most: the live part for this reader, plus the public part when it is not cached."""
    memory = _memory()
    key = f"{challenge.id}:{challenge.ideas_version}"
    found = memory.get(key)
    public = found[1] if found is not None else None
    parts = []
    if public is None:
        parts += _grouped(public_where(challenge), "public")
    extra = extra_where(challenge, user)
    if extra is not None:
        parts += _grouped(extra, "extra")
    rows: list[Row] = []
    if parts:
        found = db.session.execute(union_all(*parts)).all()
        if public is None:
            public = tuple((kind, key_, bool(withdrawn), n) for part, kind, key_, withdrawn, n in found if part == "public")
            memory.set(key, b"", public, KEEP_SECONDS)
        rows = [(kind, key_, bool(withdrawn), n) for part, kind, key_, withdrawn, n in found if part == "extra"]
    return list(public) + rows


# Staleness ------------------------------------------------------------------------------------


def _changed(session) -> set | str:
    return session.info.setdefault(CHANGED, set())


def _mark(session, challenge_id) -> None:
    found = _changed(session)
    if found != ALL and challenge_id is not None:
        found.add(challenge_id)


def _after_flush(session, _context) -> None:
    if session.info.get(CHANGED) == ALL:
        return
    for obj in list(session.new) + list(session.deleted):
        if isinstance(obj, (Idea, ChallengeTag)):
            _mark(session, obj.challenge_id)
    for obj in session.dirty:
        if not isinstance(obj, Idea):
            continue
        state = inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in _COUNTED | {"tags"}):
            _mark(session, obj.challenge_id)
            old = state.attrs.challenge_id.history.deleted
            if old:
                _mark(session, old[0])


def _on_execute(orm_execute_state) -> None:
    if not (orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    table = getattr(getattr(orm_execute_state.statement, "table", None), "name", None)
    if table in ("idea_tags", "challenge_tags") or (table == "ideas" and not orm_execute_state.is_update):
        hit = True
    elif table == "ideas":
        values = getattr(orm_execute_state.statement, "_values", None) or {}
        names = {getattr(k, "key", None) or getattr(k, "name", None) or str(k) for k in values}
        hit = not names or bool(names & _COUNTED)
    else:
        hit = False
    if hit:
        orm_execute_state.session.info[CHANGED] = ALL


def _before_commit(session) -> None:
    session.flush()  # so the flush-time check has seen everything this commit writes
    found = session.info.pop(CHANGED, None)
    if not found:
        return
    # updated_at kept as it was: the challenge itself did not change.
    stmt = update(Challenge).values(ideas_version=Challenge.ideas_version + 1, updated_at=Challenge.updated_at)
    if found != ALL:
        stmt = stmt.where(Challenge.id.in_(sorted(found)))
    session.connection().execute(stmt)


def _after_rollback(session) -> None:
    session.info.pop(CHANGED, None)


_registered = False


def register_events() -> None:
    global _registered
    if _registered:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _registered = True
