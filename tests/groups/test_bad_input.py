"""Bad input on the group form gets a plain-English message next to the field and a 400; nothing is saved."""

from __future__ import annotations

import pytest

from challenges.factories import XSS_PAYLOADS, assert_inert, main_of
from conftest import post_form
from genius.extensions import db
from genius.groups.models import Group

GOOD = {"name": "Acomb Litter Pickers", "kind": "community_group", "joining": "open", "description": "We pick litter."}


def count_groups() -> int:
    db.session.rollback()
    return db.session.query(Group).count()


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "Enter the group&#39;s name"),
    ({"name": "   "}, "Enter the group&#39;s name"),
    ({"name": "x" * 121}, "The name must be 120 characters or fewer"),
    ({"kind": ""}, "Choose what kind of group it is"),
    ({"kind": "secret_society"}, "Choose what kind of group it is"),
    ({"joining": "maybe"}, "Choose who can join"),
    ({"description": "x" * 5001}, "About the group must be 5,000 characters or fewer"),
    ({"website": "http://spam.example"}, "Leave this field empty"),
])
def test_bad_fields(as_role, change, message):
    client, _ = as_role("resident")
    response = post_form(client, "/groups/new", {**GOOD, **change})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert count_groups() == 0


def test_names_are_unique_whatever_the_case(as_role, make_group):
    make_group(name="Acomb Litter Pickers")
    client, _ = as_role("resident")
    response = post_form(client, "/groups/new", {**GOOD, "name": "acomb  litter pickers"})
    assert response.status_code == 400
    assert "There is already a group called" in response.get_data(as_text=True)
    assert count_groups() == 1


def test_editing_keeps_its_own_name_but_not_anothers(as_role, make_group):
    group = make_group(name="Acomb Litter Pickers")
    make_group(name="Heworth Gardeners")
    client, _ = as_role("lead")
    ok = post_form(client, f"/groups/{group.id}/edit", {**GOOD, "description": "Now on Sundays."})
    assert ok.status_code == 302
    clash = post_form(client, f"/groups/{group.id}/edit", {**GOOD, "name": "Heworth Gardeners"})
    assert clash.status_code == 400 and "There is already a group called" in clash.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, group.id).name == "Acomb Litter Pickers"
    assert "Now on Sundays" in db.session.get(Group, group.id).description_html


def test_a_lead_cannot_turn_their_group_into_a_council_team(as_role, make_group):
    group = make_group()
    client, _ = as_role("lead")
    response = post_form(client, f"/groups/{group.id}/edit", {**GOOD, "kind": "council_team"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Group, group.id).kind == "community_group"


@pytest.mark.parametrize("group_id", ["0", "999999", "-1"])
def test_missing_groups_are_not_found(as_role, group_id):
    client, _ = as_role("resident")
    assert client.get(f"/groups/{group_id}").status_code == 404


@pytest.mark.parametrize("query", ["?page=abc", "?page=-3", "?page=99999999999", "?kind=nonsense", "?kind=%00"])
def test_odd_index_queries_never_fail(as_role, query):
    client, _ = as_role("anonymous")
    assert client.get(f"/groups{query}").status_code in (200, 404)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_names_and_descriptions_are_inert(as_role, payload):
    client, _ = as_role("admin")
    response = post_form(client, "/groups/new", {**GOOD, "name": payload[:120], "description": payload})
    assert response.status_code == 302, response.get_data(as_text=True)
    group = db.session.query(Group).one()
    assert_inert(group.description_html)
    for path in (f"/groups/{group.id}", "/groups"):
        html = main_of(client.get(path).get_data(as_text=True))
        assert_inert(html)
        assert "49" not in html or "{{7*7}}" in payload and "{{7*7}}" in html
