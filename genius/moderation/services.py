"""Moderation writes on content: holding, approving, hiding, restoring, reports, edits (people: people.py;
duplicates: duplicates.py).
Flush, never commit: the view commits once.

Every action writes one row to the audit log (`moderation_log`) with who, what, when, why and the
content before and after. Stored counters (challenges.ideas_count, ideas/challenges.comments_count)
count only what the public sees, so they move with every change of state (moderation.counters).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.comments.models import Comment
from genius.core.database import insert_ignore
from genius.core.models import MODERATION_STATES, utcnow
from genius.core.text import render_markdown
from genius.extensions import db
from genius.ideas.models import Idea
from genius.moderation import settings as site_settings
from genius.moderation.counters import count_change
from genius.moderation.models import (
    HIDE_REASONS,
    REPORT_REASONS,
    HideReason,
    ModerationAction,
    Report,
    ReportReason,
)
from genius.notifications.models import NotificationKind
from genius.notifications.services import notify

VISIBLE, HELD, HIDDEN = MODERATION_STATES
# Why an item is held (stored in hidden_reason while it waits).
HOLD_REASONS = {
    "premoderation": "This challenge checks every new contribution before it appears",
    "new_account": "New accounts' first contributions are checked before they appear",
    "links": "Contributions with links from new accounts are checked before they appear",
}
MAX_NOTE = 2000
MAX_REPORT_TEXT = 1000
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class ModerationError(ValueError):
    """An action the rules do not allow; the message says what to do."""


# -- pre-moderation ---------------------------------------------------------------------------

def contribution_count(user_id: int) -> int:
    ideas = select(func.count()).select_from(Idea).where(Idea.author_id == user_id).scalar_subquery()
    comments = select(func.count()).select_from(Comment).where(Comment.author_id == user_id).scalar_subquery()
    return db.session.scalar(select(ideas + comments))


def hold_reason(author: User, challenge: Challenge, kind: str, text: str, now: datetime | None = None) -> str:
    """Why a new idea or comment must wait for a moderator, or "" when it goes straight up.

    Council staff (and moderators) are trusted; for everyone else: the challenge's
    pre-moderation, then the site settings (first N contributions; links from new accounts).
    """
    if author.is_staff:
        return ""
    if (kind == "idea" and challenge.premoderate_ideas) or (kind == "comment" and challenge.premoderate_comments):
        return "premoderation"
    rules = site_settings.current()
    if rules.hold_first_contributions and contribution_count(author.id) < rules.hold_first_contributions:
        return "new_account"
    now = now or utcnow()
    young = author.created_at is None or now - author.created_at < timedelta(days=site_settings.NEW_ACCOUNT_DAYS)
    if rules.hold_links_from_new_accounts and young and _LINK.search(text or ""):
        return "links"
    return ""


# -- the audit log ------------------------------------------------------------------------------

def snapshot(target) -> dict:
    if isinstance(target, Idea):
        return {"state": target.moderation_state, "reason": target.hidden_reason, "title": target.title,
                "summary": target.summary, "description": target.description_source,
                "duplicate_of": target.duplicate_of_id}
    if isinstance(target, Comment):
        return {"state": target.moderation_state, "reason": target.hidden_reason, "body": target.body_source}
    if isinstance(target, User):
        return {"suspended_until": target.suspended_until.isoformat() if target.suspended_until else None,
                "suspension_reason": target.suspension_reason,
                "banned_at": target.banned_at.isoformat() if target.banned_at else None, "ban_reason": target.ban_reason}
    raise TypeError(target)


def kind_of(target) -> str:
    return {Idea: "idea", Comment: "comment", User: "person"}[type(target)]


def _challenge_id(target) -> int | None:
    return getattr(target, "challenge_id", None)


def log(actor: User | None, action: str, target, before: dict | None = None, reason: str = "", note: str = "",
        queued_at: datetime | None = None, now: datetime | None = None) -> ModerationAction:
    entry = ModerationAction(
        actor_id=actor.id if actor is not None else None, action=action, target_kind=kind_of(target),
        target_id=target.id, challenge_id=_challenge_id(target), reason=reason, note=note or "",
        before=json.dumps(before, ensure_ascii=False) if before is not None else "",
        after=json.dumps(snapshot(target), ensure_ascii=False), queued_at=queued_at, created_at=now or utcnow(),
    )
    db.session.add(entry)
    return entry


def waiting_since(target) -> datetime | None:
    """When the item started waiting for a moderator: held since posting, or its first open report."""
    first = db.session.scalar(select(func.min(Report.created_at)).where(
        Report.target_kind == kind_of(target), Report.target_id == target.id, Report.resolved_at.is_(None)))
    if getattr(target, "moderation_state", None) == HELD:
        return min(filter(None, [target.created_at, first]))
    return first


# -- state and counters -------------------------------------------------------------------------

def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ModerationError(f"The note must be {MAX_NOTE:,} characters or fewer")
    return note


def _set_state(target, new: str, reason: str = "", note: str = "") -> None:
    old = target.moderation_state
    target.moderation_state = new
    target.hidden_reason = reason if new != VISIBLE else ""
    target.hidden_note = note if new == HIDDEN else ""
    count_change(target, old, new)


def _resolve_reports(target, resolution: str, now: datetime) -> int:
    return db.session.execute(
        update(Report).where(Report.target_kind == kind_of(target), Report.target_id == target.id,
                             Report.resolved_at.is_(None))
        .values(resolved_at=now, resolution=resolution)
    ).rowcount


def _describe(target) -> str:
    if isinstance(target, Idea):
        return f"your idea ‘{target.title}’"
    where = f"‘{target.idea.title}’" if target.idea is not None else f"the challenge ‘{target.challenge.title}’"
    return f"your comment on {where}"


def _tell_author(target, actor: User | None, title: str, message: str) -> None:
    """A moderation outcome reaches the author (never the content's text: only the decision and why)."""
    notify([target.author_id], NotificationKind.MODERATION_OUTCOME, title, message=message,
           actor_id=actor.id if actor is not None else None, challenge=target.challenge,
           idea_id=target.id if isinstance(target, Idea) else target.idea_id,
           comment_id=target.id if isinstance(target, Comment) else None)


def _announce(target) -> None:
    """The events a held item did not fire when it was posted fire when it is approved."""
    from genius.notifications import events

    if isinstance(target, Idea):
        events.idea_posted(target, target.challenge, target.author_id)
    else:
        parent_author = None
        if target.parent_id is not None:
            parent_author = db.session.scalar(select(Comment.author_id).where(Comment.id == target.parent_id))
        events.comment_posted(target, target.challenge, target.idea, parent_author)


def hold(target, reason: str) -> None:
    """Put a new item in the queue (called by the idea and comment services when they post)."""
    target.moderation_state = HELD
    target.hidden_reason = reason
    db.session.flush()
    log(None, "held", target, reason=reason, queued_at=target.created_at)


def approve(target, actor: User, note: str = "", now: datetime | None = None) -> None:
    """A held item goes up; the notifications it did not send when posted go now."""
    if target.moderation_state != HELD:
        raise ModerationError("Only items waiting for a moderator can be approved. Use restore for hidden ones.")
    note = _clean_note(note)
    now = now or utcnow()
    before = snapshot(target)
    queued = waiting_since(target)
    _set_state(target, VISIBLE)
    _resolve_reports(target, "approved", now)
    db.session.flush()
    log(actor, "approve", target, before, note=note, queued_at=queued, now=now)
    _announce(target)
    _tell_author(target, actor, f"A moderator approved {_describe(target)}", "It is now public.")


def hide(target, actor: User | None, reason: str, note: str = "", now: datetime | None = None) -> None:
    """Take an item down with a reason the author is told."""
    if reason not in HIDE_REASONS or (actor is not None and reason == HideReason.REPORTS.value):
        raise ModerationError("Choose a reason from the list")
    note = _clean_note(note)
    if reason == HideReason.OTHER.value and not note:
        raise ModerationError("Explain the reason in the note, so the author knows why")
    if target.moderation_state == HIDDEN and target.hidden_reason == reason:
        raise ModerationError("This is already hidden")
    now = now or utcnow()
    before = snapshot(target)
    queued = waiting_since(target)
    _set_state(target, HIDDEN, reason, note)
    if actor is not None:
        _resolve_reports(target, "hidden", now)
    db.session.flush()
    log(actor, "hide" if actor is not None else "hidden_by_reports", target, before, reason=reason, note=note,
        queued_at=queued if actor is not None else None, now=now)
    if actor is not None:
        message = f"Reason: {HideReason(reason).label}." + (f"\n\n{note}" if note else "")
        _tell_author(target, actor, f"A moderator hid {_describe(target)}", message)
    else:
        _tell_author(target, None, f"{_describe(target).capitalize()} was reported and is hidden until a moderator "
                     "reviews it", "Several people reported it. A moderator will look at it soon.")


def restore(target, actor: User, note: str = "", now: datetime | None = None) -> None:
    if target.moderation_state != HIDDEN:
        raise ModerationError("Only hidden items can be restored")
    note = _clean_note(note)
    now = now or utcnow()
    before = snapshot(target)
    queued = waiting_since(target)
    _set_state(target, VISIBLE)
    _resolve_reports(target, "restored", now)
    db.session.flush()
    log(actor, "restore", target, before, note=note, queued_at=queued, now=now)
    _tell_author(target, actor, f"A moderator restored {_describe(target)}", "It is public again.")


def dismiss_reports(target, actor: User, note: str = "", now: datetime | None = None) -> int:
    """The reports were not justified: they close, and an item hidden only by reports comes back."""
    note = _clean_note(note)
    now = now or utcnow()
    before = snapshot(target) if not isinstance(target, User) else None
    queued = waiting_since(target)
    closed = _resolve_reports(target, "dismissed", now)
    if not closed:
        raise ModerationError("There are no open reports to dismiss")
    if not isinstance(target, User) and target.moderation_state == HIDDEN and target.hidden_reason == HideReason.REPORTS.value:
        _set_state(target, VISIBLE)
    db.session.flush()
    log(actor, "dismiss_reports", target, before, note=note, queued_at=queued, now=now)
    return closed


def edit(target, actor: User, note: str, *, title: str = "", summary: str = "", description: str = "",
         body: str = "", now: datetime | None = None) -> None:
    """A moderator's edit (say, to remove a phone number), with a note the author is told."""
    note = _clean_note(note)
    if not note:
        raise ModerationError("Enter a note saying what you changed and why")
    now = now or utcnow()
    before = snapshot(target)
    if isinstance(target, Idea):
        title, summary = (title or "").strip(), (summary or "").strip()
        if not title or not summary:
            raise ModerationError("An idea needs a title and a summary")
        if len(title) > 120 or len(summary) > 300:
            raise ModerationError("The title must be 120 characters or fewer and the summary 300 or fewer")
        target.title, target.summary = title, summary
        target.description_source = description or ""
        target.description_html = render_markdown(description or "")
        target.edited_at = now
        from genius.search import services as search

        db.session.flush()
        search.index_idea(target)
    else:
        body = (body or "").strip()
        if not body:
            raise ModerationError("Enter the comment's text")
        if len(body) > 5000:
            raise ModerationError("A comment must be 5,000 characters or fewer")
        target.body_source = body
        target.body_html = render_markdown(body)
        target.edited_at = now
    db.session.flush()
    log(actor, "edit", target, before, note=note, now=now)
    _tell_author(target, actor, f"A moderator edited {_describe(target)}", note)


# -- reports --------------------------------------------------------------------------------------

def report(target, reporter: User, reason: str, text: str = "", now: datetime | None = None) -> bool:
    """Record a report (once per person per item: False if they had already reported it).

    When enough different people have open reports on a visible idea or comment, it is
    hidden pending review (site setting `reports_threshold`).
    """
    if reason not in REPORT_REASONS:
        raise ModerationError("Choose why you are reporting this")
    text = (text or "").strip()
    if len(text) > MAX_REPORT_TEXT:
        raise ModerationError(f"Your explanation must be {MAX_REPORT_TEXT:,} characters or fewer")
    if reason == ReportReason.OTHER.value and not text:
        raise ModerationError("Tell us what is wrong")
    kind = kind_of(target)
    if (kind == "person" and target.id == reporter.id) or (kind != "person" and target.author_id == reporter.id):
        raise ModerationError("You cannot report yourself or what you posted")
    now = now or utcnow()
    added = insert_ignore(Report.__table__, {
        "target_kind": kind, "target_id": target.id, "challenge_id": _challenge_id(target),
        "reporter_id": reporter.id, "reason": reason, "text": text, "created_at": now, "resolution": "",
    })
    if not added or kind == "person" or target.moderation_state != VISIBLE:
        return added
    open_reporters = db.session.scalar(select(func.count(func.distinct(Report.reporter_id))).where(
        Report.target_kind == kind, Report.target_id == target.id, Report.resolved_at.is_(None)))
    if open_reporters >= site_settings.current().reports_threshold:
        hide(target, None, HideReason.REPORTS.value, now=now)
    return True
