"""Duplicates: a moderator or the author proposes "duplicate of X"; the author accepts or declines.
Once accepted the idea points to X and takes no new supports; its supporters are told and invited to
support X, and no support is ever moved. Flush, never commit; every step is in the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from genius.accounts.models import User
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea, Support
from genius.moderation.models import DuplicateProposal
from genius.moderation.services import VISIBLE, ModerationError, _clean_note, log, snapshot
from genius.notifications.models import NotificationKind
from genius.notifications.services import notify


def propose_duplicate(idea: Idea, original: Idea, actor: User, note: str = "", now: datetime | None = None) -> DuplicateProposal:
    if original is None or original.challenge_id != idea.challenge_id:
        raise ModerationError("Choose an idea in the same challenge")
    if original.id == idea.id:
        raise ModerationError("An idea cannot be a duplicate of itself")
    if original.moderation_state != VISIBLE or original.is_withdrawn:
        raise ModerationError("Choose an idea that is public and not withdrawn")
    if original.duplicate_of_id is not None:
        raise ModerationError("That idea is itself a duplicate: choose the original it points to")
    if idea.duplicate_of_id is not None:
        raise ModerationError("This idea is already marked as a duplicate")
    note = _clean_note(note)
    now = now or utcnow()
    pending = db.session.scalar(select(DuplicateProposal).where(DuplicateProposal.idea_id == idea.id,
                                                                DuplicateProposal.state == "proposed"))
    if pending is not None:
        raise ModerationError("A duplicate proposal for this idea is already waiting for its author")
    proposal = DuplicateProposal(idea_id=idea.id, duplicate_of_id=original.id, proposed_by_id=actor.id, note=note,
                                 state="proposed", created_at=now)
    db.session.add(proposal)
    db.session.flush()
    log(actor, "propose_duplicate", idea, snapshot(idea), note=f"Duplicate of idea {original.id}. {note}".strip(), now=now)
    if actor.id == idea.author_id:
        decide_duplicate(proposal, idea, original, actor, accept=True, now=now)
    else:
        notify([idea.author_id], NotificationKind.MODERATION_OUTCOME,
               f"Is your idea ‘{idea.title}’ a duplicate of ‘{original.title}’?",
               message="A moderator suggests it. Accept or decline on your idea's page." + (f"\n\n{note}" if note else ""),
               actor_id=actor.id, challenge=idea.challenge, idea_id=idea.id)
    return proposal


def decide_duplicate(proposal: DuplicateProposal, idea: Idea, original: Idea, actor: User, accept: bool,
                     now: datetime | None = None) -> None:
    """The author accepts (the idea points to the original, takes no new supports, its supporters are
    invited to support the original; no support moves) or declines."""
    if proposal.state != "proposed":
        raise ModerationError("This proposal has already been decided")
    now = now or utcnow()
    before = snapshot(idea)
    proposal.state = "accepted" if accept else "declined"
    proposal.decided_at = now
    if accept:
        idea.duplicate_of_id = original.id
        idea.last_activity_at = now
    db.session.flush()
    log(actor, "accept_duplicate" if accept else "decline_duplicate", idea, before,
        note=f"Duplicate of idea {original.id}", now=now)
    if accept:
        supporters = list(db.session.scalars(select(Support.user_id).where(Support.idea_id == idea.id)))
        notify(supporters, NotificationKind.IDEA_STATUS_CHANGED,
               f"‘{idea.title}’ is a duplicate of ‘{original.title}’",
               message=f"Your support for ‘{idea.title}’ stays where it is. If you like, support ‘{original.title}’ too.",
               actor_id=actor.id, challenge=idea.challenge, idea_id=original.id)
