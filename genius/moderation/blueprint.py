"""The one `moderation` blueprint, its template globals and the loaders its routes share.

The routes live in two modules that add to this blueprint, so endpoint names (`moderation.item`,
`moderation.report_idea`, ...) and URLs do not depend on which file holds them:
`queue_views` (the queue, items, people and the audit log: a moderator's desk) and
`report_views` (reports, duplicates and site settings: what members and admins ask for).
`views` imports both and is what the app registers.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from genius.accounts.models import User
from genius.comments import queries as comment_queries
from genius.comments.permissions import can_view_comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import queries as idea_queries
from genius.ideas.permissions import can_view_idea
from genius.moderation import queries, services
from genius.moderation.models import HideReason, ReportReason
from genius.moderation.permissions import can_moderate, can_moderate_people, can_report

bp = Blueprint("moderation", __name__)
# Pages of other features (idea, comments) ask these of objects already loaded: no query.
for _check in (can_report, can_moderate, can_moderate_people):
    bp.add_app_template_global(_check)

KINDS = ("idea", "comment")


@bp.app_template_global()
def hide_reason_label(reason: str) -> str:
    if reason in services.HOLD_REASONS:
        return services.HOLD_REASONS[reason]
    try:
        return HideReason(reason).label
    except ValueError:
        return reason


@bp.app_template_global()
def waited(moment) -> str:
    """How long something has waited: '3 days', '5 hours', 'less than an hour'."""
    if moment is None:
        return ""
    seconds = max(0, (utcnow() - moment).total_seconds())
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''}"
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return "less than an hour"


@bp.app_template_global()
def report_reason_label(reason: str) -> str:
    return ReportReason(reason).label


@bp.app_template_global()
def moderation_action_label(action: str) -> str:
    return queries.ACTIONS.get(action, action)


# -- loading --------------------------------------------------------------------------------------

def load_target(kind: str, target_id: int):
    """The idea or comment with what permission checks read; 404 when missing or invisible to the reader."""
    if kind == "idea":
        target = db.session.scalar(idea_queries.idea_with_context(target_id))
        if target is None or not can_view_idea(current_user, target):
            abort(404)
    elif kind == "comment":
        target = db.session.scalar(comment_queries.comment_with_context(target_id))
        if target is None or not can_view_comment(current_user, target):
            abort(404)
    else:
        abort(404)
    return target


def load_person(user_id: int) -> User:
    """A person who has not deleted their account; 404 otherwise."""
    person = db.session.get(User, user_id)
    if person is None or person.deleted_at is not None:
        abort(404)
    return person
