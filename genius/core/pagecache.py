"""Rendered pages for readers who are not signed in (issue 7: a challenge page at a fraction of the cost).

Most readers of a council's portal are not signed in, and what they see is the same for all of them. A view
marked `@public_page` keeps its rendered answer for PAGE_CACHE_SECONDS (production: 15; development and
tests: 0, off), in Redis when REDIS_URL is set, else in each process's memory (PAGE_CACHE_MEMORY_MB).

Who gets a cached page: a GET or HEAD with no one signed in and no message waiting in the session. What is
kept: a 200 answer that set no cookie, wrote nothing to the session and drew no CSRF token (a page with a
form for this reader stays personal). The page's CSP nonce is replaced by a fresh one on every answer.

How fresh it is, by design:
- Anything that takes away or changes what the public could see (hiding, holding or deleting an idea or
  comment, an edit, a withdrawal, a change of audience, a person's new name or their choice to keep it out
  of the network, an account deleted, suspended or banned) moves a version when it commits (the
  `page_cache_state` row on SQLite, the sequence `page_cache_version` on PostgreSQL: core/versions.py), and
  every key carries that version: the next reader gets a fresh page, in every process.
- Additions (a new idea, comment or support, and the counters they move) do not: readers who are not signed
  in see them within PAGE_CACHE_SECONDS. Signed-in people never get a cached page, so an author always
  sees their own contribution at once.
"""

from __future__ import annotations

import hashlib
import json

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from genius.core import cache
from genius.core.models import Base
from genius.core.security import csp_nonce
from genius.core.versions import DataVersion
from genius.extensions import db

ALL = frozenset({"*"})

# Table -> the columns whose UPDATE takes away or changes what the public sees (ALL: any column).
# A DELETE from any of these tables counts; an INSERT never does (additions may show a little late).
_WATCHED: dict[str, frozenset[str]] = {
    "ideas": frozenset({"title", "summary", "description_html", "area", "anonymous", "status", "withdrawn_at",
                        "duplicate_of_id", "group_id", "moderation_state", "challenge_id", "author_id"}),
    "comments": frozenset({"body_html", "deleted_at", "moderation_state", "is_official", "idea_id", "parent_id",
                           "challenge_id", "author_id"}),
    "challenges": frozenset({"title", "summary", "background_html", "champion_id", "owner_team", "opens_at",
                             "closes_at", "next_steps_html", "prize_note", "outcome_html", "status", "audience",
                             "public_from", "owner_group_id", "support_limit"}),
    "users": frozenset({"display_name", "role", "bio_html", "organisation", "deleted_at", "suspended_until",
                        "banned_at", "show_in_network"}),
    "groups": frozenset({"name", "kind", "description_html", "is_open", "status"}),
    "group_memberships": ALL,
    "challenge_tags": ALL,
    "idea_tags": ALL,
    "idea_status_changes": ALL,
    "challenge_status_changes": ALL,
}


class PageCacheState(Base):
    """A single row (id 1): the version every cached page's key carries."""

    __tablename__ = "page_cache_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0, server_default="0")


def public_page(view):
    """Mark a view whose answer, for a reader who is not signed in, may be cached (see the module's notes)."""
    view.genius_public_page = True
    return view


# --- knowing when cached pages are stale -------------------------------------------------------------------


def _decides(operation: str, table: str, columns) -> bool:
    watched = _WATCHED.get(table)
    if watched is None or operation == "insert":
        return False
    columns = set(columns)
    return operation == "delete" or watched is ALL or not columns or bool(columns & watched)


# SQLite: the page_cache_state row; PostgreSQL: the sequence page_cache_version (core/versions.py).
VERSION = DataVersion("pages", PageCacheState.__table__, "version", "page_cache_version", _decides)


def bump(session=None) -> None:
    """Make every kept page stale once this session commits (for writes the session events cannot see)."""
    VERSION.mark(session or db.session)


# --- serving and keeping pages -------------------------------------------------------------------------------


_READ_VERSION = {"postgresql": "SELECT last_value FROM page_cache_version"}


def current_version() -> int:
    """The version now: plain SQL on a pooled connection, the cheapest read there is (a hit's only query).
    On PostgreSQL in autocommit, so it is not also sent a BEGIN before it and a ROLLBACK after it (a hit
    0.95 -> 0.79 ms); SQLite's driver begins nothing for a SELECT, and switching modes cost it 0.05 ms."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        sql = _READ_VERSION.get(conn.dialect.name, "SELECT version FROM page_cache_state WHERE id = 1")
        return conn.exec_driver_sql(sql).scalar() or 0


def storage():
    """Redis when REDIS_URL is set, else this process's memory (PAGE_CACHE_MEMORY_MB at most)."""
    app = current_app
    found = app.extensions.get("genius_page_cache")
    if found is None:
        memory = cache.MemoryStorage(entries=100_000, max_bytes=app.config["PAGE_CACHE_MEMORY_MB"] * 1024 * 1024)
        url = app.config.get("REDIS_URL") or ""
        found = cache.RedisStorage(url, "genius:page:", memory) if url else memory
        app.extensions["genius_page_cache"] = found
    return found


def _wanted() -> bool:
    if current_app.config["PAGE_CACHE_SECONDS"] <= 0 or request.method not in ("GET", "HEAD"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "genius_public_page", False):
        return False
    return "_user_id" not in session and "_flashes" not in session


def _key(version: int) -> str:
    where = f"{request.host}|{request.full_path}".encode()
    return f"{version}:{hashlib.sha256(where).hexdigest()}"


def _serve(entry: bytes) -> Response:
    head, _, body = entry.partition(b"\n")
    old_nonce, mimetype, cache_control = json.loads(head)
    if old_nonce:
        body = body.replace(old_nonce.encode(), csp_nonce().encode())
    response = Response(body, mimetype=mimetype)
    if cache_control:
        response.headers["Cache-Control"] = cache_control
    response.headers["X-Genius-Cache"] = "hit"
    return response


def _keep(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    if key is None:
        return response
    keep = (response.status_code == 200 and not response.direct_passthrough and not response.is_streamed
            and response.mimetype in ("text/html", "application/json") and not session.modified
            and "Set-Cookie" not in response.headers and "csrf_token" not in g
            and not current_user.is_authenticated and not g.get("page_cache_skip"))
    if keep:
        nonce = g.get("csp_nonce", "")
        head = json.dumps([nonce, response.mimetype, response.headers.get("Cache-Control", "")]).encode() + b"\n"
        storage().set(key, head + response.get_data(), None, current_app.config["PAGE_CACHE_SECONDS"])
    response.headers["X-Genius-Cache"] = "miss" if keep else "pass"
    return response


def init_app(app: Flask) -> None:
    VERSION.register()

    @app.before_request
    def serve_cached_page():
        if not _wanted():
            return None
        key = _key(current_version())
        entry = storage().get(key)
        if entry is not None:
            return _serve(entry[0])
        g.page_cache_key = key
        return None

    app.after_request(_keep)

