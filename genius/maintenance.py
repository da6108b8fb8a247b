"""Recount the stored counters that pages show, from the rows they count.

Counters (ideas.supports_count, ideas.comments_count, challenges.ideas_count,
challenges.comments_count, groups.members_count) move in the same transaction as their change, so
they should never drift; this repairs them if they do (a restore, a manual
edit, a bug) and says what it changed. Set-based SQL over id ranges: one
grouped count per range and counter, and an UPDATE only for the rows that differ.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import inspect, text

from genius.extensions import db

BATCH = 20_000  # ids per statement: large enough to be fast, small enough to show progress


@dataclass(frozen=True)
class Counter:
    table: str  # the table holding the counter
    noun: str  # how a row is named in the report ("idea 12")
    column: str
    label: str  # how the counter is named in the report ("supports 7 -> 6")
    source: str  # the counted table
    key: str  # the source's column pointing at the row
    where: str = ""  # extra condition on the source rows


# A comment the public sees: visible, not deleted, and not under a held or hidden parent or thread root
# (replies disappear with a hidden comment). The same rule as moderation.counters and comments.queries.counted().
# NOT IN over the few held and hidden ids (read once, from their partial index) rather than a lookup per
# comment: at x10 (400,000 comments) the ideas' comment counters take as long to check as before the rule.
_NOT_PUBLIC = "SELECT id FROM comments WHERE moderation_state <> 'visible'"
PUBLIC_COMMENT = (
    "deleted_at IS NULL AND moderation_state = 'visible'"
    f" AND (parent_id IS NULL OR parent_id NOT IN ({_NOT_PUBLIC}))"
    f" AND (root_id IS NULL OR root_id NOT IN ({_NOT_PUBLIC}))"
)

COUNTERS = (
    Counter("ideas", "idea", "supports_count", "supports", "supports", "idea_id"),
    # Only what everyone may see counts: held and hidden content (moderation) does not.
    Counter("ideas", "idea", "comments_count", "comments", "comments", "idea_id", PUBLIC_COMMENT),
    # Withdrawn ideas stay on the challenge page, so they count.
    Counter("challenges", "challenge", "ideas_count", "ideas", "ideas", "challenge_id", "moderation_state = 'visible'"),
    # Comments on the challenge itself (questions to the champion), not on its ideas.
    Counter("challenges", "challenge", "comments_count", "comments", "comments", "challenge_id",
            f"idea_id IS NULL AND {PUBLIC_COMMENT}"),
    # Active members and leads; requests to join a closed group are not members yet.
    Counter("groups", "group", "members_count", "members", "group_memberships", "group_id", "state = 'active'"),
)


@dataclass(frozen=True)
class Change:
    noun: str
    row_id: int
    label: str
    old: int
    new: int

    def __str__(self) -> str:
        return f"{self.noun} {self.row_id}: {self.label} {self.old} -> {self.new}"


@dataclass
class RecountReport:
    checked: dict[str, int] = field(default_factory=dict)  # rows checked per table
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # counters whose source table is missing

    def summary(self, applied: bool = True) -> str:
        checked = ", ".join(f"{n:,} {table}" for table, n in self.checked.items()) or "nothing"
        if not self.changes:
            return f"No changes: every counter matches ({checked} checked)."
        rows = len({(c.noun, c.row_id) for c in self.changes})
        counters = f"{len(self.changes):,} counter{'s' if len(self.changes) != 1 else ''}"
        where = f"on {rows:,} row{'s' if rows != 1 else ''} ({checked} checked)"
        if applied:
            return f"Changed {counters} {where}."
        return f"Found {counters} to change {where}; nothing was changed (--check)."


Progress = Callable[[str, int], object]  # (label, length) -> a context manager with .update(n)


def _hold_sources(tables: list[str]) -> None:
    """Keep the counted rows still until commit, so a support or comment arriving
    mid-recount cannot be missed or counted twice.

    PostgreSQL: SHARE locks let readers through and make writers wait (briefly;
    one statement per batch). SQLite: the first write takes the database's write lock.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE"))
    else:
        db.session.execute(text("UPDATE ideas SET id = id WHERE 0 = 1"))


def _mismatches(counter: Counter, low: int, high: int) -> list[tuple[int, int, int]]:
    extra = f" AND {counter.where}" if counter.where else ""
    sql = (
        f"SELECT t.id, t.{counter.column}, COALESCE(c.n, 0) "
        f"FROM {counter.table} t LEFT JOIN ("
        f"  SELECT {counter.key} AS key, COUNT(*) AS n FROM {counter.source}"
        f"  WHERE {counter.key} >= :low AND {counter.key} < :high{extra} GROUP BY {counter.key}"
        f") c ON c.key = t.id "
        f"WHERE t.id >= :low AND t.id < :high AND t.{counter.column} <> COALESCE(c.n, 0) "
        f"ORDER BY t.id"
    )
    return [tuple(row) for row in db.session.execute(text(sql), {"low": low, "high": high})]


def recount(progress: Progress | None = None, apply: bool = True) -> RecountReport:
    """Recompute every stored counter; with apply=False only report. Flushes, never commits."""
    progress = progress or (lambda label, length: nullcontext(_NoBar()))
    existing = set(inspect(db.session.connection()).get_table_names())
    counters = [c for c in COUNTERS if c.source in existing and c.table in existing]
    report = RecountReport(skipped=[f"{c.table}.{c.column}" for c in COUNTERS if c not in counters])
    if apply:
        _hold_sources(sorted({c.source for c in counters},
                             key=["supports", "comments", "ideas", "group_memberships"].index))
    for table, noun in (("ideas", "idea"), ("challenges", "challenge"), ("groups", "group")):
        mine = [c for c in counters if c.table == table]
        if not mine:
            continue
        rows, low_id, high_id = db.session.execute(text(f"SELECT COUNT(*), MIN(id), MAX(id) FROM {table}")).one()
        report.checked[table] = rows
        with progress(f"Recounting {table}", rows) as bar:
            low = low_id or 0
            while rows and low <= high_id:
                high = low + BATCH
                for counter in mine:
                    found = _mismatches(counter, low, high)
                    if found and apply:
                        db.session.execute(
                            text(f"UPDATE {table} SET {counter.column} = :new WHERE id = :id"),
                            [{"id": row_id, "new": new} for row_id, _old, new in found],
                        )
                    report.changes.extend(Change(noun, row_id, counter.label, old, new) for row_id, old, new in found)
                in_batch = db.session.execute(
                    text(f"SELECT COUNT(*) FROM {table} WHERE id >= :low AND id < :high"), {"low": low, "high": high}
                ).scalar_one()
                bar.update(in_batch)
                low = high
    report.changes.sort(key=lambda c: (["idea", "challenge", "group"].index(c.noun), c.row_id, c.label))
    return report


class _NoBar:
    def update(self, n: int) -> None:
        pass
