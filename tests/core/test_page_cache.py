"""The rendered-page cache for readers who are not signed in (genius/core/pagecache.py): who gets a cached
page, what is never kept, a fresh CSP nonce on every answer, and removals that reach every reader at once."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import delete, event, update

from challenges.factories import as_role, cast, count_statements, make_challenge, make_idea, submit  # noqa: F401
from comments.support import make_comment  # noqa: F401
from conftest import TEST_DB
from genius.comments.models import Comment
from genius.core import cache, pagecache
from genius.extensions import db
from genius.ideas.models import Idea, Support

SECRET = "Quokkabridge"  # a word only the idea under test carries


@pytest.fixture
def cached(app):
    app.config["PAGE_CACHE_SECONDS"] = 60
    return app


def _state(response) -> str | None:
    return response.headers.get("X-Genius-Cache")


def _nonces(response) -> set[str]:
    return set(re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True)))


def test_a_second_anonymous_reader_gets_the_kept_page_with_one_statement(cached, make_challenge, make_idea,
                                                                         new_client, count_statements):
    challenge = make_challenge()
    make_idea(challenge, title=f"Plan {SECRET}")
    path = f"/challenges/{challenge.id}"
    first = new_client().get(path)
    assert (first.status_code, _state(first)) == (200, "miss")
    with count_statements() as statements:
        second = new_client().get(path)
    assert (second.status_code, _state(second)) == (200, "hit")
    assert len(statements) == 1, statements  # the version, nothing else
    assert SECRET in second.get_data(as_text=True)
    assert "Set-Cookie" not in second.headers


@pytest.mark.skipif(TEST_DB != "postgresql", reason="SQLite's driver begins no transaction for a SELECT")
def test_the_version_is_read_in_autocommit_and_the_connection_goes_back_as_it_was(app):
    """No BEGIN and ROLLBACK around a hit's one read; the next user of the connection gets transactions."""
    seen = []

    def before(conn, cursor, statement, *_args):
        seen.append((statement, conn.connection.dbapi_connection.autocommit))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        pagecache.current_version()
        with db.engine.connect() as conn:  # the pool's connection, as the next request gets it
            conn.exec_driver_sql("SELECT 1")
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert seen == [("SELECT last_value FROM page_cache_version", True), ("SELECT 1", False)], seen


def test_every_answer_carries_a_fresh_nonce_that_matches_its_policy(cached, make_challenge, new_client):
    challenge = make_challenge()
    path = f"/challenges/{challenge.id}"
    answers = [new_client().get(path) for _ in range(3)]
    assert [_state(a) for a in answers] == ["miss", "hit", "hit"]
    seen = set()
    for answer in answers:
        nonces = _nonces(answer)
        assert len(nonces) == 1, "one nonce per page"
        nonce = nonces.pop()
        assert f"'nonce-{nonce}'" in answer.headers["Content-Security-Policy"]
        seen.add(nonce)
    assert len(seen) == 3, "never the same nonce twice"
    bodies = {a.get_data(as_text=True).replace(n, "N") for a, n in zip(answers, [_nonces(a).pop() for a in answers])}
    assert len(bodies) == 1, "apart from the nonce, the same page"


def test_signed_in_people_never_get_or_fill_the_cache(cached, make_challenge, make_idea, as_role, new_client):
    challenge = make_challenge()
    make_idea(challenge)
    path = f"/challenges/{challenge.id}"
    resident, _ = as_role("resident")
    assert _state(resident.get(path)) is None
    assert _state(new_client().get(path)) == "miss", "the signed-in visit kept nothing"
    html = resident.get(path).get_data(as_text=True)
    assert _state(resident.get(path)) is None
    assert "Sign out" in html


def test_a_waiting_message_is_shown_not_a_kept_page(cached, make_challenge, as_role):
    challenge = make_challenge()
    path = f"/challenges/{challenge.id}"
    browser, _ = as_role("resident")
    browser.get(path)
    response = submit(browser, "/sign-out", {}, token_from=path)
    assert response.status_code == 302
    after = browser.get(path)  # anonymous now, with "You have signed out" waiting
    assert _state(after) is None
    assert "signed out" in after.get_data(as_text=True).lower()


def test_pages_with_a_form_token_a_session_write_or_an_error_are_not_kept(cached, new_client):
    from flask import abort, render_template_string, session

    @pagecache.public_page
    def with_token():
        return render_template_string('<form><input name="csrf_token" value="{{ csrf_token() }}"></form>')

    @pagecache.public_page
    def with_session():
        session["seen"] = True
        return "<p>Hello</p>"

    @pagecache.public_page
    def missing():
        abort(404)

    for name, view in (("token", with_token), ("session", with_session), ("missing", missing)):
        cached.add_url_rule(f"/test-{name}", f"test_{name}", view)
    browser = new_client()
    for path in ("/test-token", "/test-session"):
        states = [_state(new_client().get(path)) for _ in range(2)]
        assert states == ["pass", "pass"], (path, states)
    assert [browser.get("/test-missing").status_code for _ in range(2)] == [404, 404]
    assert _state(browser.get("/test-missing")) != "hit"
    assert _state(browser.get("/sign-in")) is None, "a page not marked public is never looked up"


