"""Engine settings per database.

PostgreSQL: every connection turns off parallel query and JIT compilation. A web page asks many short
queries; when the planner overestimates one (it multiplies the selectivities of correlated columns, such
as a challenge and "not on an idea"), it starts a parallel worker or compiles the query, which costs 5 to
50 ms for a query that reads a handful of rows (measured: the challenge page's discussion at x10 scale,
11.8 ms with a parallel worker, 0.4 ms without).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event


def init_app(app: Flask) -> None:
    from genius.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()

        elif engine.dialect.name == "postgresql":

            @event.listens_for(engine, "connect")
            def _postgresql_settings(dbapi_connection, _record):
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET jit = off")
                    cursor.execute("SET max_parallel_workers_per_gather = 0")
                dbapi_connection.commit()


def analyze() -> str:
    """Refresh the query planner's statistics (ANALYZE); returns what was done, for the command's output.

    Without them SQLite guesses join orders: at x10 scale it read a person's standing in a challenge
    through the challenge's 2,866 ideas (5 ms) instead of the person's 13 supports (0.07 ms). SQLite reads
    at most 1,000 rows per index (analysis_limit), so this takes about a second even at x10 scale.
    PostgreSQL's autovacuum also does it by itself, some minutes after a bulk load.
    """
    from sqlalchemy import text

    from genius.extensions import db

    if _dialect() == "sqlite":
        db.session.execute(text("PRAGMA analysis_limit=1000"))
        db.session.execute(text("ANALYZE"))
        tables = db.session.scalar(text("SELECT count(DISTINCT tbl) FROM sqlite_stat1"))
    else:
        db.session.execute(text("ANALYZE"))
        tables = db.session.scalar(text("SELECT count(*) FROM pg_stat_user_tables"))
    db.session.commit()
    return f"Refreshed the query planner's statistics ({tables} tables)."


def insert_ignore(table, values: dict) -> bool:
    """INSERT a row unless it breaks a UNIQUE constraint; True if a row went in.

    The database settles races (two clicks, fifty threads): no SELECT first.
    """
    return inserted(_returning_one(_insert(_dialect(), table).values(**values).on_conflict_do_nothing()))


def insert_ignore_from_statement(dialect: str, table, columns: list[str], select_stmt):
    """INSERT ... SELECT, skipping a row that breaks a UNIQUE constraint: run it with `inserted()`.

    A statement, not its result, so that a hot path can build it once and give it values per call. The
    SELECT must have a WHERE clause (SQLite reads ON CONFLICT after a SELECT without one as part of a join).
    """
    return _returning_one(_insert(dialect, table).from_select(columns, select_stmt).on_conflict_do_nothing())


def inserted(stmt, params: dict | None = None) -> bool:
    """Run an INSERT ... ON CONFLICT DO NOTHING made here, with the values of its bound parameters;
    True if a row went in."""
    from genius.extensions import db

    return db.session.execute(stmt, params).first() is not None


def _returning_one(stmt):
    from sqlalchemy import literal_column

    # Ask for a row back rather than trust rowcount: SQLAlchemy adds an implicit
    # RETURNING (the new primary key) on PostgreSQL, and then psycopg reports -1.
    return stmt.returning(literal_column("1"))


def _dialect() -> str:
    from genius.extensions import db

    return db.session.get_bind().dialect.name


def _insert(dialect: str, table):
    """The dialect's INSERT, which has ON CONFLICT."""
    from sqlalchemy.dialects import postgresql, sqlite

    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:  # pragma: no cover - GenIUS supports SQLite and PostgreSQL
        raise RuntimeError(f"GenIUS supports SQLite and PostgreSQL, not {dialect}")
    return module.insert(table)
