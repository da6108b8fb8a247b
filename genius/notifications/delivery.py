"""Emailing notifications, after the events' transactions have committed.

`genius notifications send` (cron, every few minutes) emails each pending
notification of people who chose "immediately", one email each.
`genius notifications send-digests` (cron, hourly) emails one summary per
person who chose a daily or weekly digest and whose period has passed, grouped
by challenge and idea, newest first; a digest with nothing in it is never sent.

Each person's batch is claimed and marked sent in one transaction: a send that
fails rolls back and stays pending for the next run (never lost), and a sent
notification is never picked up again (never sent twice). People who chose
"never" have their pending notifications marked skipped.
"""

from __future__ import annotations

import logging
import smtplib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from contextlib import nullcontext

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select, update

from genius.accounts.models import User
from genius.core.mail import send_email
from genius.core.models import utcnow
from genius.extensions import db
from genius.notifications.models import EmailFrequency, Notification, NotificationSettings

log = logging.getLogger("genius.notifications")

DIGEST_PERIODS = {EmailFrequency.DAILY.value: timedelta(days=1), EmailFrequency.WEEKLY.value: timedelta(days=7)}
MAX_PER_DIGEST = 200


@dataclass
class RunReport:
    emails_sent: int = 0
    notifications_sent: int = 0
    failed_people: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


# Unsubscribe links (signed, no expiry: an old email's link must still work).

def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="genius.unsubscribe")


def unsubscribe_token(user_id: int) -> str:
    return _unsubscribe_serializer().dumps({"u": user_id})


def read_unsubscribe_token(token: str) -> int | None:
    try:
        data = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    return data.get("u") if isinstance(data, dict) else None


