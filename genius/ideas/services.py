"""Idea writes: propose, edit, withdraw, respond. Flush, never commit."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update

from genius.accounts.models import User
from genius.challenges.models import Challenge, ChallengeTag
from genius.core.models import utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.ideas.models import Idea, IdeaStatus, IdeaStatusChange
from genius.notifications import events
from genius.search import services as search


class IdeaError(ValueError):
    """A change the rules do not allow; the message says what to do (next to `field`)."""

    def __init__(self, message: str, field: str = "title") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class IdeaData:
    title: str
    summary: str
    description: str = ""
    tag_ids: list[int] = field(default_factory=list)
    area: str | None = None
    anonymous: bool = False
    group_id: int | None = None


def _tags_for(challenge: Challenge, tag_ids: list[int]) -> list[ChallengeTag]:
    by_id = {tag.id: tag for tag in challenge.tags}
    unknown = [t for t in tag_ids if t not in by_id]
    if unknown:
        raise IdeaError("Choose tags from the list for this challenge")
    return [by_id[t] for t in tag_ids]


def _area(area: str | None) -> str | None:
    if not area:
        return None
    if area not in current_app.config["AREAS"]:
        raise IdeaError("Choose an area from the list")
    return area


def _group_id(author_id: int, data: IdeaData, keep_id: int | None = None) -> int | None:
    """Proposed on behalf of a group: one the author actively belongs to, and never anonymously."""
    from genius.groups.services import GroupError, active_group_for

    if not data.group_id:
        return None
    if data.anonymous:
        raise IdeaError("An idea proposed on behalf of a group cannot be anonymous. Choose ‘Just me’, "
                        "or untick ‘Post without showing my name’", field="group")
    try:
        return active_group_for(author_id, data.group_id, keep_id=keep_id)
    except GroupError as error:
        raise IdeaError(str(error), field="group") from None


def propose_idea(challenge: Challenge, author: User, data: IdeaData) -> Idea:
    if not challenge.accepts_ideas():
        raise IdeaError("This challenge is not taking new ideas")
    now = utcnow()
    idea = Idea(
        challenge_id=challenge.id,
        author_id=author.id,
        title=data.title.strip(),
        summary=data.summary.strip(),
        description_source=data.description or "",
        description_html=render_markdown(data.description or ""),
        area=_area(data.area),
        anonymous=bool(data.anonymous),
        group_id=_group_id(author.id, data),
        status=IdeaStatus.SUBMITTED.value,
        last_activity_at=now,
        supports_count=0,
        comments_count=0,
        tags=_tags_for(challenge, data.tag_ids),
    )
    from genius.moderation import services as moderation

    reason = moderation.hold_reason(author, challenge, "idea", " ".join((idea.title, idea.summary, idea.description_source)))
    db.session.add(idea)
    db.session.flush()
    search.index_idea(idea)
    if reason:
        # Held for a moderator: not counted, not announced, until approved (moderation.services.approve).
        moderation.hold(idea, reason)
        return idea
    # The stored counter moves in the same transaction, in SQL, so concurrent posts add up.
    db.session.execute(update(Challenge).where(Challenge.id == challenge.id).values(ideas_count=Challenge.ideas_count + 1))
    events.idea_posted(idea, challenge, author.id)
    return idea


def edit_idea(idea: Idea, data: IdeaData) -> None:
    idea.title = data.title.strip()
    idea.summary = data.summary.strip()
    idea.description_source = data.description or ""
    idea.description_html = render_markdown(data.description or "")
    idea.area = _area(data.area)
    idea.anonymous = bool(data.anonymous)
    idea.group_id = _group_id(idea.author_id, data, keep_id=idea.group_id)
    idea.tags = _tags_for(idea.challenge, data.tag_ids)
    idea.edited_at = idea.last_activity_at = utcnow()
    db.session.flush()
    search.index_idea(idea)


def withdraw_idea(idea: Idea) -> None:
    if idea.is_withdrawn:
        raise IdeaError("This idea has already been withdrawn")
    idea.withdrawn_at = idea.last_activity_at = utcnow()
    db.session.flush()


def respond(idea: Idea, by: User, new_status: str, message: str) -> IdeaStatusChange:
    """An official response: a status (changed or not) with a public message."""
    if not message.strip():
        raise IdeaError("Enter a message explaining the decision")
    status = IdeaStatus(new_status).value
    now = utcnow()
    change = IdeaStatusChange(
        idea_id=idea.id, from_status=idea.status, to_status=status, message_source=message,
        message_html=render_markdown(message), changed_by_id=by.id, created_at=now,
    )
    db.session.add(change)
    idea.status = status
    idea.last_activity_at = now
    first = idea.first_response_at is None
    if first:
        idea.first_response_at = now
    db.session.flush()
    if first:
        _update_response_time(idea.challenge)
    events.idea_responded(idea, idea.challenge, change, by.id)
    return change


def _update_response_time(challenge: Challenge) -> None:
    """Store the median days to a first response, recomputed when one is given."""
    rows = db.session.execute(
        select(Idea.created_at, Idea.first_response_at).where(
            Idea.challenge_id == challenge.id, Idea.first_response_at.is_not(None)
        )
    ).all()
    days = [(answered - created).total_seconds() / 86400 for created, answered in rows]
    challenge.median_response_days = round(statistics.median(days), 1) if days else None
    challenge.responded_count = len(days)