def test_hiding_an_idea_removes_it_for_every_reader_at_once(cached, make_challenge, make_idea, as_role, new_client):
    challenge = make_challenge()
    idea = make_idea(challenge, title=f"Plan {SECRET}")
    # Each page, and what on it shows the idea (the search page repeats the words searched for).
    pages = {f"/challenges/{challenge.id}": SECRET, f"/ideas/{idea.id}": SECRET,
             f"/search?q={SECRET}": f'href="/ideas/{idea.id}"'}
    for path, needle in pages.items():
        new_client().get(path)
        again = new_client().get(path)
        assert _state(again) == "hit" and needle in again.get_data(as_text=True), path
    moderator, _ = as_role("moderator")
    item = f"/moderation/idea/{idea.id}"
    response = submit(moderator, f"{item}/hide", {"hide-reason": "spam", "hide-note": "Advertising"}, token_from=item)
    assert response.status_code == 302
    for path, needle in pages.items():
        answer = new_client().get(path)
        assert _state(answer) != "hit", path
        assert needle not in answer.get_data(as_text=True), path


@pytest.mark.parametrize("change", ["bulk update", "delete a comment", "rename the author"])
def test_other_removals_and_changes_bump_the_version(change, cached, make_challenge, make_idea, make_comment, cast):
    challenge = make_challenge()
    idea = make_idea(challenge)
    comment = make_comment(challenge, idea, author=cast("staff"), body="A reply")
    before = pagecache.current_version()
    if change == "bulk update":
        db.session.execute(update(Idea).where(Idea.id == idea.id).values(moderation_state="hidden"))
    elif change == "delete a comment":
        db.session.execute(delete(Comment).where(Comment.id == comment.id))
    else:
        cast("author").display_name = "Someone Else"
    db.session.commit()
    assert pagecache.current_version() == before + 1


def test_additions_and_counters_do_not_bump_and_show_when_the_page_expires(cached, make_challenge, make_idea,
                                                                           cast, new_client):
    challenge = make_challenge()
    idea = make_idea(challenge)
    path = f"/challenges/{challenge.id}"
    cached.config["PAGE_CACHE_SECONDS"] = 1
    new_client().get(path)
    before = pagecache.current_version()
    db.session.add(Support(idea_id=idea.id, user_id=cast("resident").id))
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(supports_count=Idea.supports_count + 1))
    db.session.commit()
    make_idea(challenge, title="Another idea")
    assert pagecache.current_version() == before
    assert _state(new_client().get(path)) == "hit", "additions may show a little late"
    time.sleep(1.1)
    fresh = new_client().get(path)
    assert _state(fresh) == "miss"
    html = fresh.get_data(as_text=True)
    assert f'data-support-count-for="{idea.id}">1 support<' in html and "Another idea" in html


def test_off_when_the_setting_is_zero(app, make_challenge, new_client):
    challenge = make_challenge()
    path = f"/challenges/{challenge.id}"
    assert app.config["PAGE_CACHE_SECONDS"] == 0, "off in tests unless a test turns it on"
    assert _state(new_client().get(path)) is None
    assert _state(new_client().get(path)) is None


def test_memory_storage_is_bounded_in_bytes_and_expires():
    store = cache.MemoryStorage(max_bytes=10)
    store.set("a", b"12345", None, 60)
    store.set("b", b"12345", None, 60)
    assert store.get("a") == (b"12345", None)  # a is now the most recently used
    store.set("c", b"123", None, 60)
    assert store.get("b") is None and store.get("a") == (b"12345", None) and store.get("c") == (b"123", None)
    assert store.size <= 10
    store.set("big", b"x" * 11, None, 60)
    assert store.get("big") is None, "larger than the whole store: not kept"
    store.set("short", b"1", None, 0)
    time.sleep(0.01)
    assert store.get("short") is None


def test_redis_storage_shares_pages_and_falls_back_to_memory(caplog):
    import uuid

    import redis

    prefix = f"genius:test-{uuid.uuid4().hex}:"
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    one, two = (cache.RedisStorage("redis://127.0.0.1:6379/0", prefix) for _ in range(2))
    try:
        one.set("page", b"<html>", None, 60)
        assert two.get("page") == (b"<html>", None), "a second process sees it"
        assert 0 < one.client.ttl(prefix + "page") <= 60
        assert one.fallback.get("page") is None, "kept in Redis, not in memory"
    finally:
        one.clear()
    assert two.get("page") is None
    down = cache.RedisStorage("redis://127.0.0.1:1/0", prefix)
    down.set("page", b"<html>", None, 60)
    assert down.get("page") == (b"<html>", None)
    assert "Redis is unavailable" in caplog.text
