"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config

from genius.config import ROOT
from genius.extensions import db


def autogenerate_options(app) -> dict:
    """What migrations/env.py gives autogenerate, so this test sees what `genius db migrate` would."""
    opts = {"compare_type": True, **app.extensions["migrate"].configure_args}
    try:
        # Objects the search engines own (SQLite FTS5 tables, a PostgreSQL tsvector column).
        from genius.search.models import include_object
    except ImportError:
        include_object = None
    if include_object is not None:
        opts.setdefault("include_object", include_object)
    return opts


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=autogenerate_options(app))
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "\n".join(map(str, differences))


def test_the_database_is_at_the_single_head_revision(app):
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    script = ScriptDirectory.from_config(config)
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations have branched: {heads}"
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == heads[0]


def test_every_table_has_a_named_primary_key(app):
    inspector = sa.inspect(db.engine)
    for table in db.metadata.sorted_tables:
        assert inspector.get_pk_constraint(table.name)["constrained_columns"], table.name


def test_constraints_follow_the_naming_convention(app):
    if db.engine.dialect.name != "postgresql":
        return  # SQLite does not keep most constraint names
    inspector = sa.inspect(db.engine)
    for table in db.metadata.sorted_tables:
        assert inspector.get_pk_constraint(table.name)["name"] == f"pk_{table.name}"
        for fk in inspector.get_foreign_keys(table.name):
            assert fk["name"].startswith(f"fk_{table.name}_"), fk
        for unique in inspector.get_unique_constraints(table.name):
            assert unique["name"].startswith(f"uq_{table.name}_"), unique


def test_migrations_folder_is_where_the_app_looks(app):
    assert Path(app.extensions["migrate"].directory) == ROOT / "migrations"


# The last landed revision before this test was written; what comes after it must keep a populated database's rows.
KEEP_ROWS_FROM = "ac96a59fb10c"


def test_upgrading_a_populated_sqlite_database_keeps_every_row(tmp_path):
    """Batch mode rebuilds SQLite tables to alter them; with foreign keys on, dropping the old `ideas`
    would delete its comments and supports on cascade. migrations/env.py turns them off while migrating."""
    from flask_migrate import downgrade, upgrade

    from conftest import make_app
    from genius.demodata import load_scale

    app = make_app(f"sqlite:///{tmp_path / 'populated.db'}", tmp_path / "instance")
    with app.app_context():
        upgrade()
        load_scale("small")
        db.session.commit()
        db.session.remove()
        tables = ("users", "challenges", "ideas", "supports", "comments", "follows", "notifications", "search_documents")

        def counts() -> dict[str, int]:
            with db.engine.connect() as conn:
                return {t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}

        before = counts()
        assert before["ideas"] and before["supports"] and before["comments"], before
        downgrade(revision=KEEP_ROWS_FROM)
        assert counts() == before
        upgrade()
        assert counts() == before
        db.engine.dispose()


# The moderation constraints (CHECK on moderation_state, ideas.duplicate_of_id a foreign key) and the revision before.
MODERATION_CONSTRAINTS = "f4c5d6e7a809"
BEFORE_MODERATION_CONSTRAINTS = "d4c0a7e1b2f3"


