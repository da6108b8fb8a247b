"""Who may do what with accounts. Safe to call with an anonymous user."""

from __future__ import annotations

from genius.core.permissions import is_admin


def can_manage_people(user) -> bool:
    return is_admin(user)


def can_change_role(user, target) -> bool:
    # An admin cannot demote themselves: a site must never lose its last admin by accident.
    return is_admin(user) and target is not None and target.id != user.id
