"""Data versions that caches put in their keys, moved once per committed change that matters to them.

A `DataVersion` watches the ORM session: flushed objects and bulk INSERT/UPDATE/DELETE statements alike
(other writes call `mark()`). When a transaction that changed something it cares about commits, the
version moves, so every process sees its cached answers are stale, whichever process made them.

Where a version lives:
- SQLite: a one-row table, bumped in the transaction just before it commits (one writer at a time anyway).
- PostgreSQL: a sequence, advanced just AFTER the commit, on the same connection, in autocommit (one round
  trip, no row lock). Updating one row inside every writing transaction held its lock through the commit's
  WAL flush, so writers queued behind each other's commits. After the commit is safe for keys that carry
  the version: a reader that reads the new version then reads the committed data, so whatever it caches
  under that version is at least as new; before the commit would not be (a reader could see the new
  version with the old data and cache a stale answer under the new key). A reader between the commit and
  the bump may still get the previous answer: it ran alongside the write. If the bump fails (logged), the
  caches' own expiry is the backstop.

Users: the network view's cache (genius/network/cache.py) and the kept pages (core/pagecache.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache

from sqlalchemy import Sequence, Table, column, event, inspect, select, table, update
from sqlalchemy.orm import Session

log = logging.getLogger("genius.versions")

# decides(operation, table name, changed column names) -> does this change matter?
# operation is "insert", "update" or "delete"; the columns are empty when they cannot be told.
Decider = Callable[[str, str, Iterable[str]], bool]


def _table_of(obj) -> str | None:
    return getattr(getattr(type(obj), "__table__", None), "name", None)


def _statement_columns(statement) -> list[str]:
    values = getattr(statement, "_values", None) or {}
    return [getattr(k, "key", None) or getattr(k, "name", None) or str(k) for k in values]


class DataVersion:
    def __init__(self, name: str, row: Table, row_column: str, sequence: str, decides: Decider):
        self.name = name
        self.row = row  # one row, id 1 (SQLite)
        self.row_column = row_column
        self.sequence = Sequence(sequence)  # PostgreSQL
        self._sequence_table = table(sequence, column("last_value"))
        self.decides = decides
        self.flag = f"genius_version_{name}_changed"
        self._registered = False

    # --- reading ---------------------------------------------------------------------------------------

    def column(self, dialect: str):
        """A scalar subquery reading the version, to put in a bigger SELECT."""
        if dialect == "postgresql":
            return select(self._sequence_table.c.last_value).scalar_subquery()
        return select(self.row.c[self.row_column]).where(self.row.c.id == 1).scalar_subquery()

    def read(self, connection) -> int:
        return connection.execute(select(self.column(connection.dialect.name))).scalar() or 0

    # --- noticing changes --------------------------------------------------------------------------------

    def mark(self, session) -> None:
        """Move the version once this session's transaction commits: for writes the events cannot see
        (raw SQL on the session's connection, a data-modifying CTE). Call it before the commit."""
        session.info[self.flag] = True

    def _after_flush(self, session, _context) -> None:
        if session.info.get(self.flag):
            return
        for obj in session.new:
            if self.decides("insert", _table_of(obj) or "", ()):
                session.info[self.flag] = True
                return
        for obj in session.deleted:
            if self.decides("delete", _table_of(obj) or "", ()):
                session.info[self.flag] = True
                return
        for obj in session.dirty:
            name = _table_of(obj)
            if name is None:
                continue
            state = inspect(obj)
            changed = [a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()]
            if changed and self.decides("update", name, changed):
                session.info[self.flag] = True
                return

    def _on_execute(self, orm_execute_state) -> None:
        state = orm_execute_state
        if state.is_insert:
            operation = "insert"
        elif state.is_update:
            operation = "update"
        elif state.is_delete:
            operation = "delete"
        else:
            return
        name = getattr(getattr(state.statement, "table", None), "name", None)
        columns = _statement_columns(state.statement) if operation == "update" else ()
        if name and self.decides(operation, name, columns):
            state.session.info[self.flag] = True

    def _bump_row(self, conn) -> None:
        result = conn.execute(update(self.row).where(self.row.c.id == 1)
                              .values({self.row_column: self.row.c[self.row_column] + 1}))
        if result.rowcount == 0:  # the row is missing (a database emptied by hand): make it
            conn.execute(self.row.insert().values({"id": 1, self.row_column: 1}))

    def register(self) -> None:
        if self._registered:
            return
        event.listen(Session, "after_flush", self._after_flush)
        event.listen(Session, "do_orm_execute", self._on_execute)
        _VERSIONS.append(self)
        self._registered = True
        _register_commit_events()


# Every registered version, moved together at commit: one statement for all of them, after the commit on
# PostgreSQL (two statements in autocommit on one connection would each need their own round trip).
_VERSIONS: list[DataVersion] = []
PENDING = "genius_versions_pending"
_commit_events = False


def _before_commit(session) -> None:
    session.flush()  # so the flush-time checks have seen everything this commit writes
    moved = [v for v in _VERSIONS if session.info.pop(v.flag, False)]
    if not moved:
        return
    if session.get_bind().dialect.name == "postgresql":
        # After the commit, not in it (see the module's notes). Kept for the outermost commit: this
        # event also fires when a savepoint is released.
        conn, pending = session.info.get(PENDING, (session.connection(), []))
        session.info[PENDING] = (conn, pending + [v for v in moved if v not in pending])
    else:
        conn = session.connection()
        for version in moved:
            version._bump_row(conn)


def _after_commit(session) -> None:
    transaction = session.get_transaction()
    if transaction is not None and transaction.is_active:
        return  # a savepoint was released: the outer transaction may still roll back
    conn, pending = session.info.pop(PENDING, (None, []))
    if conn is None or conn.closed or not pending:
        return
    try:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(_advance(tuple(pending)))
    except Exception:  # noqa: BLE001 - the data has committed: a failed bump must not make it an error
        log.exception("could not advance the data versions %s; cached answers may be stale until they expire",
                      ", ".join(v.name for v in pending))


@cache
def _advance(versions: tuple[DataVersion, ...]):
    """SELECT nextval(...) for these versions, built once per set (a new statement costs its cache key)."""
    return select(*(v.sequence.next_value() for v in versions))


def _after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: nothing of it committed
        for version in _VERSIONS:
            session.info.pop(version.flag, None)
        session.info.pop(PENDING, None)


def _register_commit_events() -> None:
    global _commit_events
    if _commit_events:
        return
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    _commit_events = True
