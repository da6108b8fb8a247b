"""Who may do what with groups, walked for every role, through the real routes and database:
anonymous, unconfirmed, resident, staff, moderator, admin, the group's lead and an ordinary member."""

from __future__ import annotations

import pytest

from conftest import post_form
from groups.support import ROLES, membership_of, stored_count
from genius.extensions import db
from genius.groups.models import Group


def _post(client, user, path: str):
    """POST with a CSRF token from a page that has one for this reader."""
    return post_form(client, path, token_from="/sign-in" if user is None else "/groups")


def _group(make_group, cast, **kwargs):
    return make_group(members=[cast("member")], **kwargs)


# The create page: signed-out people sign in; unconfirmed people confirm first; everyone else may propose.
CREATE_PAGE = {"anonymous": 302, "unconfirmed": 302, "resident": 200, "staff": 200, "moderator": 200, "admin": 200,
               "lead": 200, "member": 200}


@pytest.mark.parametrize("role", ROLES)
def test_create_page(as_role, role):
    client, _ = as_role(role)
    response = client.get("/groups/new")
    assert response.status_code == CREATE_PAGE[role]
    if role == "anonymous":
        assert "/sign-in" in response.headers["Location"]
    elif role == "unconfirmed":
        assert response.headers["Location"].endswith("/account")
    else:
        page = response.get_data(as_text=True)
        # Council teams are offered to staff roles only.
        assert ('value="council_team"' in page) is (role in ("staff", "moderator", "admin"))


# What becomes of a proposed community group, and of a council team, by role.
PROPOSE = {"resident": ("proposed", "forbidden"), "staff": ("proposed", "approved"),
           "moderator": ("proposed", "approved"), "admin": ("approved", "approved"),
           "lead": ("proposed", "forbidden"), "member": ("proposed", "forbidden")}


@pytest.mark.parametrize("role", sorted(PROPOSE))
def test_who_proposes_and_who_creates_at_once(as_role, role):
    client, user = as_role(role)
    community, team = PROPOSE[role]
    response = post_form(client, "/groups/new", {"name": f"Friends of Rowntree Park ({role})",
                                                "kind": "community_group", "joining": "open"})
    assert response.status_code == 302
    group = db.session.query(Group).filter_by(name=f"Friends of Rowntree Park ({role})").one()
    assert group.status == community and group.created_by_id == user.id
    assert membership_of(group.id, user.id).role == "lead" and group.members_count == 1
    response = post_form(client, "/groups/new", {"name": f"Highways team ({role})", "kind": "council_team",
                                                "joining": "closed"})
    if team == "forbidden":
        assert response.status_code == 400
        assert "Choose what kind of group it is" in response.get_data(as_text=True)
        assert db.session.query(Group).filter_by(name=f"Highways team ({role})").count() == 0
    else:
        assert response.status_code == 302
        assert db.session.query(Group).filter_by(name=f"Highways team ({role})").one().status == "approved"


@pytest.mark.parametrize("role", ("anonymous", "unconfirmed"))
def test_signed_out_and_unconfirmed_people_cannot_propose(as_role, role):
    client, user = as_role(role)
    response = post_form(client, "/groups/new", {"name": "Sneaky", "kind": "community_group", "joining": "open"},
                         token_from="/sign-in" if user is None else "/groups")
    assert response.status_code == 302
    assert ("/sign-in" if user is None else "/account") in response.headers["Location"]
    assert db.session.query(Group).filter_by(name="Sneaky").count() == 0


# A proposed (or rejected) group: only its proposer and admins see it.
SEES_PROPOSAL = {"anonymous": 404, "unconfirmed": 404, "resident": 404, "staff": 404, "moderator": 404, "admin": 200,
                 "lead": 200, "member": 404}


@pytest.mark.parametrize("status", ("proposed", "rejected"))
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_group_before_approval(as_role, make_group, cast, role, status):
    group = _group(make_group, cast, status=status)
    client, _ = as_role(role)
    assert client.get(f"/groups/{group.id}").status_code == SEES_PROPOSAL[role]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_an_approved_group(as_role, make_group, cast, role):
    group = _group(make_group, cast)
    client, _ = as_role(role)
    assert client.get(f"/groups/{group.id}").status_code == 200


