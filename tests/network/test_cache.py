"""The cache: answers come from it, and go stale the moment the data under them changes, in every process."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select, update

from conftest import make_app, sign_in
from genius.accounts.models import User
from genius.comments import services as comments
from genius.extensions import db
from genius.groups.models import Membership
from genius.network import cache
from network.support import comment, show, support


def version() -> int:
    """The data version as readers see it (the network_state row on SQLite, a sequence on PostgreSQL)."""
    db.session.rollback()
    return int(cache.data_version().split(".")[0])


def names(data: dict) -> set:
    return {node["label"] for node in data["nodes"] if node["label"]}


def test_a_cached_answer_is_served_without_building(world, as_role, network_json, count_statements):
    client = as_role("anonymous")[0]
    first = network_json(client)
    with count_statements() as statements:
        again = network_json(client)
    assert again == first
    # Only the data version is read (anonymous reader: no session user to load).
    assert len(statements) == 1, statements


def test_a_new_comment_makes_the_cached_graph_stale(world, as_role, network_json, make_user):
    client = as_role("anonymous")[0]
    before = network_json(client)
    newcomer = make_user(name="Nora Newcomer")
    show(newcomer)
    assert "Nora Newcomer" not in names(network_json(client)), "no link yet, so not in the network"
    start = version()
    comment(newcomer, world.idea)
    assert version() == start + 1
    after = network_json(client)
    assert "Nora Newcomer" in names(after)
    assert len(after["links"]) == len(before["links"]) + 1


def test_deleting_a_comment_supporting_joining_and_privacy_all_invalidate(world, as_role, network_json, make_user):
    client = as_role("anonymous")[0]
    eve = f"u{world.eve.id}"
    network_json(client)
    start = version()
    # Eve's comment on Ann's idea goes: the link goes with it.
    from genius.comments.models import Comment

    eves = db.session.scalar(select(Comment).where(Comment.author_id == world.eve.id))
    comments.delete_comment(eves)
    db.session.commit()
    assert version() == start + 1
    assert eve not in {n["id"] for n in network_json(client)["nodes"]}
    # A support (bulk insert through the session) makes a link.
    support(world.eve, world.idea)
    assert version() == start + 2
    assert eve in {n["id"] for n in network_json(client)["nodes"]}
    # Leaving a group (a bulk UPDATE through the session).
    db.session.execute(update(Membership).where(Membership.user_id == world.cat.id).values(state="requested"))
    db.session.commit()
    assert version() == start + 3
    # Hiding one's name.
    show(world.ann, False)
    assert version() == start + 4
    assert "Ann Archer" not in names(network_json(client))


def test_signing_in_does_not_invalidate(world, as_role, client):
    start = version()
    sign_in(client, world.ann.email)
    db.session.execute(update(User).where(User.id == world.ann.id).values(last_sign_in_at=User.created_at))
    db.session.commit()
    assert version() == start


def test_a_rolled_back_change_does_not_bump(world):
    start = version()
    db.session.execute(update(User).where(User.id == world.ann.id).values(display_name="Someone else"))
    db.session.rollback()
    db.session.execute(update(User).where(User.id == world.ann.id).values(session_version=5))
    db.session.commit()
    assert version() == start


def test_a_change_made_by_another_process_is_seen(world, as_role, network_json, migrated, tmp_path):
    """Two app processes with their own memory caches over one database (as two gunicorn workers)."""
    client = as_role("anonymous")[0]
    assert "Ann Archer" in names(network_json(client))
    other = make_app(migrated, tmp_path / "other")
    with other.app_context():
        db.session.execute(update(User).where(User.id == world.ann.id).values(show_in_network=False))
        db.session.commit()
        db.session.remove()
    assert "Ann Archer" not in names(network_json(client))


def test_staff_and_public_answers_are_cached_apart(world, as_role, network_json):
    public = network_json(as_role("resident")[0])
    staff = network_json(as_role("staff")[0])
    again = network_json(as_role("anonymous")[0])
    assert "Sam Staffside" in names(staff) and "Sam Staffside" not in names(public) | names(again)
    assert staff["audience"] == "staff" and public["audience"] == again["audience"] == "public"


def test_memory_storage_is_bounded_and_expires(monkeypatch):
    store = cache.MemoryStorage(entries=2)
    for key in "abc":
        store.set(key, b"{}", {}, 60)
    assert store.get("a") is None and store.get("c") == (b"{}", {})
    store.set("old", b"{}", {}, -1)
    assert store.get("old") is None


def test_redis_storage_falls_back_to_memory_when_redis_is_down(caplog):
    store = cache.RedisStorage("redis://127.0.0.1:1/0")
    store.set("k", b"{}", {}, 60)
    assert store.get("k") == (b"{}", {})
    assert "Redis is unavailable" in caplog.text


def test_redis_storage_when_redis_answers(tmp_path):
    import shutil
    import socket
    import subprocess
    import time

    import pytest

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        store = cache.RedisStorage(f"redis://127.0.0.1:{port}/0")
        for _ in range(50):
            try:
                store.client.ping()
                break
            except Exception:  # noqa: BLE001 - still starting
                time.sleep(0.1)
        store.set("genius:network:test", b'{"a":1}', {"a": 1}, 60)
        assert store.get("genius:network:test") == (b'{"a":1}', None)
        assert store.fallback.get("genius:network:test") is None, "stored in Redis, not in memory"
        assert store.client.ttl("genius:network:test") > 0
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_file_storage_is_shared_between_processes_and_expires(tmp_path, monkeypatch):
    """Two web workers on one machine, without Redis: what one built, the other reads."""
    first, second = cache.FileStorage(tmp_path / "shared"), cache.FileStorage(tmp_path / "shared")
    first.set("genius:network:1.0:public:site", b'{"nodes":[]}', {"nodes": []}, 60)
    assert second.get("genius:network:1.0:public:site") == (b'{"nodes":[]}', None)
    assert second.get("genius:network:2.0:public:site") is None
    assert not list((tmp_path / "shared").glob("*.tmp")), "written whole, then renamed into place"
    # Expired: gone for a process that has not read it yet.
    first.set("genius:network:3.0:public:site", b"{}", {}, 60)
    now = time.time()
    monkeypatch.setattr("genius.core.cache.time.time", lambda: now + 61)
    assert cache.FileStorage(tmp_path / "shared").get("genius:network:3.0:public:site") is None
    # Bounded: the oldest files go.
    monkeypatch.setattr(cache.FileStorage, "FILE_ENTRIES", 2)
    for n in range(4):
        first.set(f"genius:network:{n}.9:public:site", b"{}", {}, 600 + n)
    assert len(list((tmp_path / "shared").glob("*.json"))) == 2
    first.clear()
    assert not list((tmp_path / "shared").glob("*.json"))
