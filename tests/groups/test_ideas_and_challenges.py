"""Ideas proposed on behalf of a group, challenges owned by a council team: the form, the server-side
checks, the pages that show them, and who sees what on the group page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from challenges.factories import date_pairs, main_of, submit
from genius.challenges.models import Challenge
from genius.extensions import db
from genius.ideas.models import Idea

IDEA = [("title", "Walking buses"), ("summary", "Parents take turns walking children to school.")]


def idea_titled(title: str) -> Idea | None:
    db.session.rollback()
    return db.session.scalar(select(Idea).where(Idea.title == title))


def test_the_group_choice_is_shown_only_to_people_in_a_group(as_role, make_challenge, make_group, make_user):
    challenge = make_challenge("open")
    group = make_group(name="Clifton Parents")
    make_group(name="Waiting Parents", status="proposed")  # the lead's proposal is not a group yet
    resident, _ = as_role("resident")
    assert 'name="group"' not in resident.get(f"/challenges/{challenge.id}/ideas/new").get_data(as_text=True)
    lead, _ = as_role("lead")
    form = lead.get(f"/challenges/{challenge.id}/ideas/new").get_data(as_text=True)
    assert 'name="group"' in form and "Just me" in form and "Clifton Parents" in form
    assert "Waiting Parents" not in form
    assert group.id


def test_propose_on_behalf_of_a_group(as_role, make_challenge, make_group):
    challenge = make_challenge("open")
    group = make_group(name="Clifton Parents")
    lead, _ = as_role("lead")
    response = submit(lead, f"/challenges/{challenge.id}/ideas/new", [*IDEA, ("group", str(group.id))])
    assert response.status_code == 302, response.get_data(as_text=True)
    idea = idea_titled("Walking buses")
    assert idea.group_id == group.id
    page = main_of(lead.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert f'on behalf of <a class="govuk-link" href="/groups/{group.id}">Clifton Parents</a>' in page
    group_page = main_of(as_role("anonymous")[0].get(f"/groups/{group.id}").get_data(as_text=True))
    assert "Walking buses" in group_page


def test_just_me_leaves_the_idea_without_a_group(as_role, make_challenge, make_group):
    challenge = make_challenge("open")
    make_group()
    lead, _ = as_role("lead")
    assert submit(lead, f"/challenges/{challenge.id}/ideas/new", [*IDEA, ("group", "0")]).status_code == 302
    assert idea_titled("Walking buses").group_id is None


@pytest.mark.parametrize("whose", ["someone else's", "proposed", "requested", "nonsense"])
def test_only_a_group_the_author_actively_belongs_to(as_role, make_challenge, make_group, make_user, cast, whose):
    challenge = make_challenge("open")
    make_group(name="My Group")  # so the lead sees the field
    other_lead = make_user()
    target = {
        "someone else's": lambda: make_group(name="Their Group", lead=other_lead).id,
        "proposed": lambda: make_group(name="Proposed Group", status="proposed").id,
        "requested": lambda: make_group(name="Closed Group", lead=other_lead, is_open=False, requests=[cast("lead")]).id,
        "nonsense": lambda: "abc",
    }[whose]()
    lead, _ = as_role("lead")
    response = submit(lead, f"/challenges/{challenge.id}/ideas/new", [*IDEA, ("group", str(target))])
    assert response.status_code == 400
    assert "Choose one of your groups, or ‘Just me’" in response.get_data(as_text=True)
    assert idea_titled("Walking buses") is None


def test_a_group_is_ignored_for_people_in_no_group(as_role, make_challenge, make_group, make_user):
    """The field is not on their form; a forged value cannot attach someone else's group."""
    challenge = make_challenge("open")
    group = make_group(lead=make_user())
    resident, _ = as_role("resident")
    assert submit(resident, f"/challenges/{challenge.id}/ideas/new", [*IDEA, ("group", str(group.id))]).status_code == 302
    assert idea_titled("Walking buses").group_id is None