def _headers(user_id: int) -> tuple[str, dict[str, str]]:
    link = url_for("notifications.unsubscribe", token=unsubscribe_token(user_id), _external=True)
    # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs here.
    return link, {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _link(n: Notification) -> str:
    if n.comment_id:
        return url_for("comments.permalink", comment_id=n.comment_id, _external=True)
    if n.idea_id:
        return url_for("ideas.detail", idea_id=n.idea_id, _external=True)
    if n.challenge_id:
        return url_for("challenges.detail", challenge_id=n.challenge_id, _external=True)
    return url_for("notifications.index", _external=True)


def _entry(n: Notification) -> str:
    lines = [f"- {n.title}", f"  {n.created_at:%d %b %Y %H:%M} UTC"]
    if n.message:
        lines.append("  " + " ".join(n.message.split())[:500])
    lines.append(f"  {_link(n)}")
    return "\n".join(lines)


def _footer(unsubscribe_link: str) -> str:
    settings = url_for("notifications.settings", _external=True)
    return (f"\n\nChoose how often we email you: {settings}\n"
            f"Stop all emails with one click: {unsubscribe_link}\n")


def _pending_for(user_id: int, limit: int) -> list[Notification]:
    stmt = (select(Notification)
            .where(Notification.user_id == user_id, Notification.email_state == "pending")
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        # Two senders running at once never take the same rows.
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.session.scalars(stmt))


def _deliver(user: User, notifications: list[Notification], subject: str, body: str, report: RunReport,
             settings: NotificationSettings | None = None, now: datetime | None = None) -> None:
    """Send, then mark sent and commit; on failure roll back so they stay pending."""
    link, headers = _headers(user.id)
    ids = [n.id for n in notifications]
    try:
        send_email(user.email, subject, body + _footer(link), headers=headers, raise_errors=True)
    except (smtplib.SMTPException, OSError) as error:
        db.session.rollback()
        db.session.execute(update(Notification).where(Notification.id.in_(ids))
                           .values(email_attempts=Notification.email_attempts + 1))
        db.session.commit()
        report.failed_people += 1
        report.errors.append(f"user {user.id}: {error.__class__.__name__}")
        return
    db.session.execute(update(Notification).where(Notification.id.in_(ids))
                       .values(email_state="sent", emailed_at=now or utcnow()))
    if settings is not None:
        if settings not in db.session:
            db.session.add(settings)
        settings.last_digest_at = now or utcnow()
    db.session.commit()
    report.emails_sent += 1
    report.notifications_sent += len(ids)


def _people_with_pending(frequencies: tuple[str, ...]) -> list[tuple[User, NotificationSettings | None]]:
    """People with pending notifications whose chosen frequency is one of these (default: daily)."""
    has_pending = select(Notification.user_id).where(Notification.email_state == "pending").distinct()
    rows = db.session.execute(
        select(User, NotificationSettings)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(User.id.in_(has_pending), User.deleted_at.is_(None), User.email_confirmed_at.is_not(None))
        .where(or_(NotificationSettings.email_frequency.in_(frequencies),
                   and_(NotificationSettings.user_id.is_(None), EmailFrequency.DAILY.value in frequencies)))
        .order_by(User.id)
    ).all()
    return [(user, settings) for user, settings in rows]


def skip_unwanted() -> int:
    """Mark pending notifications of people who want no email as skipped."""
    never = select(NotificationSettings.user_id).where(NotificationSettings.email_frequency == EmailFrequency.NEVER.value)
    result = db.session.execute(update(Notification).where(Notification.email_state == "pending",
                                                           Notification.user_id.in_(never)).values(email_state="skipped"))
    db.session.commit()
    return result.rowcount


def _site_links():
    """Links in emails point at SITE_URL, also when sent from the command line."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=current_app.config["SITE_URL"])


def send_immediate(progress=None) -> RunReport:
    with _site_links():
        return _send_immediate(progress)


def send_digests(now: datetime | None = None, progress=None) -> RunReport:
    with _site_links():
        return _send_digests(now, progress)


def _send_immediate(progress=None) -> RunReport:
    report = RunReport(skipped=skip_unwanted())
    people = _people_with_pending((EmailFrequency.IMMEDIATELY.value,))
    for user, _settings in (progress(people) if progress else people):
        for n in reversed(_pending_for(user.id, MAX_PER_DIGEST)):
            body = f"Hello {user.display_name},\n\n{_entry(n)}"
            _deliver(user, [n], n.title[:150], body, report)
    return report


def _send_digests(now: datetime | None, progress) -> RunReport:
    now = now or utcnow()
    report = RunReport(skipped=skip_unwanted())
    site = current_app.config["SITE_NAME"]
    people = _people_with_pending((EmailFrequency.DAILY.value, EmailFrequency.WEEKLY.value))
    for user, settings in (progress(people) if progress else people):
        frequency = settings.email_frequency if settings is not None else EmailFrequency.DAILY.value
        last = settings.last_digest_at if settings is not None else None
        if last is not None and now - last < DIGEST_PERIODS[frequency]:
            continue
        notifications = _pending_for(user.id, MAX_PER_DIGEST)
        if not notifications:  # never an empty digest
            db.session.rollback()
            continue
        if settings is None:
            settings = NotificationSettings(user_id=user.id, email_frequency=EmailFrequency.DAILY.value,
                                            follow_what_i_post=True, follow_what_i_support=True,
                                            follow_what_i_comment_on=True)
        body = _digest_body(user, notifications, frequency)
        count = len(notifications)
        subject = f"{site}: {count} update{'s' if count != 1 else ''} ({'today' if frequency == 'daily' else 'this week'})"
        _deliver(user, notifications, subject, body, report, settings=settings, now=now)
    return report


def _digest_body(user: User, notifications: list[Notification], frequency: str) -> str:
    """Grouped by challenge, then idea; groups and entries newest first."""
    from genius.challenges.models import Challenge
    from genius.ideas.models import Idea

    challenge_ids = {n.challenge_id for n in notifications if n.challenge_id}
    idea_ids = {n.idea_id for n in notifications if n.idea_id}
    challenges = {c.id: c.title for c in db.session.scalars(select(Challenge).where(Challenge.id.in_(challenge_ids)))}
    ideas = {i.id: i.title for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))}
    groups: OrderedDict[tuple, list[Notification]] = OrderedDict()
    for n in notifications:  # already newest first
        groups.setdefault((n.challenge_id, n.idea_id), []).append(n)
    period = "day" if frequency == "daily" else "week"
    parts = [f"Hello {user.display_name},\n\nHere is what happened in the last {period} on what you follow."]
    for (challenge_id, idea_id), items in groups.items():
        heading = challenges.get(challenge_id, "Other updates")
        if idea_id:
            heading += f" › {ideas.get(idea_id, 'an idea')}"
        parts.append(f"\n{heading}\n" + "-" * min(len(heading), 70) + "\n" + "\n".join(_entry(n) for n in items))
    return "\n".join(parts)
