"""Moderation writes on people: suspend, ban, lift, and hide everything a person posted. Suspending or
banning bumps the person's session version, so every session they have ends at once. Flush, never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from genius.accounts.models import User
from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea
from genius.moderation.models import HIDE_REASONS, HideReason
from genius.moderation.services import (
    HIDDEN,
    MAX_NOTE,
    ModerationError,
    _clean_note,
    _resolve_reports,
    _set_state,
    log,
    snapshot,
)
from genius.notifications.models import NotificationKind
from genius.notifications.services import notify

MAX_SUSPENSION_DAYS = 365


def _end_sessions(person: User) -> None:
    db.session.execute(update(User).where(User.id == person.id).values(session_version=User.session_version + 1)
                       .execution_options(synchronize_session=False))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Enter the reason: the person sees it when they try to sign in")
    if len(reason) > MAX_NOTE:
        raise ModerationError(f"The reason must be {MAX_NOTE:,} characters or fewer")
    return reason


def suspend(person: User, actor: User, days: int, reason: str, now: datetime | None = None) -> None:
    reason = _reason(reason)
    if not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ModerationError(f"Suspend for 1 to {MAX_SUSPENSION_DAYS} days")
    if person.is_moderator:
        raise ModerationError("Moderators and admins cannot be suspended. An admin can change their role first.")
    now = now or utcnow()
    before = snapshot(person)
    person.suspended_until = now + timedelta(days=days)
    person.suspension_reason = reason
    _end_sessions(person)
    db.session.flush()
    log(actor, "suspend", person, before, note=reason, now=now)


def ban(person: User, actor: User, reason: str, now: datetime | None = None) -> None:
    reason = _reason(reason)
    if person.is_moderator:
        raise ModerationError("Moderators and admins cannot be banned. An admin can change their role first.")
    now = now or utcnow()
    before = snapshot(person)
    person.banned_at = now
    person.ban_reason = reason
    _end_sessions(person)
    db.session.flush()
    log(actor, "ban", person, before, note=reason, now=now)


def lift_restrictions(person: User, actor: User, note: str = "", now: datetime | None = None) -> None:
    if not person.is_restricted:
        raise ModerationError("This person is not suspended or banned")
    note = _clean_note(note)
    before = snapshot(person)
    person.suspended_until = None
    person.suspension_reason = ""
    person.banned_at = None
    person.ban_reason = ""
    db.session.flush()
    log(actor, "lift", person, before, note=note, now=now)


def hide_all_content(person: User, actor: User, reason: str, note: str = "", now: datetime | None = None) -> int:
    """Hide every idea and comment of a person in one action (say, a spam account); returns how many."""
    if reason not in HIDE_REASONS or reason == HideReason.REPORTS.value:
        raise ModerationError("Choose a reason from the list")
    note = _clean_note(note)
    if reason == HideReason.OTHER.value and not note:
        raise ModerationError("Explain the reason in the note, so the author knows why")
    now = now or utcnow()
    ideas = db.session.scalars(select(Idea).options(joinedload(Idea.challenge))
                               .where(Idea.author_id == person.id, Idea.moderation_state != HIDDEN)).all()
    comments = db.session.scalars(
        select(Comment).options(joinedload(Comment.challenge), joinedload(Comment.idea))
        .where(Comment.author_id == person.id, Comment.moderation_state != HIDDEN, Comment.deleted_at.is_(None))).all()
    for target in [*ideas, *comments]:
        before = snapshot(target)
        _set_state(target, HIDDEN, reason, note)
        _resolve_reports(target, "hidden", now)
        log(actor, "hide", target, before, reason=reason, note=note, now=now)
    count = len(ideas) + len(comments)
    if count:
        notify([person.id], NotificationKind.MODERATION_OUTCOME,
               f"A moderator hid {count} of your contributions",
               message=f"Reason: {HideReason(reason).label}." + (f"\n\n{note}" if note else ""), actor_id=actor.id)
    db.session.flush()
    return count
