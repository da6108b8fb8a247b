"""Who hears about what. Each function runs inside the event's own transaction."""

from __future__ import annotations

from genius.notifications.models import FollowTarget, NotificationKind
from genius.notifications.services import auto_follow, follower_ids, notify

CHALLENGE_STATUS_EVENTS = {
    "open": (NotificationKind.CHALLENGE_OPENED, "is open for ideas"),
    "reviewing": (NotificationKind.CHALLENGE_CLOSED, "has closed for new ideas"),
    "decided": (NotificationKind.CHALLENGE_DECIDED, "has been decided"),
}


def idea_posted(idea, challenge, author_id: int) -> None:
    auto_follow(author_id, FollowTarget.IDEA, idea.id, "post")
    notify(follower_ids(FollowTarget.CHALLENGE, challenge.id), NotificationKind.NEW_IDEA_IN_CHALLENGE,
           f"New idea in ‘{challenge.title}’: {idea.title}", message=idea.summary, actor_id=author_id,
           challenge=challenge, idea_id=idea.id)


def idea_supported(idea, supporter_id: int, follow_made: bool = False) -> None:
    """What a support that went in sets off, on both databases. The supporter follows the idea unless their
    settings say no; on PostgreSQL the support's own statement has made that follow already (with the same
    auto_follow_row, supports/services.py) and says so with `follow_made`."""
    if not follow_made:
        auto_follow(supporter_id, FollowTarget.IDEA, idea.id, "support")


def idea_responded(idea, challenge, change, responder_id: int) -> None:
    """A status change or official response reaches everyone following the idea, with its message."""
    from genius.ideas.models import IdeaStatus

    label = IdeaStatus(change.to_status).label
    changed = change.from_status != change.to_status
    title = (f"‘{idea.title}’ is now: {label}" if changed else f"Official response to ‘{idea.title}’")
    notify(follower_ids(FollowTarget.IDEA, idea.id), NotificationKind.IDEA_STATUS_CHANGED, title,
           message=change.message_source, actor_id=responder_id, challenge=challenge, idea_id=idea.id)


def comment_posted(comment, challenge, idea, parent_author_id: int | None) -> None:
    """A comment on your idea; a reply to your comment. The commenter follows what they discuss."""
    if idea is not None:
        auto_follow(comment.author_id, FollowTarget.IDEA, idea.id, "comment")
        where = f"‘{idea.title}’"
    else:
        auto_follow(comment.author_id, FollowTarget.CHALLENGE, challenge.id, "comment")
        where = f"the challenge ‘{challenge.title}’"
    excerpt = " ".join(comment.body_source.split())[:280]
    told: set[int] = set()
    if parent_author_id is not None:
        notify([parent_author_id], NotificationKind.REPLY_TO_YOUR_COMMENT, f"New reply to your comment on {where}",
               message=excerpt, actor_id=comment.author_id, challenge=challenge,
               idea_id=idea.id if idea is not None else None, comment_id=comment.id)
        told.add(parent_author_id)
    if idea is not None and idea.author_id not in told:
        notify([idea.author_id], NotificationKind.COMMENT_ON_YOUR_IDEA, f"New comment on your idea {where}",
               message=excerpt, actor_id=comment.author_id, challenge=challenge, idea_id=idea.id,
               comment_id=comment.id)


def challenge_status_changed(challenge, new_status: str, actor_id: int) -> None:
    if new_status not in CHALLENGE_STATUS_EVENTS:
        return
    kind, phrase = CHALLENGE_STATUS_EVENTS[new_status]
    message = challenge.outcome_source if new_status == "decided" else challenge.summary
    notify(follower_ids(FollowTarget.CHALLENGE, challenge.id), kind, f"‘{challenge.title}’ {phrase}",
           message=message, actor_id=actor_id, challenge=challenge)
