"""can_create_challenge: council staff (moderators and admins count as staff) post challenges.

Creating has no challenge yet, so the walk is over roles; the state a new
challenge starts in (draft) is checked in test_services.py.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from challenges.factories import count_rows
from challenges.world import ROLES, transient_user
from conftest import csrf_token
from genius.challenges.models import Challenge
from genius.challenges.permissions import can_create_challenge

EXPECTED = {
    "anonymous": False,
    "unconfirmed": False,
    "resident": False,
    "author": False,
    "staff": True,
    "champion": True,
    "creator": True,
    "moderator": True,
    "admin": True,
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role, expected", EXPECTED.items())
def test_can_create_challenge(role, expected):
    assert can_create_challenge(transient_user(role)) is expected


@pytest.mark.parametrize("role, status", [
    ("anonymous", 302), ("unconfirmed", 403), ("resident", 403), ("staff", 200), ("moderator", 200), ("admin", 200),
])
def test_new_challenge_page(as_role, role, status):
    client, _ = as_role(role)
    response = client.get("/challenges/new")
    assert response.status_code == status
    if role == "anonymous":
        assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("role", ["anonymous", "resident", "unconfirmed"])
def test_forbidden_roles_cannot_post_a_challenge(as_role, cast, role):
    client, _ = as_role(role)
    champion = cast("champion")
    token = csrf_token(client, "/sign-in" if role == "anonymous" else "/challenges")
    data = MultiDict([("csrf_token", token), ("title", "Sneaky"), ("summary", "S"), ("background", "B"),
                      ("champion_id", str(champion.id)), ("audience", "public"),
                      ("opens_on", "1"), ("opens_on", "1"), ("opens_on", "2030"),
                      ("closes_on", "1"), ("closes_on", "2"), ("closes_on", "2030")])
    response = client.post("/challenges/new", data=data)
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert count_rows(Challenge) == 0
    assert client.get("/challenges").status_code == 200
    assert "Post a new challenge" not in client.get("/challenges").get_data(as_text=True)
