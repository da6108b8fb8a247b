"""Who may do what with challenges. Each check is safe with an anonymous user.

Visibility (SECURITY.md 9): drafts and staff-only challenges exist only for
staff; "staff first" challenges become public at their `public_from` moment.
"""

from __future__ import annotations

from datetime import datetime

from genius.challenges.models import NEXT_STATUSES, Audience, ChallengeStatus
from genius.core.models import utcnow
from genius.core.permissions import is_admin, is_moderator, is_signed_in, is_staff


def can_view_challenge(user, challenge, now: datetime | None = None) -> bool:
    if challenge is None:
        return False
    if is_staff(user):
        return True
    if challenge.status == ChallengeStatus.DRAFT.value:
        return False
    if challenge.audience == Audience.STAFF.value:
        return False
    if challenge.audience == Audience.STAFF_FIRST.value:
        return challenge.public_from is not None and (now or utcnow()) >= challenge.public_from
    return True


def can_moderate_challenge(user, challenge) -> bool:
    """Moderators and admins everywhere; a challenge's champion inside their own challenge (issue 5)."""
    if is_moderator(user):
        return True
    return is_staff(user) and challenge is not None and challenge.champion_id == user.id


def may_participate(user) -> bool:
    """Signed in, email confirmed, and not suspended or banned: may post, comment, support and report."""
    return is_signed_in(user) and user.is_confirmed and not user.is_restricted


def can_create_challenge(user) -> bool:
    return is_staff(user)


def can_edit_challenge(user, challenge) -> bool:
    return is_staff(user) and challenge is not None and challenge.status != ChallengeStatus.ARCHIVED.value


def can_change_challenge_status(user, challenge) -> bool:
    """The champion, the member of staff who posted it, or an admin; never once nothing can follow (archived)."""
    return (
        is_staff(user)
        and challenge is not None
        and bool(NEXT_STATUSES.get(challenge.status))
        and (challenge.champion_id == user.id or challenge.created_by_id == user.id or is_admin(user))
    )


def can_see_champion_dashboard(user) -> bool:
    return is_staff(user)


def can_propose_idea(user, challenge, now: datetime | None = None) -> bool:
    return (
        may_participate(user)
        and can_view_challenge(user, challenge, now)
        and challenge.accepts_ideas(now)
    )
