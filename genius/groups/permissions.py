"""Who may do what with groups. Each check is safe with an anonymous user.

`membership` is the reader's own Membership of the group (or None): views load it
with the group in one statement (queries.group_with_membership).
"""

from __future__ import annotations

from genius.core.permissions import is_admin, is_signed_in, is_staff
from genius.groups.models import GroupKind, GroupStatus, MemberRole, MemberState


def _confirmed(user) -> bool:
    return is_signed_in(user) and user.is_confirmed


def can_view_group(user, group) -> bool:
    """Approved groups are public; a proposal (or a rejected one) only for its proposer and admins."""
    if group is None:
        return False
    if group.status == GroupStatus.APPROVED.value:
        return True
    return is_admin(user) or (is_signed_in(user) and group.created_by_id == user.id)


def can_propose_group(user) -> bool:
    return _confirmed(user)


def can_create_council_team(user) -> bool:
    """Council teams are made by staff and admins, and approved at once."""
    return _confirmed(user) and is_staff(user)


def allowed_kinds(user) -> list[GroupKind]:
    if not can_propose_group(user):
        return []
    return [k for k in GroupKind if k != GroupKind.COUNCIL_TEAM or can_create_council_team(user)]


def approved_at_once(user, kind: str) -> bool:
    return kind == GroupKind.COUNCIL_TEAM.value or is_admin(user)


def can_review_groups(user) -> bool:
    return is_admin(user)


def is_active_member(membership) -> bool:
    return membership is not None and membership.state == MemberState.ACTIVE.value


def is_lead(membership) -> bool:
    return is_active_member(membership) and membership.role == MemberRole.LEAD.value


def can_join_group(user, group, membership) -> bool:
    """Join (open group) or ask to join (closed group): confirmed, approved group, not in it yet."""
    return _confirmed(user) and group.status == GroupStatus.APPROVED.value and membership is None


def can_leave_group(user, group, membership, leads_count: int) -> bool:
    """Members leave, people with a request withdraw it; the last lead stays until they make another lead."""
    if not is_signed_in(user) or membership is None:
        return False
    return not (is_lead(membership) and leads_count <= 1)


def can_manage_members(user, group, membership) -> bool:
    """Accept or decline requests and make leads: the group's leads, and admins."""
    return group.status == GroupStatus.APPROVED.value and (is_lead(membership) or is_admin(user))


def can_edit_group(user, group, membership) -> bool:
    return is_signed_in(user) and (is_lead(membership) or is_admin(user))
