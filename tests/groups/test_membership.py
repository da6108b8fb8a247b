"""Membership through the real routes: join and leave open groups, ask to join closed ones, leads
accept, decline and make leads, the last lead stays; members_count always equals the active rows."""

from __future__ import annotations

from conftest import post_form
from groups.support import member_count, membership_of, stored_count
from genius.extensions import db
from genius.groups import services
from genius.groups.models import Group


def post(client, path: str):
    return post_form(client, path, token_from="/groups")


def test_join_and_leave_an_open_group_moves_the_counter(as_role, make_group):
    group = make_group()
    client, user = as_role("resident")
    response = post(client, f"/groups/{group.id}/join")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"You have joined {group.name}." in page and "You are a member of this group." in page
    assert stored_count(group.id) == member_count(group.id) == 2
    # A second click changes nothing (the button is gone, and the route refuses).
    assert post(client, f"/groups/{group.id}/join").status_code == 403
    assert stored_count(group.id) == member_count(group.id) == 2
    response = post(client, f"/groups/{group.id}/leave")
    assert response.status_code == 302
    assert f"You have left {group.name}." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert membership_of(group.id, user.id) is None
    assert stored_count(group.id) == member_count(group.id) == 1


def test_join_twice_in_the_service_counts_once(app, make_group, cast):
    group = make_group()
    resident = cast("resident")
    services.join_group(group, resident)
    services.join_group(group, resident)
    db.session.commit()
    assert stored_count(group.id) == member_count(group.id) == 2


def test_closed_group_request_accept(as_role, make_group, cast):
    group = make_group(is_open=False)
    client, asker = as_role("resident")
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Ask to join this group" in page
    response = post(client, f"/groups/{group.id}/join")
    assert "A lead of the group will accept or decline your request." in client.get(response.headers["Location"]).get_data(as_text=True)
    request_row = membership_of(group.id, asker.id)
    assert request_row.state == "requested" and request_row.joined_at is None
    assert stored_count(group.id) == 1, "a request is not a member"
    # A request does not make the asker a member: no group on their idea form, not listed as a member.
    lead_client, _ = as_role("lead")
    lead_page = lead_client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Requests to join" in lead_page and "Resident Person" in lead_page
    response = post(lead_client, f"/groups/{group.id}/members/{request_row.id}/accept")
    assert response.status_code == 302
    assert "Resident Person is now a member." in lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert membership_of(group.id, asker.id).state == "active"
    assert stored_count(group.id) == member_count(group.id) == 2
    # Accepting again: already a member, a clear 409 and no double count.
    again = post(lead_client, f"/groups/{group.id}/members/{request_row.id}/accept")
    assert again.status_code == 409 and "That person is already a member" in again.get_data(as_text=True)
    assert stored_count(group.id) == 2


def test_closed_group_request_decline_and_withdraw(as_role, make_group, make_user):
    first, second = make_user(), make_user()
    group = make_group(is_open=False, requests=[first, second])
    lead_client, _ = as_role("lead")
    response = post(lead_client, f"/groups/{group.id}/members/{membership_of(group.id, first.id).id}/decline")
    assert response.status_code == 302
    assert membership_of(group.id, first.id) is None
    # The second withdraws their own request.
    from conftest import sign_in
    from core.support import IsolatedClient  # noqa: F401

    client = lead_client.application.test_client()
    sign_in(client, second.email)
    response = post(client, f"/groups/{group.id}/leave")
    assert response.status_code == 302
    assert "You have withdrawn your request" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert membership_of(group.id, second.id) is None
    assert stored_count(group.id) == member_count(group.id) == 1


def test_requests_of_another_group_cannot_be_answered(as_role, make_group, make_user):
    asker = make_user()
    mine = make_group(is_open=False)
    theirs = make_group(is_open=False, lead=make_user(), requests=[asker])
    lead_client, _ = as_role("lead")
    request_id = membership_of(theirs.id, asker.id).id
    response = post(lead_client, f"/groups/{mine.id}/members/{request_id}/accept")
    assert response.status_code == 409
    assert "That request is no longer there" in response.get_data(as_text=True)
    assert membership_of(theirs.id, asker.id).state == "requested"


def test_the_last_lead_cannot_leave_until_they_make_another_lead(as_role, make_group, cast):
    group = make_group(members=[cast("member")])
    lead_client, lead = as_role("lead")
    page = lead_client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "You are this group's only lead. To leave, first make another member a lead." in page
    assert "Leave this group" not in page
    response = post(lead_client, f"/groups/{group.id}/leave")
    assert response.status_code == 409
    assert "You are the group&#39;s only lead. Make another member a lead before you leave" in response.get_data(as_text=True)
    assert membership_of(group.id, lead.id) is not None
    member_row = membership_of(group.id, cast("member").id)
    response = post(lead_client, f"/groups/{group.id}/members/{member_row.id}/make-lead")
    assert response.status_code == 302
    assert "Member Person is now a lead" in lead_client.get(response.headers["Location"]).get_data(as_text=True)
    response = post(lead_client, f"/groups/{group.id}/leave")
    assert response.status_code == 302
    assert membership_of(group.id, lead.id) is None
    assert stored_count(group.id) == member_count(group.id) == 1


def test_a_request_cannot_be_made_a_lead(as_role, make_group, make_user):
    asker = make_user()
    group = make_group(is_open=False, requests=[asker])
    lead_client, _ = as_role("lead")
    response = post(lead_client, f"/groups/{group.id}/members/{membership_of(group.id, asker.id).id}/make-lead")
    assert response.status_code == 409
    assert "only members can be leads" in response.get_data(as_text=True)
    assert membership_of(group.id, asker.id).role == "member"


def test_a_proposed_group_cannot_be_joined(as_role, make_group, make_user):
    group = make_group(status="proposed")
    client, user = as_role("admin")  # admins can see it, but nobody joins before approval
    assert post(client, f"/groups/{group.id}/join").status_code == 403
    assert membership_of(group.id, user.id) is None


def test_approve_and_reject_once(as_role, make_group):
    first = make_group(status="proposed", name="First proposal")
    second = make_group(status="proposed", name="Second proposal")
    admin, _ = as_role("admin")
    page = admin.get("/groups/proposals").get_data(as_text=True)
    assert "First proposal" in page and "Second proposal" in page and "Lead Person" in page
    assert post(admin, f"/groups/{first.id}/approve").status_code == 302
    assert post(admin, f"/groups/{second.id}/reject").status_code == 302
    again = post(admin, f"/groups/{second.id}/approve")
    assert again.status_code == 409 and "This group has already been reviewed" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, first.id).status == "approved" and db.session.get(Group, first.id).approved_at
    assert db.session.get(Group, second.id).status == "rejected"
    assert "No groups are waiting." in admin.get("/groups/proposals").get_data(as_text=True)
    # The proposer sees the outcome on the group's page.
    lead, _ = as_role("lead")
    assert "did not approve this group" in lead.get(f"/groups/{second.id}").get_data(as_text=True)


def test_recount_repairs_members_count(app, make_group, cast, runner):
    group = make_group(members=[cast("member")])
    db.session.execute(Group.__table__.update().values(members_count=99))
    db.session.commit()
    result = runner.invoke(args=["recount"])
    assert result.exit_code == 0, result.output
    assert stored_count(group.id) == member_count(group.id) == 2
