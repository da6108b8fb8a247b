"""`genius recount` repairs the stored counters from the rows they count and says what it changed."""

from __future__ import annotations

from sqlalchemy import text

from challenges.factories import reload
from genius import maintenance
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea
from genius.supports import services


def comment(challenge, author, idea=None, deleted=False) -> Comment:
    row = Comment(challenge_id=challenge.id, idea_id=idea.id if idea else None, author_id=author.id,
                  body_source="Hello", body_html="<p>Hello</p>", deleted_at=utcnow() if deleted else None)
    db.session.add(row)
    return row


def world(cast, make_challenge, make_idea):
    """A challenge with two ideas, supports by three people, comments on an idea and on the challenge,
    every counter right; then four of them corrupted directly in SQL."""
    challenge = make_challenge("open")
    first, second = make_idea(challenge, title="First"), make_idea(challenge, title="Second")
    for role in ("resident", "author", "staff"):
        services.support_idea(cast(role), db.session.get(Idea, first.id))
    services.support_idea(cast("resident"), db.session.get(Idea, second.id))
    comment(challenge, cast("resident"), first)
    comment(challenge, cast("author"), first, deleted=True)
    comment(challenge, cast("resident"), None)
    db.session.execute(text("UPDATE ideas SET comments_count = 1 WHERE id = :id"), {"id": first.id})
    db.session.execute(text("UPDATE challenges SET comments_count = 1 WHERE id = :id"), {"id": challenge.id})
    db.session.commit()
    # The corruption: as a bad restore or a hand edit would leave it.
    db.session.execute(text("UPDATE ideas SET supports_count = 7 WHERE id = :id"), {"id": first.id})
    db.session.execute(text("UPDATE ideas SET comments_count = 4 WHERE id = :id"), {"id": second.id})
    db.session.execute(text("UPDATE challenges SET ideas_count = 9, comments_count = 0 WHERE id = :id"),
                       {"id": challenge.id})
    db.session.commit()
    return challenge, first, second


def test_recount_repairs_and_reports_each_change_then_reports_none(runner, cast, make_challenge, make_idea):
    challenge, first, second = world(cast, make_challenge, make_idea)
    result = runner.invoke(args=["recount"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if ":" in line and "->" in line]
    assert lines == [
        f"idea {first.id}: supports 7 -> 3",
        f"idea {second.id}: comments 4 -> 0",
        f"challenge {challenge.id}: comments 0 -> 1",
        f"challenge {challenge.id}: ideas 9 -> 2",
    ]
    assert "Changed 4 counters on 3 rows (2 ideas, 1 challenges, 0 groups checked)." in result.output
    assert (reload(first).supports_count, reload(first).comments_count) == (3, 1)
    assert reload(second).comments_count == 0
    fresh = reload(challenge)
    assert (fresh.ideas_count, fresh.comments_count) == (2, 1)

    again = runner.invoke(args=["recount"])
    assert again.exit_code == 0
    assert "No changes: every counter matches (2 ideas, 1 challenges, 0 groups checked)." in again.output
    assert "->" not in again.output


def test_check_only_reports_and_fails_without_changing_anything(runner, cast, make_challenge, make_idea):
    _, first, _ = world(cast, make_challenge, make_idea)
    result = runner.invoke(args=["recount", "--check"])
    assert result.exit_code == 1
    assert f"idea {first.id}: supports 7 -> 3" in result.output
    assert "Found 4 counters to change on 3 rows" in result.output and "nothing was changed" in result.output
    assert reload(first).supports_count == 7


def test_batches_cover_every_row(monkeypatch, cast, make_challenge, make_idea):
    """With tiny id ranges every batch boundary is crossed: no row skipped, none counted twice."""
    monkeypatch.setattr(maintenance, "BATCH", 2)
    challenge = make_challenge("open")
    ideas = [make_idea(challenge, title=f"Idea {n}") for n in range(7)]
    for n, idea in enumerate(ideas):
        for role in ("resident", "author", "staff")[: n % 4]:
            services.support_idea(cast(role), db.session.get(Idea, idea.id))
    db.session.commit()
    db.session.execute(text("UPDATE ideas SET supports_count = supports_count + 10"))
    db.session.commit()
    steps = []

    class Bar:
        def __init__(self, label, length):
            self.label, self.length, self.done = label, length, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            steps.append((self.label, self.length, self.done))

        def update(self, n):
            self.done += n

    report = maintenance.recount(progress=Bar)
    db.session.commit()
    assert len(report.changes) == 7
    assert steps == [("Recounting ideas", 7, 7), ("Recounting challenges", 1, 1), ("Recounting groups", 0, 0)]
    db.session.expire_all()
    assert [db.session.get(Idea, i.id).supports_count for i in ideas] == [n % 4 for n in range(7)]
    assert maintenance.recount().changes == []


def test_an_empty_database_has_nothing_to_change(runner):
    result = runner.invoke(args=["recount"])
    assert result.exit_code == 0 and "No changes" in result.output
