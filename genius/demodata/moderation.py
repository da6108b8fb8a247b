"""Moderation in the demo data: reports on a few per cent of ideas and comments (a few hidden after
enough reports), some held ideas and comments waiting in the queue, one pre-moderated challenge, and
the audit log entries those leave. Runs after the loader's bulk insert, on the rows it made; every
stored counter moves with the change, so `genius recount --check` stays clean.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random

from sqlalchemy import delete, func, insert, select, update

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.comments.models import Comment
from genius.extensions import db
from genius.ideas.models import Idea, Support
from genius.moderation.models import REPORT_REASONS, ModerationAction, Report

REPORTED_IDEAS = 0.03  # share of ideas with reports
REPORTED_COMMENTS = 0.02
HELD_IDEAS = 0.01
HELD_COMMENTS = 0.005
THRESHOLD = 3  # the default site setting: three reporters hide an item pending review
TEXTS = ("", "", "Looks like advertising.", "This names a neighbour.", "Not about this challenge.", "Rude.")


def _reporters(rng: Random, low: int, high: int, author_id: int, k: int) -> list[int]:
    chosen: set[int] = set()
    while len(chosen) < k:
        candidate = rng.randint(low, high)
        if candidate != author_id:
            chosen.add(candidate)
    return sorted(chosen)


def _report_rows(rng: Random, kind: str, target, challenge_id, reporters: list[int], anchor: datetime) -> list[dict]:
    rows = []
    for reporter in reporters:
        start = max(target.created_at, anchor - timedelta(days=20))
        when = start + timedelta(minutes=rng.randrange(max(1, int((anchor - start).total_seconds() // 60))))
        reason = rng.choice(REPORT_REASONS)
        text = rng.choice(TEXTS) or ("Something is wrong with this." if reason == "other" else "")
        rows.append({"target_kind": kind, "target_id": target.id, "challenge_id": challenge_id, "reporter_id": reporter,
                     "reason": reason, "text": text, "created_at": when, "resolution": ""})
    return rows


def _log(kind: str, target, challenge_id: int, action: str, reason: str, when: datetime, queued: datetime | None) -> dict:
    return {"actor_id": None, "action": action, "target_kind": kind, "target_id": target.id, "challenge_id": challenge_id,
            "reason": reason, "note": "", "before": "", "after": "", "queued_at": queued, "created_at": when}


def _uncount_idea(idea) -> None:
    db.session.execute(update(Challenge).where(Challenge.id == idea.challenge_id)
                       .values(ideas_count=Challenge.ideas_count - 1).execution_options(synchronize_session=False))


def _uncount_comment(comment) -> None:
    if comment.idea_id is not None:
        db.session.execute(update(Idea).where(Idea.id == comment.idea_id)
                           .values(comments_count=Idea.comments_count - 1).execution_options(synchronize_session=False))
    else:
        db.session.execute(update(Challenge).where(Challenge.id == comment.challenge_id)
                           .values(comments_count=Challenge.comments_count - 1)
                           .execution_options(synchronize_session=False))


def add_moderation(rng: Random, anchor: datetime) -> dict[str, int]:
    """Reports, held and hidden items on the loaded data; flush, never commit. Returns rows per table.

    Only visible ideas and comments are chosen: with --force the database may hold an earlier load's held and
    hidden ones, and taking one again would take it off its counters twice."""
    low, high = db.session.execute(select(func.min(User.id), func.max(User.id))).one()
    ideas = db.session.execute(
        select(Idea.id, Idea.author_id, Idea.challenge_id, Idea.created_at, Idea.supports_count, Idea.comments_count,
               Challenge.status, Challenge.opens_at, Challenge.closes_at)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.withdrawn_at.is_(None), Idea.moderation_state == "visible").order_by(Idea.id)
    ).all()
    if not ideas or low is None or high - low < 10:
        return {"reports": 0, "moderation_log": 0}
    reports: list[dict] = []
    log: list[dict] = []
    touched: set[int] = set()

    # Held ideas: without comments, in challenges taking ideas first (then ones just closed, posted before the
    # close and still waiting), the least supported first. Nobody else can have seen a held idea, so the few
    # supports it was planned with go, with its counter.
    def waiting_order(i):
        accepting = i.status == "open" and i.opens_at <= anchor < i.closes_at
        return (not accepting, i.status not in ("open", "reviewing"), i.supports_count, i.id)

    fresh = sorted((i for i in ideas if i.comments_count == 0), key=waiting_order)
    wanted = max(1, int(len(ideas) * HELD_IDEAS))
    for idea in rng.sample(fresh[:wanted * 3], min(len(fresh), wanted)):
        reason = rng.choice(("premoderation", "new_account", "links"))
        if idea.supports_count:
            db.session.execute(delete(Support).where(Support.idea_id == idea.id))
        db.session.execute(update(Idea).where(Idea.id == idea.id)
                           .values(moderation_state="held", hidden_reason=reason, supports_count=0))
        _uncount_idea(idea)
        log.append(_log("idea", idea, idea.challenge_id, "held", reason, idea.created_at, idea.created_at))
        touched.add(idea.id)
    accepting = [i for i in ideas if i.status == "open" and i.opens_at <= anchor < i.closes_at]
    if accepting:
        db.session.execute(update(Challenge).where(Challenge.id == accepting[0].challenge_id).values(premoderate_ideas=True))

    # Reported ideas: one or two reporters mostly; three (the default threshold) hides it pending review.
    public = [i for i in ideas if i.id not in touched]
    for idea in rng.sample(public, min(len(public), max(1, int(len(ideas) * REPORTED_IDEAS)))):
        k = rng.choice((1, 1, 1, 2, 2, THRESHOLD))
        rows = _report_rows(rng, "idea", idea, idea.challenge_id, _reporters(rng, low, high, idea.author_id, k), anchor)
        reports += rows
        if k >= THRESHOLD:
            db.session.execute(update(Idea).where(Idea.id == idea.id).values(moderation_state="hidden", hidden_reason="reports"))
            _uncount_idea(idea)
            last = max(r["created_at"] for r in rows)
            log.append(_log("idea", idea, idea.challenge_id, "hidden_by_reports", "reports", last, None))

    # Comments: a sample by id (the table can be large), live ones without replies.
    c_low, c_high, total = db.session.execute(select(func.min(Comment.id), func.max(Comment.id), func.count())).one()
    if total:
        wanted = max(1, int(total * (REPORTED_COMMENTS + HELD_COMMENTS)))
        ids = sorted(set(rng.randint(c_low, c_high) for _ in range(wanted)))
        has_replies = select(Comment.parent_id).where(Comment.parent_id.in_(ids))
        comments = db.session.execute(
            select(Comment.id, Comment.author_id, Comment.challenge_id, Comment.idea_id, Comment.created_at)
            .where(Comment.id.in_(ids), Comment.deleted_at.is_(None), Comment.moderation_state == "visible",
                   Comment.id.not_in(has_replies))
            .order_by(Comment.id)
        ).all()
        held_share = HELD_COMMENTS / (REPORTED_COMMENTS + HELD_COMMENTS)
        for comment in comments:
            if comment.idea_id in touched:
                continue  # not on a held idea
            if rng.random() < held_share:
                reason = rng.choice(("premoderation", "new_account", "links"))
                db.session.execute(update(Comment).where(Comment.id == comment.id)
                                   .values(moderation_state="held", hidden_reason=reason))
                _uncount_comment(comment)
                log.append(_log("comment", comment, comment.challenge_id, "held", reason, comment.created_at,
                                comment.created_at))
            else:
                k = rng.choice((1, 1, 2))
                reports += _report_rows(rng, "comment", comment, comment.challenge_id,
                                        _reporters(rng, low, high, comment.author_id, k), anchor)
    if reports:
        db.session.execute(insert(Report.__table__), reports)
    if log:
        db.session.execute(insert(ModerationAction.__table__), log)
    db.session.flush()
    return {"reports": len(reports), "moderation_log": len(log)}
