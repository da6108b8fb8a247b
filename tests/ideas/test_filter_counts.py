"""The challenge page's filter counts are cached per challenge and `ideas_version` (genius.ideas.counts):
after every kind of write, each reader's page shows what a fresh COUNT gives (ideas.queries.filter_counts,
the query the page ran on every request before), with the cache warmed just before the write."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select, update

from genius.challenges.models import Challenge, ChallengeTag
from genius.extensions import db
from genius.ideas import services
from genius.ideas.models import Idea, idea_tags
from genius.ideas.queries import filter_counts
from genius.moderation import duplicates, services as moderation

OPTION = re.compile(r'<option value="([^"]+)"[^>]*>[^<(]*\((\d+)\)</option>')
SELECT = re.compile(r'<select class="govuk-select" id="idea-(status|tag|area)" name="\w+">(.*?)</select>', re.S)
TOTAL = re.compile(r'role="status">(\d+|No) ideas?')


def shown(client, challenge_id: int) -> dict:
    html = client.get(f"/challenges/{challenge_id}").get_data(as_text=True)
    counts = {(kind, value): int(n) for kind, body in SELECT.findall(html) for value, n in OPTION.findall(body)}
    total = TOTAL.search(html).group(1)
    counts[("total", "")] = 0 if total == "No" else int(total)
    return counts


def fresh(challenge_id: int, user, labels: dict) -> dict:
    """The same labels from a COUNT over the rows now (0 where nothing matches)."""
    db.session.rollback()
    db.session.expire_all()
    challenge = db.session.get(Challenge, challenge_id)
    counts = {key: 0 for key in labels}
    for kind, key, withdrawn, n in db.session.execute(filter_counts(challenge, user)):
        key = "withdrawn" if kind == "status" and withdrawn else key
        counts[(kind, key)] = counts.get((kind, key), 0) + n
        if kind == "status":
            counts[("total", "")] += n
    db.session.rollback()
    return counts


@pytest.fixture
def scene(app, make_challenge, make_idea, cast, as_role):
    area, other_area = app.config["AREAS"][:2]
    challenge = make_challenge("open", tags=("transport", "schools", "health"))
    for n, (status, tags, where) in enumerate([("submitted", ("transport",), area), ("shortlisted", ("schools",), None),
                                               ("submitted", ("transport", "health"), other_area)]):
        make_idea(challenge, title=f"Idea {n}", status=status, tags=tags, area=where)
    readers = {role: as_role(role) for role in ("anonymous", "author", "moderator", "champion", "resident")}
    return challenge, readers, area, other_area


def check(challenge_id: int, readers: dict, step: str) -> None:
    for role, (client, user) in readers.items():
        page = shown(client, challenge_id)
        assert page == fresh(challenge_id, user, page), (step, role)


def test_every_write_keeps_the_cached_counts_right(scene, cast, app):
    challenge, readers, area, other_area = scene
    cid = challenge.id
    author, moderator, champion = cast("author"), cast("moderator"), cast("champion")
    check(cid, readers, "start")  # warms every reader's cache entry

    def idea_titled(title: str) -> Idea:
        db.session.rollback()
        return db.session.scalar(select(Idea).where(Idea.challenge_id == cid, Idea.title == title))

    def tag_id(name: str) -> int:
        return db.session.scalar(select(ChallengeTag.id).where(ChallengeTag.challenge_id == cid, ChallengeTag.name == name))

    def step(name: str) -> None:
        db.session.commit()
        check(cid, readers, name)

    chal = db.session.get(Challenge, cid)
    services.propose_idea(chal, author, services.IdeaData("Proposed", "A new one", tag_ids=[tag_id("schools")], area=area))
    step("proposed, visible")

    db.session.get(Challenge, cid).premoderate_ideas = True
    db.session.commit()
    services.propose_idea(db.session.get(Challenge, cid), author,
                          services.IdeaData("Held one", "Waits", tag_ids=[tag_id("health")], area=other_area))
    step("proposed, held (the author and moderators see it)")

    moderation.approve(idea_titled("Held one"), moderator)
    step("approved")

    moderation.hide(idea_titled("Held one"), moderator, "spam")
    step("hidden")

    moderation.restore(idea_titled("Held one"), moderator)
    step("restored")

    services.withdraw_idea(idea_titled("Idea 0"))
    step("withdrawn")

    services.respond(idea_titled("Idea 1"), champion, "selected", "Chosen.")
    step("status changed")

    idea = idea_titled("Idea 2")
    services.edit_idea(idea, services.IdeaData("Idea 2", idea.summary, tag_ids=[tag_id("schools")], area=other_area))
    step("tags changed")

    idea = idea_titled("Idea 2")
    services.edit_idea(idea, services.IdeaData("Idea 2", idea.summary, tag_ids=[tag_id("schools")], area=area))
    step("area changed")

    chal = db.session.get(Challenge, cid)
    chal.tags.remove(next(t for t in chal.tags if t.name == "health"))
    step("a challenge tag removed (its ideas lose it)")

    original, copy = idea_titled("Idea 1"), idea_titled("Proposed")
    proposal = duplicates.propose_duplicate(copy, original, moderator)
    duplicates.decide_duplicate(proposal, copy, original, author, accept=True)
    step("duplicate accepted")

    db.session.execute(insert(Idea), [dict(challenge_id=cid, author_id=author.id, title="Bulk", summary="s",
                                           status="under_consideration", area=other_area)])
    bulk = db.session.scalar(select(Idea.id).where(Idea.title == "Bulk"))
    db.session.execute(insert(idea_tags), [{"idea_id": bulk, "tag_id": tag_id("transport")}])
    step("bulk insert of an idea and its tag")

    db.session.execute(update(Idea).where(Idea.id == bulk).values(status="shortlisted"))
    step("bulk update of a status")

    version = _version(cid)
    db.session.execute(update(Idea).where(Idea.id == bulk).values(comments_count=3))
    db.session.commit()
    assert _version(cid) == version, "a column the counts do not depend on bumps nothing"

    db.session.delete(idea_titled("Idea 2"))
    step("deleted")


def _version(cid: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(Challenge.ideas_version).where(Challenge.id == cid))


def test_a_write_bumps_only_its_own_challenge(make_challenge, make_idea, cast):
    one, two = make_challenge("open"), make_challenge("open", title="Cleaner rivers")
    before = _version(one.id), _version(two.id)
    make_idea(one)
    assert (_version(one.id), _version(two.id)) == (before[0] + 1, before[1])


def test_a_rolled_back_write_bumps_nothing(make_challenge, make_idea, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    version = _version(challenge.id)
    db.session.get(Idea, idea.id).status = "selected"
    db.session.flush()
    db.session.rollback()
    make_idea(make_challenge("open", title="Other"))  # a later commit in the same session
    assert _version(challenge.id) == version


def test_a_cached_page_reads_no_idea_rows_for_its_counts(make_challenge, make_idea, as_role, count_statements):
    """Anonymous readers: the counts come from the cache (no statement); a signed-in reader's one
    statement reads only their own non-visible ideas."""
    challenge = make_challenge("open", tags=("transport",))
    make_idea(challenge, tags=("transport",))
    for role in ("anonymous", "author"):
        client, _ = as_role(role)
        client.get(f"/challenges/{challenge.id}")
        with count_statements() as statements:
            client.get(f"/challenges/{challenge.id}")
        grouped = [s for s in statements if "GROUP BY" in s and "ideas" in s]
        if role == "anonymous":
            assert grouped == []
        else:
            assert len(grouped) == 1 and "moderation_state <> 'visible'" in grouped[0], grouped
