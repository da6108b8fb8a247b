"""Profile pages: who sees which of a person's ideas and comments (the same rules as everywhere else),
their groups, their bio (sanitised Markdown), pagination, closed accounts; and the privacy choice."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import update

from challenges.factories import XSS_PAYLOADS, assert_inert, main_of
from conftest import post_form
from genius.accounts.models import User
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db


def add_comment(challenge, author, body: str, idea=None, deleted: bool = False) -> Comment:
    comment = Comment(challenge_id=challenge.id, idea_id=idea.id if idea else None, author_id=author.id,
                      body_source=body, body_html=render_markdown(body), deleted_at=utcnow() if deleted else None)
    db.session.add(comment)
    db.session.commit()
    return comment


def profile_of(client, user) -> tuple[int, str]:
    response = client.get(f"/people/{user.id}")
    return response.status_code, main_of(response.get_data(as_text=True)) if response.status_code == 200 else ""


@pytest.fixture
def world(make_challenge, make_idea, make_group, cast):
    """The author's work in public, staff-only and draft challenges; an anonymous idea; comments on each."""
    author = cast("member")
    public = make_challenge("open", title="Public challenge")
    internal = make_challenge("open", audience="staff", title="Internal challenge")
    draft = make_challenge("draft", title="Draft challenge")
    make_idea(public, author=author, title="Public idea")
    make_idea(internal, author=author, title="Internal idea")
    secret = make_idea(public, author=author, title="Secret idea", anonymous=True)
    other = make_idea(public, author=cast("resident"), title="Someone else's idea")
    add_comment(public, author, "Comment on the challenge")
    add_comment(public, author, "Comment on another idea", idea=other)
    add_comment(internal, author, "Comment in the internal challenge")
    add_comment(draft, author, "Comment in the draft")
    add_comment(public, author, "Comment on my anonymous idea", idea=secret)
    add_comment(public, author, "A deleted comment", deleted=True)
    make_group(name="Clifton Parents", members=[author])
    make_group(name="Waiting Group", status="proposed", lead=author)
    make_group(name="Closed Group", is_open=False, requests=[author])
    return author


PUBLIC = {"Public idea", "Comment on the challenge", "Comment on another idea", "Clifton Parents"}
STAFF_ONLY = {"Internal idea", "Internal challenge", "Comment in the internal challenge", "Comment in the draft"}
ANONYMOUS_WORK = {"Secret idea", "Comment on my anonymous idea"}
NEVER = {"A deleted comment", "Waiting Group", "Closed Group"}

# Who sees what on the author's profile: staff-only content for staff roles; anonymous work for the
# person and moderators (as on the idea page).
SEES = {
    "anonymous": PUBLIC, "unconfirmed": PUBLIC, "resident": PUBLIC, "lead": PUBLIC,
    "member": PUBLIC | ANONYMOUS_WORK, "staff": PUBLIC | STAFF_ONLY,
    "moderator": PUBLIC | STAFF_ONLY | ANONYMOUS_WORK, "admin": PUBLIC | STAFF_ONLY | ANONYMOUS_WORK,
}
EVERYTHING = PUBLIC | STAFF_ONLY | ANONYMOUS_WORK | NEVER


@pytest.mark.parametrize("role", sorted(SEES))
def test_who_sees_what_on_a_profile(as_role, world, role):
    client, _ = as_role(role)
    status, page = profile_of(client, world)
    assert status == 200
    shown = {text for text in EVERYTHING if text in page}
    assert shown == SEES[role], f"{role}: missing {SEES[role] - shown}, extra {shown - SEES[role]}"
    assert "Member Person" in page


def test_the_anonymous_idea_is_marked_for_those_who_see_it(as_role, world):
    _, page = profile_of(as_role("member")[0], world)
    assert "Posted anonymously" in page


def test_missing_and_closed_accounts_are_not_found(as_role, cast):
    client, _ = as_role("admin")
    assert client.get("/people/999999").status_code == 404
    gone = cast("resident")
    db.session.execute(update(User).where(User.id == gone.id).values(deleted_at=utcnow()))
    db.session.commit()
    assert client.get(f"/people/{gone.id}").status_code == 404


