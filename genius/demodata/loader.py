"""Realistic, deterministic demo data at council scale (`genius demo --scale york --seed 1`).

Rows are planned in memory (plan.py) with ids assigned from each table's
max(id) + 1, so children name their parents without a round trip, then
bulk-inserted in chunks into the real models' tables. Every time is an offset
from the start of the current UTC day (or of `now`): the same seed on the same
day gives the same data. Groups and memberships come from groups.py; reports,
held and hidden items from moderation.py, after the insert. Not generated:
notifications (events make them).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from random import Random
from typing import Callable

from flask import current_app
from sqlalchemy import func, insert, select, text

from genius.accounts.models import User
from genius.challenges.models import Challenge, ChallengeStatusChange, ChallengeTag
from genius.comments.models import Comment
from genius.core.passwords import hash_password
from genius.demo import DEMO_PASSWORD, DEMO_PEOPLE
from genius.demodata.groups import GroupPlanner
from genius.demodata.moderation import add_moderation
from genius.demodata.people import People
from genius.demodata.plan import Planner
from genius.demodata.shapes import DAY
from genius.extensions import db
from genius.groups.models import Group, Membership
from genius.ideas.models import Idea, IdeaStatusChange, Support, idea_tags
from genius.notifications.models import Follow
from genius.search.models import SearchDocument

CHUNK = 5_000


@dataclass(frozen=True)
class Scale:
    people: int
    challenges: int
    ideas: int
    supports: int
    comments: int
    groups: int = 0


SCALES = {
    "small": Scale(1_000, 20, 1_000, 10_000, 3_000, 20),
    "york": Scale(20_000, 200, 5_000, 300_000, 40_000, 300),
    "x10": Scale(200_000, 2_000, 50_000, 3_000_000, 400_000, 3_000),
}

# Parents first. Every table here has an integer id the loader assigns (idea_tags has none).
MODELS = {
    "users": User, "groups": Group, "group_memberships": Membership, "challenges": Challenge, "challenge_tags": ChallengeTag,
    "challenge_status_changes": ChallengeStatusChange, "ideas": Idea, "idea_tags": idea_tags,
    "idea_status_changes": IdeaStatusChange, "supports": Support, "comments": Comment, "follows": Follow,
    "search_documents": SearchDocument,
}
LABELS = {"users": "people", "group_memberships": "group members", "idea_status_changes": "official responses", "challenge_status_changes": "challenge statuses"}


class DemoRefused(Exception):
    """The database already has people and --force was not given."""


Progress = Callable[[str, int], object]  # (label, length) -> a context manager with .update(n)


class _NoBar:
    def update(self, n: int) -> None:
        pass


def _no_progress(label: str, length: int):
    return nullcontext(_NoBar())


def load_scale(scale: str, seed: int = 1, force: bool = False, now: datetime | None = None,
               progress: Progress = _no_progress) -> dict[str, int]:
    """Plan and insert a whole council's worth of data; flush, never commit. Returns rows per table."""
    size = SCALES[scale]
    existing = db.session.scalar(select(func.count()).select_from(User)) or 0
    if existing and not force:
        raise DemoRefused(f"The database already has {existing:,} people; demo data not loaded "
                          "(use --force to add it anyway).")
    rng = Random(seed)
    anchor = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    next_ids = {table: (db.session.scalar(select(func.max(model.id))) or 0) + 1
                for table, model in MODELS.items() if table != "idea_tags"}

    people = People(next_ids["users"], size.people, anchor - 800 * DAY, anchor - DAY)
    # One hash for everyone, computed once: hashing 200,000 passwords would take hours.
    users = people.plan(rng, hash_password(DEMO_PASSWORD), [] if existing else DEMO_PEOPLE)
    planner = Planner(rng, anchor, list(current_app.config.get("AREAS") or ["Centre"]), people, next_ids)
    planner.rows["users"] = users
    groups = GroupPlanner(seed, anchor, people, next_ids)
    groups.people_rows(users)
    taken = set(db.session.scalars(select(func.lower(Group.name)))) if existing else set()
    planner.rows["groups"], planner.rows["group_memberships"] = groups.plan(size.groups, planner.areas, taken)
    planner.challenges(size.challenges)
    planner.ideas(size.ideas)
    planner.support_counts(size.supports)
    planner.comments(size.comments)
    groups.assign(planner.rows["challenges"], planner.rows["ideas"])
    planner.follows()
    planner.search_documents()

    counts = {}
    for table in MODELS:
        if table == "supports":
            total = sum(idea["supports_count"] for idea in planner.rows["ideas"])
            counts[table] = _insert(table, planner.iter_supports(next_ids["supports"]), total, progress)
        else:
            counts[table] = _insert(table, planner.rows[table], len(planner.rows[table]), progress)
    db.session.flush()
    counts.update(add_moderation(rng, anchor))
    _reset_sequences()
    from genius.ideas.trending import refresh

    refresh()  # the trending sort's stored counts, as `genius ideas refresh-trending` keeps them
    return counts


def _insert(table: str, rows: Iterable[dict], length: int, progress: Progress) -> int:
    model = MODELS[table]
    # The model's table, not the ORM's bulk path: that splits a chunk wherever a row has a None,
    # turning one executemany into thousands of statements.
    statement = insert(getattr(model, "__table__", model))
    done = 0
    with progress(f"{LABELS.get(table, table.replace('_', ' ')):<20}", length) as bar:
        chunk: list[dict] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                db.session.execute(statement, chunk)
                bar.update(len(chunk))
                done += len(chunk)
                chunk = []
        if chunk:
            db.session.execute(statement, chunk)
            bar.update(len(chunk))
            done += len(chunk)
    return done


def _reset_sequences() -> None:
    """PostgreSQL: move each id sequence past the ids given here, so the site's own inserts do not collide."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in MODELS:
        if table != "idea_tags":
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            ))
