"""Engine settings per database."""

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


def insert_ignore(table, values: dict) -> bool:
    """INSERT a row unless it breaks a UNIQUE constraint; True if a row went in.

    The database settles races (two clicks, fifty threads): no SELECT first.
    """
    from sqlalchemy import literal_column
    from sqlalchemy.dialects import postgresql, sqlite

    from genius.extensions import db

    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - GenIUS supports SQLite and PostgreSQL
        raise RuntimeError(f"insert_ignore does not support {dialect}")
    # Ask for a row back rather than trust rowcount: SQLAlchemy adds an implicit
    # RETURNING (the new primary key) on PostgreSQL, and then psycopg reports -1.
    return db.session.execute(stmt.returning(literal_column("1"))).first() is not None