def test_bio_is_sanitised_markdown_and_organisation_shows(as_role):
    client, user = as_role("resident")
    response = post_form(client, "/account/profile", {"display_name": "Robin Resident", "organisation": "Acomb WI",
                                                      "bio": "I *love* [parks](https://example.org)."})
    assert response.status_code == 302
    _, page = profile_of(as_role("anonymous")[0], user)
    assert "Robin Resident" in page and "Acomb WI" in page
    assert "I <em>love</em>" in page and 'rel="nofollow ugc noopener"' in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_bio_and_name_are_inert(as_role, payload):
    client, user = as_role("resident")
    response = post_form(client, "/account/profile", {"display_name": payload[:80], "bio": payload[:500]})
    assert response.status_code == 302, response.get_data(as_text=True)
    _, page = profile_of(as_role("anonymous")[0], user)
    assert_inert(page)


def test_ideas_and_comments_are_paged_apart(as_role, make_challenge, make_idea, cast):
    author = cast("member")
    challenge = make_challenge("open")
    for n in range(23):
        make_idea(challenge, author=author, title=f"Idea number {n:02d}")
    for n in range(12):
        add_comment(challenge, author, f"Comment number {n:02d}")
    client, _ = as_role("anonymous")
    first = main_of(client.get(f"/people/{author.id}").get_data(as_text=True))
    assert "23 ideas, page 1 of 3" in first and "Most recent comments, newest first" in first
    assert "Idea number 22" in first and "Idea number 12" not in first
    assert "Comment number 11" in first and "Comment number 01" not in first
    import re

    links = [html.unescape(h) for h in re.findall(rf'href="(/people/{author.id}\?[^"]+)"', first)]
    assert any("ideas_page=2" in h and h.endswith("#ideas") for h in links), links
    [older] = [h for h in links if "comments_before=" in h]
    assert older.endswith("#comments") and "ideas_page=1" in older
    third = main_of(client.get(older.replace("ideas_page=1", "ideas_page=3")).get_data(as_text=True))
    assert "Idea number 00" in third and "Idea number 03" not in third
    assert "Comment number 00" in third and "Comment number 01" in third and "Comment number 02" not in third
    for query in ("ideas_page=abc", "comments_before=-1", "comments_after=abc", "ideas_page=999",
                  "comments_before=99999999"):
        assert client.get(f"/people/{author.id}?{query}").status_code == 200, query
    assert client.get(f"/people/{author.id}?ideas_page=99999999").status_code == 404
    assert client.get(f"/people/{author.id}?comments_before=99999999999").status_code == 404


def test_author_names_link_to_profiles(as_role, make_challenge, make_idea, cast):
    challenge = make_challenge("open")
    idea = make_idea(challenge, author=cast("member"), title="Named idea")
    hidden = make_idea(challenge, author=cast("lead"), title="Unnamed idea", anonymous=True)
    add_comment(challenge, cast("resident"), "A named comment", idea=idea)
    add_comment(challenge, cast("lead"), "The anonymous author speaks", idea=hidden)
    client, _ = as_role("anonymous")
    link = f'href="/people/{cast("member").id}">Member Person</a>'
    assert link in client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    idea_page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert link in idea_page
    assert f'href="/people/{cast("resident").id}">Resident Person</a>' in idea_page
    hidden_page = client.get(f"/ideas/{hidden.id}").get_data(as_text=True)
    assert f"/people/{cast('lead').id}" not in hidden_page, "an anonymous author's profile is never linked"


def test_the_privacy_choice_defaults_and_can_be_changed(as_role):
    resident, person = as_role("resident")
    staff, member_of_staff = as_role("staff")
    assert person.show_in_network is False and member_of_staff.show_in_network is True
    form = resident.get("/account/profile").get_data(as_text=True)
    assert "Show my name in the network view" in form and "an unnamed dot" in form
    assert 'name="show_in_network"' in form and "checked" not in form.split('name="show_in_network"')[1][:80]
    post_form(resident, "/account/profile", {"display_name": "Robin", "show_in_network": "y"})
    post_form(staff, "/account/profile", {"display_name": "Sam"})  # unticked: opts out
    db.session.expire_all()
    assert db.session.get(User, person.id).show_in_network is True
    assert db.session.get(User, member_of_staff.id).show_in_network is False


def test_a_role_change_to_staff_shows_the_name(as_role, cast):
    admin, _ = as_role("admin")
    resident = cast("resident")
    response = post_form(admin, f"/admin/people/{resident.id}/role", {"role": "staff"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).show_in_network is True