def test_proposals_are_not_listed_on_the_index(as_role, make_group, cast):
    make_group(name="Waiting Group", status="proposed")
    make_group(name="Rejected Group", status="rejected")
    make_group(name="Listed Group")
    page = as_role("admin")[0].get("/groups").get_data(as_text=True)
    assert "Listed Group" in page and "Waiting Group" not in page and "Rejected Group" not in page


REVIEW = {"anonymous": 302, "unconfirmed": 403, "resident": 403, "staff": 403, "moderator": 403, "admin": 200,
          "lead": 403, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_review_proposals(as_role, make_group, cast, role):
    group = _group(make_group, cast, status="proposed")
    client, _ = as_role(role)
    assert client.get("/groups/proposals").status_code == REVIEW[role]
    if REVIEW[role] == 200:
        response = post_form(client, f"/groups/{group.id}/approve", token_from="/groups/proposals")
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Group, group.id).status == "approved"
    elif role != "anonymous":
        response = post_form(client, f"/groups/{group.id}/approve", token_from="/groups")
        assert response.status_code == 403
        db.session.expire_all()
        assert db.session.get(Group, group.id).status == "proposed"


# Joining an open group: confirmed people not yet in it. (The lead and member are in it already.)
JOIN = {"anonymous": 302, "unconfirmed": 302, "resident": 302, "staff": 302, "moderator": 302, "admin": 302,
        "lead": 403, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_join(as_role, make_group, cast, role):
    group = _group(make_group, cast)
    client, user = as_role(role)
    response = _post(client, user, f"/groups/{group.id}/join")
    assert response.status_code == JOIN[role]
    joined = role in ("resident", "staff", "moderator", "admin")
    if user is not None and joined:
        assert membership_of(group.id, user.id).state == "active"
    assert stored_count(group.id) == 2 + joined
    if role == "unconfirmed":
        assert membership_of(group.id, user.id) is None


MANAGE = {"anonymous": 302, "unconfirmed": 403, "resident": 403, "staff": 403, "moderator": 403, "admin": 302,
          "lead": 302, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_accept_a_request(as_role, make_group, cast, make_user, role):
    asker = make_user()
    group = make_group(is_open=False, members=[cast("member")], requests=[asker])
    request_id = membership_of(group.id, asker.id).id
    client, user = as_role(role)
    response = _post(client, user, f"/groups/{group.id}/members/{request_id}/accept")
    assert response.status_code == MANAGE[role]
    accepted = MANAGE[role] == 302 and role != "anonymous"
    assert membership_of(group.id, asker.id).state == ("active" if accepted else "requested")
    assert stored_count(group.id) == 2 + accepted


@pytest.mark.parametrize("role", ROLES)
def test_make_lead(as_role, make_group, cast, make_user, role):
    other = make_user()
    group = make_group(members=[cast("member"), other])
    other_id = membership_of(group.id, other.id).id
    client, user = as_role(role)
    response = _post(client, user, f"/groups/{group.id}/members/{other_id}/make-lead")
    assert response.status_code == MANAGE[role]
    assert membership_of(group.id, other.id).role == ("lead" if MANAGE[role] == 302 and role != "anonymous" else "member")


EDIT = {"anonymous": 302, "unconfirmed": 403, "resident": 403, "staff": 403, "moderator": 403, "admin": 200,
        "lead": 200, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_edit_page(as_role, make_group, cast, role):
    group = _group(make_group, cast)
    client, _ = as_role(role)
    assert client.get(f"/groups/{group.id}/edit").status_code == EDIT[role]


def test_state_changes_need_a_csrf_token(as_role, make_group, cast):
    group = _group(make_group, cast)
    client, user = as_role("resident")
    assert client.post(f"/groups/{group.id}/join").status_code == 400
    assert membership_of(group.id, user.id) is None


def test_join_and_leave_are_posts_only(as_role, make_group, cast):
    group = _group(make_group, cast)
    client, _ = as_role("resident")
    assert client.get(f"/groups/{group.id}/join").status_code == 405
    assert client.get(f"/groups/{group.id}/leave").status_code == 405
