"""When the data version moves: once per committed change, never for a rolled-back one, and on
PostgreSQL after the commit, without making one writer wait for another's commit."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, text, update

from conftest import TEST_DB, make_app
from genius.accounts.models import User
from genius.extensions import db
from genius.network import cache

postgresql_only = pytest.mark.skipif(TEST_DB != "postgresql", reason="the sequence and row locks are PostgreSQL's")


def version() -> int:
    db.session.rollback()
    return int(cache.data_version().split(".")[0])


def rename(user_id: int, name: str) -> None:
    db.session.execute(update(User).where(User.id == user_id).values(display_name=name))


def begin_for_real(user_id: int) -> None:
    """A write the network ignores, so the database transaction has begun before a savepoint (pysqlite
    sends no BEGIN before a SAVEPOINT, and then releasing it would commit)."""
    db.session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version))


def test_a_change_in_a_released_savepoint_bumps_once_at_the_commit(world):
    start = version()
    begin_for_real(world.ann.id)
    with db.session.begin_nested():
        rename(world.ann.id, "Ann in a savepoint")
    assert version_in_other_connection() == start, "nothing is committed yet"
    db.session.commit()
    assert version() == start + 1


def test_a_released_savepoint_then_an_outer_rollback_does_not_bump(world):
    start = version()
    begin_for_real(world.ann.id)
    with db.session.begin_nested():
        rename(world.ann.id, "Ann rolled back")
    db.session.rollback()
    db.session.execute(update(User).where(User.id == world.ann.id).values(session_version=7))
    db.session.commit()
    assert version() == start


def test_a_rolled_back_savepoint_keeps_the_outer_change_s_bump(world):
    start = version()
    rename(world.ann.id, "Ann outside")
    db.session.flush()
    savepoint = db.session.begin_nested()
    rename(world.bob.id, "Bob inside")
    savepoint.rollback()
    db.session.commit()
    assert version() == start + 1


def test_bump_marks_a_write_the_events_cannot_see(world):
    start = version()
    db.session.execute(text("UPDATE users SET display_name = 'Raw Ann' WHERE id = :id"), {"id": world.ann.id})
    cache.bump()
    db.session.commit()
    assert version() == start + 1


def version_in_other_connection() -> int:
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return conn.scalar(text("SELECT last_value FROM network_data_version"))
        return conn.scalar(text("SELECT data_version FROM network_state WHERE id = 1"))


@postgresql_only
def test_a_writer_does_not_wait_for_another_writer_s_commit(world, migrated, tmp_path):
    """Writer A is about to send COMMIT; writer B (another process) commits meanwhile. With the
    version in one row updated inside each transaction, B would wait for A's row lock (here: time
    out after 2 s); with the sequence advanced after the commit, B goes straight through."""
    other = make_app(migrated, tmp_path / "other", SQLALCHEMY_ENGINE_OPTIONS={
        "connect_args": {"options": "-c lock_timeout=2000"}})
    ann, bob = world.ann.id, world.bob.id
    start = version()
    seen = {}

    def meanwhile(_conn):
        seen["before A commits"] = version_in_other_connection()
        with other.app_context():
            rename(bob, "Bob from B")
            db.session.commit()  # raises LockNotAvailable if it has to wait for A
            db.session.remove()
            db.engine.dispose()

    rename(ann, "Ann from A")
    event.listen(db.engine, "commit", meanwhile, once=True)
    try:
        db.session.commit()
    finally:
        db.session.rollback()  # after a failure, so the fixtures' clean-up is not left waiting for A's locks
    assert seen["before A commits"] == start, "A's version moves after its commit, not before"
    assert version() == start + 2
    names = dict(db.session.execute(text("SELECT id, display_name FROM users WHERE id IN (:a, :b)"),
                                    {"a": ann, "b": bob}).all())
    assert names == {ann: "Ann from A", bob: "Bob from B"}


@postgresql_only
def test_a_failed_bump_does_not_undo_the_committed_change(world, caplog):
    start = version()
    db.session.rollback()  # reading the version holds a lock on the sequence until the transaction ends
    with db.engine.begin() as conn:
        conn.execute(text("ALTER SEQUENCE network_data_version RENAME TO network_data_version_away"))
    try:
        rename(world.ann.id, "Ann committed anyway")
        with caplog.at_level(logging.ERROR, logger="genius.network"):
            db.session.commit()
        assert "could not advance the data version" in caplog.text
        assert db.session.scalar(text("SELECT display_name FROM users WHERE id = :id"),
                                 {"id": world.ann.id}) == "Ann committed anyway"
    finally:
        db.session.rollback()
        with db.engine.begin() as conn:
            conn.execute(text("ALTER SEQUENCE network_data_version_away RENAME TO network_data_version"))
    assert version() == start
