"""Supporting an idea and withdrawing that support. Flush, never commit: the view commits.

The database settles every race: the UNIQUE(idea_id, user_id) constraint
decides whether a support went in (a second click or a double submit inserts
nothing), the idea's counter moves in SQL only when a row went in or went
away, and a per-challenge limit is checked while the person's row is locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, delete, exists, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm.attributes import set_committed_value

from genius.accounts.models import User
from genius.core.database import insert_ignore
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea, Support
from genius.notifications import events
from genius.notifications.models import Follow, FollowTarget
from genius.notifications.services import AUTO_FOLLOW_COLUMNS, auto_follow_row, auto_follow_values
from genius.supports import queries
from genius.supports.permissions import duplicate_refusal, supports_refusal


class SupportError(ValueError):
    """A support the rules do not allow; the message says why, in plain English.

    `kind` says which rule (see permissions.Refusal), so a view can pick its status code.
    """

    def __init__(self, message: str, kind: str = "refused") -> None:
        super().__init__(message)
        self.kind = kind


def used_all_message(limit: int) -> str:
    if limit == 1:
        return "You have used your 1 support in this challenge."
    return f"You have used all {limit} of your supports in this challenge."


def limit_message(limit: int) -> str:
    return used_all_message(limit) + (" Withdraw it" if limit == 1 else " Withdraw one") + " to support another idea."


def _check(user, idea: Idea) -> None:
    refusal = supports_refusal(user, idea)
    if refusal is not None:
        raise SupportError(refusal.message, refusal.kind)


def _hold_supports_of(user_id: int) -> None:
    """Serialise one person's supports until commit, so concurrent requests cannot pass a limit.

    PostgreSQL: lock the person's row (NO KEY UPDATE: it still excludes another
    support by the same person, but not inserts elsewhere that merely reference
    the person, such as a notification to them). SQLite: the first write of a
    transaction takes the database's write lock, so write a no-op, to a column no key involves:
    "SET id = id" made SQLite look for rows pointing at that person in every table with a foreign
    key to users (several without an index on it: 50 ms at x10 scale).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_lock_person().params(user_id=user_id))
    else:
        # Plain SQL: a Core update would also bump users.updated_at (its onupdate).
        db.session.execute(text("UPDATE users SET session_version = session_version WHERE id = :id"),
                           {"id": user_id})


@cache
def _lock_person():
    users = User.__table__
    return select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update(key_share=True)


def _move_counter(idea: Idea, delta: int, now=None) -> int:
    """supports_count = supports_count + delta, in SQL, so concurrent changes add up."""
    ideas = Idea.__table__
    values = {"supports_count": ideas.c.supports_count + delta}
    if delta > 0:
        # A new support counts in the trending order at once; a withdrawn one, and supports aging out of
        # the week, leave it at the next hourly refresh (genius.ideas.trending).
        values["trending_supports"] = ideas.c.trending_supports + delta
    if now is not None:
        values["last_activity_at"] = now
    count = db.session.execute(
        update(ideas).where(ideas.c.id == idea.id).values(**values).returning(ideas.c.supports_count)
    ).scalar_one()
    # The in-memory idea learns the new values without being marked as changed.
    set_committed_value(idea, "supports_count", count)
    if now is not None:
        set_committed_value(idea, "last_activity_at", now)
    return count


@dataclass(frozen=True)
class Supported:
    """What supporting did: whether a support went in, and how many of the person's supports count
    against the challenge's limit now (0 when the challenge has none), so the answer needs no query."""

    added: bool
    used: int


