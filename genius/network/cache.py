"""Cached networks, and knowing when they are stale.

Storage: Redis when REDIS_URL is set (shared by every app process; if Redis stops answering, memory, with
a logged warning), else files in a folder shared by the processes on this machine (FileStorage).

Staleness: a data version. Session events notice every change the network depends on (people's names
and privacy choice, deleted accounts, ideas, comments, supports, challenges' audience and status, groups
and memberships) — ORM flushes and bulk INSERT/UPDATE/DELETE statements alike; other writes call bump()
— and move the version when that transaction commits. Every cache key carries the version (and how many
"staff first" challenges have turned public by now, which changes with the clock, not the data), so a
request never gets a graph older than a change whose response came back before it started, whichever
process built it.

Where the version lives and when it moves (genius/core/versions.py): on SQLite the `network_state` row,
bumped in the transaction just before it commits; on PostgreSQL the sequence `network_data_version`,
advanced just after the commit, so writers do not queue on a row lock through each other's commits.
Entries also expire after NETWORK_CACHE_SECONDS, a backstop for a bump that failed and for writes made
outside the ORM session.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from genius.core.cache import FileStorage, MemoryStorage, RedisStorage
from genius.core.models import utcnow
from genius.core.versions import DataVersion
from genius.extensions import db
from genius.network import queries
from genius.network.models import NetworkState

log = logging.getLogger("genius.network")
# Table -> columns whose change matters ("*": any column but the ignored ones).
_WATCHED: dict[str, tuple[str, frozenset[str]]] = {
    "users": ("only", frozenset({"display_name", "show_in_network", "deleted_at", "role", "banned_at",
                                 "suspended_until"})),
    "ideas": ("except", frozenset({"supports_count", "comments_count", "last_activity_at", "updated_at",
                                   "first_response_at", "status", "edited_at", "title", "summary",
                                   "description_source", "description_html", "area"})),
    "comments": ("except", frozenset({"updated_at", "edited_at", "body_source", "body_html", "is_official"})),
    "supports": ("except", frozenset()),
    "challenges": ("only", frozenset({"audience", "status", "public_from", "owner_group_id", "title"})),
    "groups": ("only", frozenset({"name", "kind", "status", "approved_at", "created_at"})),
    "group_memberships": ("except", frozenset({"role"})),
}
# A new account has no links yet; everything else counts when it is added or removed.
_INSERT_IGNORED = {"users"}


def _matters(table: str, columns) -> bool:
    rule = _WATCHED.get(table)
    if rule is None:
        return False
    how, names = rule
    columns = set(columns)
    if not columns:
        return True  # cannot tell which: assume it matters
    return bool(columns & names) if how == "only" else bool(columns - names)


def _decides(operation: str, table: str, columns) -> bool:
    if operation == "insert":
        return table in _WATCHED and table not in _INSERT_IGNORED
    if operation == "delete":
        return table in _WATCHED
    return _matters(table, columns)


# SQLite: the network_state row; PostgreSQL: the sequence network_data_version (migration e7a4c2b9d031).
VERSION = DataVersion("network", NetworkState.__table__, "data_version", "network_data_version", _decides)


def bump(session=None) -> None:
    """Mark every cached network stale once this session's transaction commits.

    For writes the session events cannot see (raw SQL on the session's connection, a data-modifying
    CTE): call it before the commit. With nothing else to commit, commit the session afterwards all
    the same.
    """
    VERSION.mark(session or db.session)


def register_events() -> None:
    VERSION.register()


def data_version() -> str:
    """The data version and the clock-driven audience state: usually one statement (a primary-key read).

    How many "staff first" challenges have turned public changes only when the data version does or the
    clock passes the next challenge's public_from, so it is counted once per version and reused until then
    (per app: counting reads every challenge, a millisecond on each cached request at 2,000 challenges)."""
    now = utcnow()
    version_column = VERSION.column(db.session.get_bind().dialect.name)
    memo = current_app.extensions.get("genius_network_turned_public")
    version = None
    if memo is not None:
        version = db.session.execute(select(version_column)).scalar() or 0
        if memo[0] == version and (memo[2] is None or now < memo[2]):
            return f"{version}.{memo[1]}"
    timed = queries.timed_audience_state(now).subquery()
    row = db.session.execute(select(version_column, timed.c[0], timed.c[1])).one()
    version, turned, upcoming = row[0] or 0, row[1] or 0, row[2]
    if upcoming is not None and upcoming.tzinfo is None:
        upcoming = upcoming.replace(tzinfo=timezone.utc)
    current_app.extensions["genius_network_turned_public"] = (version, turned, upcoming)
    return f"{version}.{turned}"


# --- storage ---------------------------------------------------------------------------------------


def storage():
    """Redis when REDIS_URL is set; else files in NETWORK_CACHE_FOLDER (default: the instance folder's
    network-cache), shared by this machine's processes; else ("memory") this process's memory."""
    app = current_app
    found = app.extensions.get("genius_network_cache")
    if found is None:
        url = app.config.get("REDIS_URL") or ""
        folder = app.config.get("NETWORK_CACHE_FOLDER") or str(Path(app.instance_path) / "network-cache")
        if url:
            found = RedisStorage(url, "genius:network:")
        elif folder == "memory":
            found = MemoryStorage()
        else:
            # One folder per database: an instance folder may serve more than one (the benchmark's do).
            database = hashlib.sha256(str(app.config.get("SQLALCHEMY_DATABASE_URI")).encode()).hexdigest()[:16]
            found = FileStorage(Path(folder) / database)
        app.extensions["genius_network_cache"] = found
    return found


def cache_key(version: str, audience: str, scope_key: str) -> str:
    return f"{version}:{audience}:{scope_key}"


def dumps(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
