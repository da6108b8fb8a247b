"""Who may moderate what. Each check is safe with an anonymous user.

Moderators and admins moderate everywhere; a challenge's champion moderates the ideas
and comments inside their challenge (challenges.permissions.can_moderate_challenge).
People (suspend, ban, hide all their content), the audit log and reports on profiles
are for moderators and admins only; site settings for admins.
"""

from __future__ import annotations

from genius.challenges.permissions import can_moderate_challenge, may_participate
from genius.core.permissions import is_admin, is_moderator, is_signed_in, is_staff


def can_see_queue(user, champions_a_challenge: bool = False) -> bool:
    return is_moderator(user) or (is_staff(user) and champions_a_challenge)


def can_moderate(user, target) -> bool:
    """An idea or a comment: approve, hide, restore, dismiss reports, edit."""
    return target is not None and can_moderate_challenge(user, target.challenge)


def can_moderate_people(user) -> bool:
    return is_moderator(user)


def can_read_log(user) -> bool:
    return is_moderator(user)


def can_change_site_settings(user) -> bool:
    return is_admin(user)


def can_report(user, target, kind: str) -> bool:
    """Any confirmed person in good standing, about what they can see and did not write themselves."""
    if not may_participate(user) or target is None:
        return False
    if kind == "person":
        return target.id != user.id and target.deleted_at is None
    return target.author_id != user.id and target.moderation_state == "visible"


def can_propose_duplicate(user, idea) -> bool:
    """The idea's author or a moderator of its challenge, on a public idea not already a duplicate."""
    if idea is None or not is_signed_in(user) or idea.is_withdrawn or idea.duplicate_of_id is not None:
        return False
    if idea.moderation_state != "visible":
        return False
    return (idea.author_id == user.id and may_participate(user)) or can_moderate(user, idea)


def can_decide_duplicate(user, idea) -> bool:
    """Only the duplicate's author accepts or declines (a moderator's proposal too)."""
    return idea is not None and is_signed_in(user) and idea.author_id == user.id and not user.is_restricted
