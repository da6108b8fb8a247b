"""Who may manage people and roles: every role, and anonymous."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from genius.accounts.permissions import can_change_role, can_manage_people

ROLES = ["resident", "staff", "moderator", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_manage_people(make_user, role):
    assert can_manage_people(make_user(role=role)) is (role == "admin")


def test_anonymous_cannot_manage_people():
    assert can_manage_people(AnonymousUserMixin()) is False
    assert can_manage_people(None) is False


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_someone_elses_role(make_user, role):
    actor, target = make_user(role=role), make_user()
    assert can_change_role(actor, target) is (role == "admin")


def test_an_admin_cannot_change_their_own_role(make_user):
    admin = make_user(role="admin")
    assert can_change_role(admin, admin) is False


def test_an_admin_can_change_another_admin(make_user):
    assert can_change_role(make_user(role="admin"), make_user(role="admin")) is True


def test_anonymous_and_missing_targets(make_user):
    assert can_change_role(AnonymousUserMixin(), make_user()) is False
    assert can_change_role(make_user(role="admin"), None) is False

