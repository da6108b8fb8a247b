"""Group and profile pages cost a bounded number of SQL statements (at most 10), the same with a few
members and ideas as with hundreds; the idea and challenge pages stay within 10 with a group shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from genius.accounts.models import User
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.groups.models import Membership
from genius.ideas.models import Idea

LIMIT = 10


def add_people(n: int, start: int) -> list[int]:
    emails = [f"bulk{i}@example.com" for i in range(start, start + n)]
    db.session.execute(insert(User), [dict(email=e, display_name=e.split("@")[0], password_hash="x", role="resident",
                                           show_in_network=False) for e in emails])
    db.session.commit()
    return db.session.scalars(select(User.id).where(User.email.in_(emails)).order_by(User.id)).all()


def add_members(group, user_ids, state="active"):
    now = utcnow()
    db.session.execute(insert(Membership), [dict(group_id=group.id, user_id=u, role="member", state=state,
                                                 created_at=now, joined_at=now if state == "active" else None)
                                            for u in user_ids])
    db.session.commit()


def add_ideas(challenge, author, group, n: int, start: int):
    now = utcnow()
    db.session.execute(insert(Idea), [dict(
        challenge_id=challenge.id, author_id=author.id, title=f"Idea {i}", summary="s", description_source="",
        description_html="", status="submitted", last_activity_at=now, supports_count=0, comments_count=0,
        group_id=group.id, created_at=now - timedelta(minutes=i), updated_at=now) for i in range(start, start + n)])
    ids = db.session.scalars(select(Idea.id).where(Idea.challenge_id == challenge.id)).all()
    db.session.execute(insert(Comment), [dict(challenge_id=challenge.id, idea_id=i, author_id=author.id,
                                              body_source="c", body_html="<p>c</p>", depth=0) for i in ids[start:]])
    db.session.commit()
    return ids


def measure(client, paths, count_statements) -> dict[str, int]:
    counts = {}
    for name, path in paths.items():
        client.get(path)
        with count_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        counts[name] = len(statements)
    return counts


def test_pages_are_flat_and_bounded(as_role, make_group, make_challenge, cast, count_statements):
    lead = cast("lead")
    group = make_group(is_open=False, members=[cast("member")])
    team = make_group(name="Highways team", kind="council_team", lead=cast("staff"))
    challenge = make_challenge("open", owner_group_id=team.id)
    ids = add_ideas(challenge, lead, group, 3, 0)
    add_members(group, add_people(3, 0)[:2])
    add_members(group, add_people(1, 3), state="requested")
    paths = {
        "group index": "/groups", "group index kind": "/groups?kind=council_team",
        "group page": f"/groups/{group.id}", "council team page": f"/groups/{team.id}",
        "profile": f"/people/{lead.id}", "idea with group": f"/ideas/{ids[0]}",
        "challenge with team": f"/challenges/{challenge.id}",
    }
    readers = ("anonymous", "resident", "lead", "admin")

    def everything():
        return {role: measure(as_role(role)[0], paths, count_statements) for role in readers}

    small = everything()
    add_ideas(challenge, lead, group, 200, 3)
    add_members(group, add_people(150, 10))
    add_members(group, add_people(30, 200), state="requested")
    large = everything()
    print("\nSQL statements per page, small -> large:")
    for role in readers:
        for name in paths:
            print(f"  {role:9} {name:22} {small[role][name]:2} -> {large[role][name]:2}")
    assert large == small, "a page's statement count grew with the data"
    too_many = {(r, n): c for r in large for n, c in large[r].items() if c > LIMIT}
    assert not too_many, f"more than {LIMIT} statements: {too_many}"


@pytest.mark.parametrize("page", ["members_page=3", "ideas_page=5"])
def test_later_pages_of_a_group(as_role, make_group, make_challenge, cast, count_statements, page):
    group = make_group()
    add_members(group, add_people(120, 0))
    add_ideas(make_challenge("open"), cast("lead"), group, 60, 0)
    client, _ = as_role("resident")
    counts = measure(client, {"p": f"/groups/{group.id}?{page}"}, count_statements)
    assert counts["p"] <= LIMIT
    html = client.get(f"/groups/{group.id}?{page}").get_data(as_text=True)
    assert "page 3 of 3" in html or "Idea 4" in html  # members 101-120 on page 3; ideas 40-49 on page 5