def test_an_idea_on_behalf_of_a_group_is_not_anonymous(as_role, make_challenge, make_group):
    challenge = make_challenge("open")
    group = make_group()
    lead, _ = as_role("lead")
    response = submit(lead, f"/challenges/{challenge.id}/ideas/new",
                      [*IDEA, ("group", str(group.id)), ("anonymous", "y")])
    assert response.status_code == 400
    assert "An idea proposed on behalf of a group cannot be anonymous" in response.get_data(as_text=True)
    assert idea_titled("Walking buses") is None


def test_editing_keeps_the_group_after_leaving_it(as_role, make_challenge, make_group, make_idea, cast, make_user):
    challenge = make_challenge("open")
    group = make_group(lead=make_user(), members=[cast("member")])
    idea = make_idea(challenge, author=cast("member"), title="Walking buses", group_id=group.id)
    from genius.groups.models import Membership

    db.session.execute(Membership.__table__.delete().where(Membership.user_id == cast("member").id))
    db.session.commit()
    member, _ = as_role("member")
    form = member.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{group.id}">' in form or f'value="{group.id}" selected' in form
    response = submit(member, f"/ideas/{idea.id}/edit", [*IDEA, ("group", str(group.id))])
    assert response.status_code == 302
    assert idea_titled("Walking buses").group_id == group.id


def challenge_pairs(champion_id: int, group_id) -> list:
    today = date.today()
    return [("title", "Cleaner air"), ("summary", "Ideas for cleaner air"), ("background", "Air is dirty."),
            ("champion_id", str(champion_id)), ("audience", "public"), ("owner_group_id", str(group_id)),
            *date_pairs("opens_on", today), *date_pairs("closes_on", today + timedelta(days=30))]


def test_staff_give_a_challenge_to_a_council_team(as_role, make_group, cast):
    team = make_group(name="Air Quality Team", kind="council_team", lead=cast("staff"))
    make_group(name="Clifton Parents")  # not a council team: not offered
    staff, user = as_role("staff")
    form = staff.get("/challenges/new").get_data(as_text=True)
    assert "Air Quality Team" in form and "Clifton Parents" not in form
    response = submit(staff, "/challenges/new", challenge_pairs(user.id, team.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    challenge = db.session.scalar(select(Challenge).where(Challenge.title == "Cleaner air"))
    assert challenge.owner_group_id == team.id
    page = main_of(staff.get(f"/challenges/{challenge.id}").get_data(as_text=True))
    assert f'<a class="govuk-link" href="/groups/{team.id}">Air Quality Team</a>' in page
    # A draft is staff-only: the team's page lists it for staff, not for residents.
    assert "Cleaner air" in staff.get(f"/groups/{team.id}").get_data(as_text=True)
    assert "Cleaner air" not in as_role("resident")[0].get(f"/groups/{team.id}").get_data(as_text=True)


@pytest.mark.parametrize("kind_or_status", ["community_group", "proposed", "missing"])
def test_only_an_approved_council_team_can_own_a_challenge(as_role, make_group, cast, kind_or_status):
    if kind_or_status == "missing":
        group_id = 999999
    elif kind_or_status == "proposed":
        group_id = make_group(kind="council_team", status="proposed").id
    else:
        group_id = make_group(kind="community_group").id
    staff, user = as_role("staff")
    response = submit(staff, "/challenges/new", challenge_pairs(user.id, group_id))
    assert response.status_code == 400
    assert "Choose a council team from the list" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(Challenge).where(Challenge.title == "Cleaner air")) is None


def test_the_group_page_shows_only_ideas_the_reader_may_see(as_role, make_challenge, make_group, make_idea, cast):
    group = make_group(members=[cast("member")])
    public = make_challenge("open", title="Public challenge")
    internal = make_challenge("open", audience="staff", title="Internal challenge")
    make_idea(public, author=cast("member"), title="Seen by all", group_id=group.id)
    make_idea(internal, author=cast("member"), title="Seen by staff", group_id=group.id)
    for role, sees_internal in (("anonymous", False), ("resident", False), ("member", False), ("staff", True),
                                ("admin", True)):
        page = main_of(as_role(role)[0].get(f"/groups/{group.id}").get_data(as_text=True))
        assert "Seen by all" in page
        assert ("Seen by staff" in page) is sees_internal, role
        assert ("Internal challenge" in page) is sees_internal, role