def _scratch_database_url(tmp_path) -> str:
    """An empty database of the kind under test, apart from the session's: this test migrates it down and up."""
    from conftest import PG_URL, TEST_DB, _create_database_if_missing

    if TEST_DB != "postgresql":
        return f"sqlite:///{tmp_path / 'scratch.db'}"
    url = sa.make_url(PG_URL)
    url = url.set(database=f"{url.database}_migrations").render_as_string(hide_password=False)
    _create_database_if_missing(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def test_the_moderation_constraints_migrate_a_populated_database_both_ways(tmp_path):
    """On the database under test (SQLite or PostgreSQL), with the small demo data: downgrading and upgrading
    keep every row; rows the new constraints would refuse are made safe by the upgrade (an unknown state is
    held for a moderator, a duplicate of no idea points nowhere) and are refused afterwards."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy.exc import IntegrityError

    from conftest import make_app
    from genius.demodata import load_scale

    app = make_app(_scratch_database_url(tmp_path), tmp_path / "instance")
    with app.app_context():
        upgrade()
        load_scale("small")
        db.session.commit()
        db.session.remove()
        tables = ("users", "challenges", "ideas", "supports", "comments", "follows", "notifications",
                  "search_documents", "moderation_log", "reports")

        def counts() -> dict[str, object]:
            with db.engine.connect() as conn:
                found = {t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}
                for table in ("ideas", "comments"):
                    found[f"{table} by state"] = dict(conn.execute(sa.text(
                        f"SELECT moderation_state, count(*) FROM {table} GROUP BY moderation_state")).all())
                return found

        def one(sql: str, **params):
            with db.engine.connect() as conn:
                return conn.execute(sa.text(sql), params).scalar()

        before = counts()
        assert before["ideas"] and before["comments"] and before["ideas by state"].get("held"), before
        with db.engine.connect() as conn:
            ideas = list(conn.execute(sa.text("SELECT id FROM ideas ORDER BY id LIMIT 3")).scalars())
        comment_id = one("SELECT min(id) FROM comments")

        downgrade(revision=BEFORE_MODERATION_CONSTRAINTS)
        assert counts() == before
        with db.engine.begin() as conn:  # what the old schema let through
            conn.execute(sa.text("UPDATE ideas SET duplicate_of_id = :to WHERE id = :id"), {"to": ideas[0], "id": ideas[1]})
            conn.execute(sa.text("UPDATE ideas SET duplicate_of_id = :to WHERE id = :id"),
                         {"to": ideas[-1] + 10_000_000, "id": ideas[2]})
            conn.execute(sa.text("UPDATE ideas SET moderation_state = 'gone' WHERE id = :id"), {"id": ideas[0]})
            conn.execute(sa.text("UPDATE comments SET moderation_state = 'Visible' WHERE id = :id"), {"id": comment_id})

        upgrade()
        assert {t: n for t, n in counts().items() if t in tables} == {t: before[t] for t in tables}
        assert one("SELECT moderation_state FROM ideas WHERE id = :id", id=ideas[0]) == "held"
        assert one("SELECT moderation_state FROM comments WHERE id = :id", id=comment_id) == "held"
        assert one("SELECT duplicate_of_id FROM ideas WHERE id = :id", id=ideas[1]) == ideas[0]
        assert one("SELECT duplicate_of_id FROM ideas WHERE id = :id", id=ideas[2]) is None
        for sql in ("UPDATE ideas SET moderation_state = 'gone' WHERE id = :id",
                    "UPDATE comments SET moderation_state = 'gone' WHERE id = :id",
                    "UPDATE ideas SET duplicate_of_id = 2000000000 WHERE id = :id"):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(sa.text(sql), {"id": comment_id if "comments" in sql else ideas[0]})

        downgrade(revision=BEFORE_MODERATION_CONSTRAINTS)
        upgrade()
        assert {t: n for t, n in counts().items() if t in tables} == {t: before[t] for t in tables}
        db.engine.dispose()


# SQLite's full-text index with prefix indexes, and the revision before it.
SEARCH_PREFIX_INDEX = "b3e8d5f2a914"
BEFORE_SEARCH_PREFIX_INDEX = "c4a7e2d9b150"


def test_the_search_index_is_remade_with_prefix_indexes_and_still_finds_everything(tmp_path):
    """SQLite: the migration makes search_fts again with prefix indexes and fills it from search_documents.
    The kept triggers still feed it, FTS5's integrity check passes, and every search finds what it found
    before, both ways."""
    from flask_migrate import downgrade, upgrade

    from conftest import make_app
    from genius.demodata import load_scale

    app = make_app(f"sqlite:///{tmp_path / 'search.db'}", tmp_path / "instance")
    with app.app_context():
        upgrade(revision=BEFORE_SEARCH_PREFIX_INDEX)
        load_scale("small")
        db.session.commit()
        db.session.remove()

        def definition() -> str:
            with db.engine.connect() as conn:
                return conn.scalar(sa.text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'"))

        def found() -> dict[str, list[int]]:
            with db.engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
                return {q: list(conn.scalars(sa.text("SELECT rowid FROM search_fts WHERE search_fts MATCH :q "
                                                     "ORDER BY rowid"), {"q": q}))
                        for q in ('"co"*', '"park"*', '"fitness"', '"library" AND "op"*')}

        before = found()
        assert all(before.values()), before
        assert "prefix" not in definition()

        upgrade()
        assert "prefix='2 3 4 5 6'" in definition()
        assert found() == before
        with db.engine.begin() as conn:  # the triggers on search_documents feed the new table
            conn.execute(sa.text("INSERT INTO search_documents (kind, ref_id, challenge_id, title, body) "
                                 "SELECT 'challenge', 999999, min(id), 'Coastal paths', 'Parking' FROM challenges"))
            new_id = conn.scalar(sa.text("SELECT max(id) FROM search_documents"))
        assert found()['"co"*'] == sorted(before['"co"*'] + [new_id])

        downgrade(revision=BEFORE_SEARCH_PREFIX_INDEX)
        assert "prefix" not in definition()
        assert found()['"park"*'] == sorted(before['"park"*'] + [new_id])
        db.engine.dispose()