def _add(idea: Idea, user_id: int) -> bool:
    """Insert the support unless it exists and, if it went in, move the idea's counter, make the supporter
    follow the idea and tell events.idea_supported (on both databases); True if it went in.

    PostgreSQL does all three in one statement (the insert as a data-modifying CTE that the UPDATE
    joins, so the counter moves only for a row that went in, and the follow as a second CTE that reads
    the first): two round trips fewer on every support. The network cache's session events see only
    the UPDATE of ideas' counter, which it ignores, so the support is reported to it by hand.
    """
    now = utcnow()
    if db.session.get_bind().dialect.name != "postgresql":
        if not insert_ignore(Support.__table__, {"idea_id": idea.id, "user_id": user_id, "created_at": now}):
            return False
        _move_counter(idea, +1, now)
        events.idea_supported(idea, user_id)
        return True
    from genius.network import cache as network_cache  # here: the network package loads every model package

    values = {"supported_idea": idea.id, "supporter": user_id, "supported_at": now,
              **auto_follow_values(user_id, FollowTarget.IDEA, idea.id, now)}
    count = db.session.execute(_insert_and_count(), values).scalar()
    if count is None:
        return False
    events.idea_supported(idea, user_id, follow_made=True)
    network_cache.bump(db.session)
    set_committed_value(idea, "supports_count", count)
    set_committed_value(idea, "last_activity_at", now)
    return True


@cache
def _insert_and_count():
    """PostgreSQL: insert the support unless it exists, and only if it went in, move the idea's counters
    and make the supporter follow it (unless their settings say no). Built once (see supports/queries.py);
    run with supported_idea, supporter and supported_at, and auto_follow_values() (bound parameters may
    not take the names of the columns they fill)."""
    supports, ideas = Support.__table__, Idea.__table__
    now = bindparam("supported_at", type_=ideas.c.updated_at.type)
    added = (postgresql.insert(supports)
             .values(idea_id=bindparam("supported_idea"), user_id=bindparam("supporter"), created_at=now)
             .on_conflict_do_nothing().returning(supports.c.idea_id).cte("added"))
    # PostgreSQL runs a data-modifying CTE whether or not the statement reads it.
    followed = (postgresql.insert(Follow.__table__)
                .from_select(AUTO_FOLLOW_COLUMNS, auto_follow_row("support").where(exists(select(added.c.idea_id))))
                .on_conflict_do_nothing().cte("followed"))
    return (update(ideas).add_cte(added).add_cte(followed).where(ideas.c.id == added.c.idea_id)
            # updated_at given here: SQLAlchemy leaves its onupdate default unset in a statement with a DML CTE.
            .values(supports_count=ideas.c.supports_count + 1, trending_supports=ideas.c.trending_supports + 1,
                    last_activity_at=now, updated_at=now)
            .returning(ideas.c.supports_count))


def support(user, idea: Idea) -> Supported:
    """Support the idea (the person supports it afterwards, whether or not this call added it)."""
    _check(user, idea)
    refusal = duplicate_refusal(idea)
    if refusal is not None:
        raise SupportError(refusal.message, refusal.kind)
    limit = idea.challenge.support_limit
    used = 0
    if limit:
        _hold_supports_of(user.id)
        used, supported = db.session.execute(queries.standing(user.id, idea.challenge_id, idea.id)).one()
        if supported:
            return Supported(False, used)
        if used >= limit:
            raise SupportError(limit_message(limit), "limit")
    if not _add(idea, user.id):
        # Only without a limit (with one, the lock above keeps the person's supports still): a second
        # click that lost the race. Its support is on an idea that is not withdrawn (_check).
        return Supported(False, used)
    return Supported(True, used + 1 if limit else 0)


def support_idea(user, idea: Idea) -> bool:
    """Support the idea; True if this added a support, False if the person already supported it."""
    return support(user, idea).added


def withdraw_support(user, idea: Idea) -> bool:
    """Withdraw the person's support; True if one was removed, False if there was none."""
    _check(user, idea)
    supports = Support.__table__
    result = db.session.execute(
        delete(supports).where(supports.c.idea_id == idea.id, supports.c.user_id == user.id)
    )
    if result.rowcount != 1:
        return False
    _move_counter(idea, -1)
    return True
