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
import os
import threading
import time
from collections import OrderedDict
from datetime import timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from genius.core.models import utcnow
from genius.core.versions import DataVersion
from genius.extensions import db
from genius.network import queries
from genius.network.models import NetworkState

log = logging.getLogger("genius.network")
MEMORY_ENTRIES = 48
# Table -> columns whose change matters ("*": any column but the ignored ones).
_WATCHED: dict[str, tuple[str, frozenset[str]]] = {
    "users": ("only", frozenset({"display_name", "show_in_network", "deleted_at", "role"})),
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


class MemoryStorage:
    """This process's memory: a small LRU of (JSON bytes, parsed data), with expiry."""

    def __init__(self, entries: int = MEMORY_ENTRIES):
        self.entries = entries
        self._items: OrderedDict[str, tuple[float, bytes, dict | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, dict | None] | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return found[1], found[2]

    def set(self, key: str, raw: bytes, data: dict | None, seconds: int) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + seconds, raw, data)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class RedisStorage:
    """Redis, shared by every process; falls back to memory (with a warning) when Redis fails."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.fallback = MemoryStorage()
        self._warned = False

    def _failed(self, error: Exception) -> None:
        if not self._warned:
            log.warning("network cache: Redis is unavailable (%s); using this process's memory", error)
            self._warned = True

    def get(self, key: str):
        try:
            raw = self.client.get(key)
        except Exception as error:  # noqa: BLE001 - any Redis failure means: use memory
            self._failed(error)
            return self.fallback.get(key)
        return (raw, None) if raw is not None else None

    def set(self, key: str, raw: bytes, data: dict | None, seconds: int) -> None:
        try:
            self.client.set(key, raw, ex=seconds)
            self._warned = False
        except Exception as error:  # noqa: BLE001
            self._failed(error)
            self.fallback.set(key, raw, data, seconds)

    def clear(self) -> None:
        try:
            for key in self.client.scan_iter("genius:network:*"):
                self.client.delete(key)
        except Exception as error:  # noqa: BLE001
            self._failed(error)
        self.fallback.clear()


class FileStorage:
    """Files in a folder every process on this machine shares (without Redis): the first web worker to
    build a network writes it, the others read it instead of building it again (at 200,000 people a build
    takes seconds; reading the file, a millisecond). Each process keeps what it read in its memory too.
    A file's modification time is when it expires; writes go to a temporary file renamed into place, so a
    reader never sees half an answer. Expired files, and the oldest beyond FILE_ENTRIES, are removed."""

    FILE_ENTRIES = 96

    def __init__(self, folder: str | Path, entries: int = MEMORY_ENTRIES):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.memory = MemoryStorage(entries)

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def get(self, key: str):
        found = self.memory.get(key)
        if found is not None:
            return found
        path = self._path(key)
        try:
            left = path.stat().st_mtime - time.time()
            if left <= 0:
                path.unlink(missing_ok=True)
                return None
            raw = path.read_bytes()
        except OSError:
            return None
        self.memory.set(key, raw, None, int(left) + 1)
        return raw, None

    def set(self, key: str, raw: bytes, data: dict | None, seconds: int) -> None:
        self.memory.set(key, raw, data, seconds)
        path = self._path(key)
        temporary = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            temporary.write_bytes(raw)
            expires = time.time() + seconds
            os.utime(temporary, (expires, expires))
            os.replace(temporary, path)
            self._prune()
        except OSError as error:
            log.warning("network cache: cannot write %s (%s); keeping the answer in memory", path, error)
            temporary.unlink(missing_ok=True)

    def _prune(self) -> None:
        now = time.time()
        files = []
        for path in self.folder.glob("*.json"):
            try:
                expires = path.stat().st_mtime
            except OSError:
                continue
            if expires <= now:
                path.unlink(missing_ok=True)
            else:
                files.append((expires, path))
        for _expires, path in sorted(files)[:-self.FILE_ENTRIES]:
            path.unlink(missing_ok=True)

    def clear(self) -> None:
        self.memory.clear()
        for path in self.folder.glob("*.json"):
            path.unlink(missing_ok=True)


def storage():
    """Redis when REDIS_URL is set; else files in NETWORK_CACHE_FOLDER (default: the instance folder's
    network-cache), shared by this machine's processes; else ("memory") this process's memory."""
    app = current_app
    found = app.extensions.get("genius_network_cache")
    if found is None:
        url = app.config.get("REDIS_URL") or ""
        folder = app.config.get("NETWORK_CACHE_FOLDER") or str(Path(app.instance_path) / "network-cache")
        if url:
            found = RedisStorage(url)
        elif folder == "memory":
            found = MemoryStorage()
        else:
            # One folder per database: an instance folder may serve more than one (the benchmark's do).
            database = hashlib.sha256(str(app.config.get("SQLALCHEMY_DATABASE_URI")).encode()).hexdigest()[:16]
            found = FileStorage(Path(folder) / database)
        app.extensions["genius_network_cache"] = found
    return found


def cache_key(version: str, audience: str, scope_key: str) -> str:
    return f"genius:network:{version}:{audience}:{scope_key}"


def dumps(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
