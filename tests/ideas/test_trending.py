"""The trending sort reads ideas.trending_supports, the supports of the last 7 days as of the last
refresh (genius.ideas.trending; `genius ideas refresh-trending`, hourly from cron)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from challenges.factories import card_titles
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import trending
from genius.ideas.models import Idea, Support


def _support(idea, people, days_ago: float) -> None:
    person = people.pop()
    db.session.add(Support(idea_id=idea.id, user_id=person.id, created_at=utcnow() - timedelta(days=days_ago)))


def _stored() -> dict[str, int]:
    db.session.rollback()
    return dict(db.session.execute(select(Idea.title, Idea.trending_supports)).all())


def test_refresh_counts_the_last_7_days_and_the_page_follows_it(make_challenge, make_idea, make_user, client):
    challenge = make_challenge("open")
    old, new, quiet = (make_idea(challenge, title=t, supports_count=n) for t, n in (("Old", 9), ("New", 2), ("Quiet", 5)))
    people = [make_user(email=f"p{n}@example.org") for n in range(12)]
    for days in (8, 9, 10, 11, 3):
        _support(old, people, days)
    for days in (0.1, 6.9):
        _support(new, people, days)
    db.session.commit()

    assert trending.refresh() == (3, 2)
    db.session.commit()
    assert _stored() == {"Old": 1, "New": 2, "Quiet": 0}
    page = client.get(f"/challenges/{challenge.id}?sort=trending").get_data(as_text=True)
    assert card_titles(page) == ["New", "Old", "Quiet"]  # ties (none here) would go to more supports in all

    # A week later the same supports have aged out: the next refresh drops them.
    assert trending.refresh(now=utcnow() + timedelta(days=7)) == (3, 2)
    db.session.commit()
    assert _stored() == {"Old": 0, "New": 0, "Quiet": 0}
    page = client.get(f"/challenges/{challenge.id}?sort=trending").get_data(as_text=True)
    assert card_titles(page) == ["Old", "Quiet", "New"]  # all at 0: most supported first


def test_refresh_changes_nothing_twice(make_challenge, make_idea, make_user):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    _support(idea, [make_user(email="x@example.org")], 1)
    db.session.commit()
    assert trending.refresh()[1] == 1
    db.session.commit()
    assert trending.refresh() == (1, 0)


def test_the_command_refreshes_and_says_so(runner, make_challenge, make_idea, make_user):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    _support(idea, [make_user(email="x@example.org")], 1)
    db.session.commit()
    result = runner.invoke(args=["ideas", "refresh-trending"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 ideas changed" in result.output
    assert _stored() == {idea.title: 1}


def test_a_new_support_counts_in_the_trending_order_at_once(make_challenge, make_idea, make_user, client):
    from genius.supports import services as supports

    challenge = make_challenge("open")
    make_idea(challenge, title="Popular", supports_count=3, trending_supports=3)
    rising = make_idea(challenge, title="Rising", supports_count=0)
    people = [make_user(email=f"r{n}@example.org") for n in range(4)]
    for person in people:
        supports.support_idea(person, db.session.get(Idea, rising.id))
        db.session.commit()
    assert _stored() == {"Popular": 3, "Rising": 4}
    page = client.get(f"/challenges/{challenge.id}?sort=trending").get_data(as_text=True)
    assert card_titles(page) == ["Rising", "Popular"]
    supports.withdraw_support(people[0], db.session.get(Idea, rising.id))
    db.session.commit()
    assert _stored()["Rising"] == 4, "a withdrawal leaves it at the next refresh"
    assert trending.refresh()[1] == 2  # Rising to its 3 supports of the week, Popular to 0 (no rows)
    db.session.commit()
    assert _stored() == {"Popular": 0, "Rising": 3}
