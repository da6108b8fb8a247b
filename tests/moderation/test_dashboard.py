"""The moderation dashboard: items waiting, the oldest wait, the median time to a decision over the
last 30 days (decisions older than that, and automatic actions, do not count)."""

from __future__ import annotations

from datetime import timedelta

from challenges.factories import days_ago, reload
from genius.core.models import utcnow
from genius.extensions import db
from genius.moderation import queries, services


def _decide_after(held_idea, challenge, moderator, hours: float, decided_at) -> None:
    idea = held_idea(challenge, title=f"Waited {hours}", created_at=decided_at - timedelta(hours=hours))
    services.approve(reload(idea), moderator, now=decided_at)
    db.session.commit()


def test_the_figures(make_challenge, held_idea, make_idea, make_user, cast, as_role):
    challenge = make_challenge()
    moderator = cast("moderator")
    now = utcnow()
    # Three decisions in the last 30 days after waits of 2, 4 and 10 hours; one 40 days ago after 100 hours.
    for hours, days in ((2, 1), (4, 2), (10, 3), (100, 40)):
        _decide_after(held_idea, challenge, moderator, hours, now - timedelta(days=days))
    # Automatic actions are not decisions: an idea hidden by reports.
    reported = make_idea(challenge, title="Reported")
    for _ in range(3):
        services.report(reload(reported), make_user(), "spam")
    db.session.commit()

    waiting = held_idea(challenge, title="Still waiting", created_at=days_ago(2))
    held_idea(challenge, title="Just in")
    board = queries.dashboard(moderator, queries.queue(moderator), now)
    assert (board.waiting, board.decisions, board.median_hours) == (3, 3, 4.0)
    assert board.oldest == reload(waiting).created_at
    client, _ = as_role("moderator")
    html = client.get("/moderation").get_data(as_text=True)
    assert "Median time to a decision, last 30 days" in html and "4.0 hours (3 decisions)" in html
    assert "2 days (since" in html


def test_the_champions_dashboard_counts_their_challenges_only(make_challenge, held_idea, make_user, cast):
    mine = make_challenge(title="Mine")
    theirs = make_challenge(title="Theirs", champion=make_user(role="staff"))
    now = utcnow()
    _decide_after(held_idea, mine, cast("moderator"), 1, now)
    _decide_after(held_idea, theirs, cast("moderator"), 5, now)
    held_idea(theirs, title="Waiting elsewhere")
    champion = cast("champion")
    board = queries.dashboard(champion, queries.queue(champion), now)
    assert (board.waiting, board.decisions, board.median_hours) == (0, 1, 1.0)


def test_an_empty_dashboard(as_role):
    client, _ = as_role("moderator")
    html = client.get("/moderation").get_data(as_text=True)
    assert "Nothing is waiting" in html and "No decisions in the last 30 days" in html
