"""SECURITY.md 17 for supports, on PostgreSQL: many people (and many clicks by one person) at once.

Each thread has its own app context, so its own database session and connection,
as concurrent requests on a real server do. A barrier releases them together.
The figures are printed (run with -s to see them) and written to
test-artifacts/support-concurrency.json for the release note.
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from conftest import TEST_DB, make_app
from genius.accounts.models import User
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import queries as idea_queries
from genius.ideas.models import Idea, Support
from genius.supports import services
from genius.supports.services import SupportError

pytestmark = pytest.mark.skipif(
    TEST_DB != "postgresql",
    reason="SQLite runs one writer at a time (a database-wide lock), so there is no concurrent write path to "
           "race; this test runs with GENIUS_TEST_DB=postgresql",
)

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "support-concurrency.json"
THREADS = 50
ROUNDS = 5


def record(name: str, figures: dict) -> None:
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    data[name] = {**figures, "database": "postgresql", "recorded_at": utcnow().isoformat(timespec="seconds")}
    ARTIFACT.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def people(n: int) -> list[int]:
    """n confirmed residents, inserted in one statement (no password hashing: they never sign in)."""
    now = utcnow()
    tag = time.monotonic_ns()
    db.session.execute(insert(User), [
        {"email": f"crowd{tag}-{i}@example.com", "display_name": f"Crowd {i}", "password_hash": "unused",
         "role": "resident", "email_confirmed_at": now, "session_version": 1, "created_at": now, "updated_at": now}
        for i in range(n)
    ])
    db.session.commit()
    return list(db.session.scalars(select(User.id).where(User.email.like(f"crowd{tag}-%")).order_by(User.id)))


def truth(idea_id: int) -> tuple[int, int]:
    db.session.rollback()
    db.session.expire_all()
    counter = db.session.scalar(select(Idea.supports_count).where(Idea.id == idea_id))
    rows = db.session.scalar(select(func.count()).select_from(Support).where(Support.idea_id == idea_id))
    return counter, rows


@pytest.fixture
def crowd_app(app, migrated, tmp_path):
    """The same database, with a pool as large as the crowd, so every thread holds a connection at once."""
    crowd = make_app(migrated, tmp_path / "crowd", SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": THREADS, "max_overflow": 0, "pool_timeout": 60, "pool_pre_ping": True})
    yield crowd
    with crowd.app_context():
        db.engine.dispose()


def run_threads(crowd_app, jobs) -> tuple[float, list[BaseException]]:
    """Run each job(…) in its own thread and app context, released together; (seconds, errors)."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def wrap(job):
        with crowd_app.app_context():
            try:
                db.session.execute(select(1))  # take a connection before the start line
                barrier.wait()
                job()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return time.perf_counter() - started, errors


def one_request(user_id: int, idea_id: int, action: str, timings: list[float]):
    """What one POST does: load, check, change, commit."""
    started = time.perf_counter()
    user = db.session.get(User, user_id)
    idea = db.session.scalar(idea_queries.idea_with_context(idea_id))
    change = services.support_idea if action == "support" else services.withdraw_support
    try:
        result = change(user, idea)
    except SupportError:
        db.session.rollback()
        timings.append(time.perf_counter() - started)
        raise
    db.session.commit()
    timings.append(time.perf_counter() - started)
    return result


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def test_fifty_people_supporting_and_withdrawing_at_once_keep_the_counter_exact(crowd_app, make_challenge, make_idea):
    idea_id = make_idea(make_challenge("open")).id  # plain ids only: ORM objects belong to this thread's session
    users = people(THREADS)
    rng = random.Random(17)
    supported = dict.fromkeys(users, False)
    timings: list[float] = []
    round_seconds = []
    for _ in range(ROUNDS):
        # Each person does one to four actions in a row, mostly toggling, sometimes repeating (a double click).
        plans = {u: [rng.choice(("support", "withdraw")) for _ in range(rng.randint(1, 4))] for u in users}
        for u, plan in plans.items():
            for action in plan:
                supported[u] = action == "support"

        def job(u=None, plan=None):
            for action in plan:
                one_request(u, idea_id, action, timings)

        seconds, errors = run_threads(crowd_app, [lambda u=u, p=p: job(u, p) for u, p in plans.items()])
        assert errors == [], errors[:3]
        round_seconds.append(seconds)
        counter, rows = truth(idea_id)
        assert counter == rows == sum(supported.values())
    counter, rows = truth(idea_id)
    record("fifty_people_support_and_withdraw", {
        "threads": THREADS, "rounds": ROUNDS, "requests": len(timings),
        "seconds": round(sum(round_seconds), 2),
        "requests_per_second": round(len(timings) / sum(round_seconds)),
        "latency_ms_p50": ms(statistics.median(timings)),
        "latency_ms_p95": ms(statistics.quantiles(timings, n=20)[18]),
        "latency_ms_max": ms(max(timings)),
        "final_supports_count": counter, "final_count_star": rows,
    })


def test_twenty_clicks_by_one_person_at_once_count_once(crowd_app, make_challenge, make_idea):
    idea_id = make_idea(make_challenge("open")).id
    [user] = people(1)
    results: list[bool] = []
    timings: list[float] = []
    seconds, errors = run_threads(crowd_app, [lambda: results.append(one_request(user, idea_id, "support", timings))
                                              for _ in range(20)])
    assert errors == []
    assert sorted(results) == [False] * 19 + [True]
    assert truth(idea_id) == (1, 1)
    record("one_person_twenty_clicks", {
        "threads": 20, "added": results.count(True), "seconds": round(seconds, 3),
        "latency_ms_max": ms(max(timings)), "final_supports_count": 1, "final_count_star": 1,
    })


def test_a_limit_of_three_holds_against_twenty_supports_at_once(crowd_app, make_challenge, make_idea):
    challenge = make_challenge("open", support_limit=3)
    ideas = [make_idea(challenge, title=f"Idea {n}").id for n in range(20)]
    [user] = people(1)
    results: list[bool] = []
    timings: list[float] = []
    seconds, errors = run_threads(crowd_app, [
        lambda i=i: results.append(one_request(user, i, "support", timings)) for i in ideas])
    refused = [e for e in errors if isinstance(e, SupportError)]
    assert len(refused) == len(errors) == 17, errors[:3]
    assert {e.kind for e in refused} == {"limit"}
    assert str(refused[0]) == ("You have used all 3 of your supports in this challenge. "
                               "Withdraw one to support another idea.")
    assert results == [True, True, True]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Support).where(Support.user_id == user)) == 3
    assert sum(truth(i)[0] for i in ideas) == 3
    assert all(counter == rows for counter, rows in map(truth, ideas))
    record("limit_three_twenty_at_once", {
        "threads": 20, "limit": 3, "supports_stored": 3, "refused": len(refused), "seconds": round(seconds, 3),
        "latency_ms_max": ms(max(timings)),
    })
