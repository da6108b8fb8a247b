"""Who may do what with ideas. Each check is safe with an anonymous user."""

from __future__ import annotations

from genius.challenges.models import ChallengeStatus
from genius.challenges.permissions import can_moderate_challenge, can_view_challenge
from genius.core.permissions import is_admin, is_moderator, is_signed_in, is_staff


def can_view_idea(user, idea) -> bool:
    """Visible ideas for whoever may see the challenge; held and hidden ones for their author and the
    challenge's moderators only (the same rule as queries.visible_idea_clause)."""
    if idea is None or not can_view_challenge(user, idea.challenge):
        return False
    return idea.moderation_state == "visible" or is_author(user, idea) or can_moderate_challenge(user, idea.challenge)


def is_author(user, idea) -> bool:
    return is_signed_in(user) and idea is not None and idea.author_id == user.id


def can_edit_idea(user, idea) -> bool:
    """The author, while the challenge takes ideas, unless withdrawn or hidden by a moderator."""
    return (
        is_author(user, idea)
        and can_view_idea(user, idea)
        and not idea.is_withdrawn
        and idea.moderation_state != "hidden"
        and not user.is_restricted
        and idea.challenge.accepts_ideas()
        and user.is_confirmed
    )


def can_withdraw_idea(user, idea) -> bool:
    return (
        is_author(user, idea)
        and can_view_idea(user, idea)
        and not idea.is_withdrawn
        and idea.challenge.status in (ChallengeStatus.OPEN.value, ChallengeStatus.REVIEWING.value)
    )


def can_respond_to_idea(user, idea) -> bool:
    """Official responses: the challenge's champion, or any staff on a staff-only challenge; admins always."""
    if idea is None or not is_staff(user) or idea.is_withdrawn or idea.moderation_state != "visible":
        return False
    challenge = idea.challenge
    if challenge.status in (ChallengeStatus.DRAFT.value, ChallengeStatus.ARCHIVED.value):
        return False
    return is_admin(user) or challenge.champion_id == user.id or challenge.audience == "staff"


def can_see_author(user, idea) -> bool:
    """Anonymous ideas show their author only to moderators, admins and the author."""
    return not idea.anonymous or is_moderator(user) or is_author(user, idea)
