"""Emailing notifications, after the events' transactions have committed.

`genius notifications send` (cron, every 5 minutes) emails each pending
notification of people who chose "immediately", one email each, oldest first.
`genius notifications send-digests` (cron, hourly) emails one summary per
person who chose a daily or weekly digest and whose period has passed, grouped
by challenge and idea, newest first; a digest with nothing in it is never sent.

Never lost, never twice: the rows an email carries are claimed (PostgreSQL:
FOR UPDATE SKIP LOCKED; SQLite: one run at a time, see _one_run_at_a_time),
the email is sent, then they are marked sent and committed. A failed send
rolls back, counts an attempt and stays pending for the next run; a sent
notification is never picked up again. If the mail server cannot be reached
the run stops at once (the rest wait for the next run) instead of waiting for
a timeout per person. Notifications are skipped, not emailed, for people who
chose "never" or deleted their account, about a challenge the person can no
longer see, or about a comment its author deleted; a message the mail server
keeps refusing for that one person is given up after MAX_ATTEMPTS. Skipped
notifications stay on the site's notifications page.
"""

from __future__ import annotations

import logging
import smtplib
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, has_request_context, url_for
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import and_, or_, select, update

from genius.accounts.models import User
from genius.challenges.permissions import can_view_challenge
from genius.core.database import insert_ignore
from genius.core.mail import send_email
from genius.core.models import utcnow
from genius.core.security import fingerprint
from genius.core.templating import format_date
from genius.extensions import db
from genius.notifications.models import EmailFrequency, Notification, NotificationSettings

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows; GenIUS servers run Linux
    fcntl = None

log = logging.getLogger("genius.notifications")

DIGEST_PERIODS = {EmailFrequency.DAILY.value: timedelta(days=1), EmailFrequency.WEEKLY.value: timedelta(days=7)}
# Hourly cron runs start a few seconds apart from day to day: without some slack
# a digest due at 08:00:05 would be found "not yet due" at 08:00:02 and slip an
# hour every day.
DIGEST_SLACK = timedelta(minutes=30)
MAX_IMMEDIATE_PER_RUN = 100   # per person; the rest go on the next run
MAX_PER_DIGEST = 1000         # rows one digest covers (and marks sent)
SHOWN_PER_DIGEST = 100        # of those, shown in the email; the rest are counted, with a link
MAX_ATTEMPTS = 10             # for a message the server refuses for that person, not for an outage

# The mail server (or the way to it) is down or refuses us: nobody's email can go now.
SERVER_DOWN = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError,
               smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError, smtplib.SMTPSenderRefused)


def _server_is_down(error: BaseException) -> bool:
    # Every SMTPException is an OSError too: only the listed ones, or a network error, stop the run.
    if isinstance(error, smtplib.SMTPException):
        return isinstance(error, SERVER_DOWN)
    return isinstance(error, OSError)


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
    except BadData:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def _headers(user_id: int) -> tuple[str, dict[str, str]]:
    link = url_for("notifications.unsubscribe", token=unsubscribe_token(user_id), _external=True)
    return link, {
        # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs here.
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # RFC 3834: no out-of-office replies to a machine.
        "Auto-Submitted": "auto-generated",
    }


def _one_line(text: str, limit: int) -> str:
    """User text in a header or a list line: no line breaks (a header injection), bounded."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link(n: Notification) -> str:
    if n.comment_id:
        return url_for("comments.permalink", comment_id=n.comment_id, _external=True)
    if n.idea_id:
        return url_for("ideas.detail", idea_id=n.idea_id, _external=True)
    if n.challenge_id:
        return url_for("challenges.detail", challenge_id=n.challenge_id, _external=True)
    return url_for("notifications.index", _external=True)


def _entry(n: Notification) -> str:
    lines = [f"- {_one_line(n.title, 300)}", f"  {format_date(n.created_at, with_time=True)}"]
    if n.message:
        lines.append("  " + _one_line(n.message, 500))
    lines.append(f"  {_link(n)}")
    return "\n".join(lines)


def _footer(unsubscribe_link: str) -> str:
    settings = url_for("notifications.settings", _external=True)
    return (f"\n\n-- \nYou get these emails because you follow challenges or ideas on {current_app.config['SITE_NAME']}.\n"
            f"Choose how often we email you: {settings}\n"
            f"Stop all emails with one click: {unsubscribe_link}\n")


# Claiming rows

def _pending(user_id: int, limit: int, oldest_first: bool = False) -> list[Notification]:
    order = (Notification.created_at.asc(), Notification.id.asc()) if oldest_first else \
        (Notification.created_at.desc(), Notification.id.desc())
    stmt = (select(Notification)
            .where(Notification.user_id == user_id, Notification.email_state == "pending")
            .order_by(*order).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        # Two senders running at once (cron overlapping, two servers) never take the same rows.
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.session.scalars(stmt))


def _split_unwanted(user: User, notifications: list[Notification]) -> tuple[list[Notification], list[Notification]]:
    """(wanted, unwanted): unwanted ones are about a challenge the person can no longer
    see, a comment deleted since, or held or hidden content. Three queries at most, whatever the number."""
    from genius.challenges.models import Challenge
    from genius.comments.models import Comment
    from genius.ideas.models import Idea

    challenge_ids = {n.challenge_id for n in notifications if n.challenge_id is not None}
    comment_ids = {n.comment_id for n in notifications if n.comment_id is not None}
    visible = {c.id for c in db.session.scalars(select(Challenge).where(Challenge.id.in_(challenge_ids)))
               if can_view_challenge(user, c)} if challenge_ids else set()
    live = set(db.session.scalars(select(Comment.id).where(Comment.id.in_(comment_ids), Comment.deleted_at.is_(None),
                                                          Comment.moderation_state == "visible"))) \
        if comment_ids else set()
    idea_ids = {n.idea_id for n in notifications if n.idea_id is not None}
    public_ideas = set(db.session.scalars(select(Idea.id).where(Idea.id.in_(idea_ids), Idea.moderation_state == "visible"))) \
        if idea_ids else set()
    wanted, unwanted = [], []
    for n in notifications:
        # Held or hidden content (moderation) is never emailed, except a moderator's message to its author.
        moderation = n.kind == "moderation_outcome"
        ok = (n.challenge_id is None or n.challenge_id in visible) and (
            moderation or ((n.comment_id is None or n.comment_id in live)
                           and (n.idea_id is None or n.idea_id in public_ideas)))
        (wanted if ok else unwanted).append(n)
    return wanted, unwanted


def _set_state(ids: list[int], state: str, **values) -> None:
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids), Notification.email_state == "pending")
                           .values(email_state=state, **values))


def _deliver(user: User, ids: list[int], subject: str, body: str, report: RunReport,
             digest_at: datetime | None = None) -> str:
    """Send, then mark sent and commit: "sent". On failure roll back (still pending,
    one more attempt): "failed", or "server down" when nobody's email can go now."""
    link, headers = _headers(user.id)
    try:
        send_email(user.email, _one_line(subject, 150), body + _footer(link), headers=headers, raise_errors=True)
    except Exception as error:  # noqa: BLE001 - one bad message must not stop everyone else's
        db.session.rollback()
        down = _server_is_down(error)
        db.session.execute(update(Notification).where(Notification.id.in_(ids))
                           .values(email_attempts=Notification.email_attempts + 1))
        if not down:
            given_up = list(db.session.scalars(select(Notification.id).where(
                Notification.id.in_(ids), Notification.email_attempts >= MAX_ATTEMPTS)))
            _set_state(given_up, "skipped")
            if given_up:
                log.warning("gave up emailing %d notifications to %s after %d attempts",
                            len(given_up), fingerprint(user.email), MAX_ATTEMPTS)
        db.session.commit()
        if not isinstance(error, OSError):  # SMTP errors are logged by send_email already
            log.exception("notification email to %s could not be made or sent", fingerprint(user.email))
        report.failed_people += 1
        report.errors.append(f"user {user.id}: {error.__class__.__name__}")
        return "server down" if down else "failed"
    now = utcnow()
    _set_state(ids, "sent", emailed_at=now, email_attempts=Notification.email_attempts + 1)
    if digest_at is not None:
        # Upsert: the person may be saving their settings at this very moment.
        insert_ignore(NotificationSettings.__table__, {"user_id": user.id})
        db.session.execute(update(NotificationSettings).where(NotificationSettings.user_id == user.id)
                           .values(last_digest_at=digest_at))
    db.session.commit()
    report.emails_sent += 1
    report.notifications_sent += len(ids)
    return "sent"


def _server_down(report: RunReport) -> None:
    report.errors.append("the mail server could not be reached: stopped; the rest stay pending for the next run")


# Who gets what

def _people_with_pending(frequencies: tuple[str, ...]) -> list[tuple[User, NotificationSettings | None]]:
    """Confirmed, current people with pending notifications whose frequency is one of these (default: daily)."""
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
    """Mark as skipped the pending notifications of people who want no email or deleted their account."""
    never = select(NotificationSettings.user_id).where(NotificationSettings.email_frequency == EmailFrequency.NEVER.value)
    gone = select(User.id).where(User.deleted_at.is_not(None))
    result = db.session.execute(update(Notification)
                                .where(Notification.email_state == "pending",
                                       or_(Notification.user_id.in_(never), Notification.user_id.in_(gone)))
                                .values(email_state="skipped"))
    db.session.commit()
    return result.rowcount


def _site_links():
    """Links in emails point at SITE_URL, also when sent from the command line."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=current_app.config["SITE_URL"])


@contextmanager
def _one_run_at_a_time():
    """SQLite has no row locks to skip: two overlapping runs would both send the
    same rows. There, one run at a time per instance folder; PostgreSQL needs none."""
    if db.session.get_bind().dialect.name == "postgresql" or fcntl is None:
        yield True
        return
    path = Path(current_app.instance_path) / "notifications-send.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(work, *args) -> RunReport:
    with _site_links(), _one_run_at_a_time() as mine:
        if not mine:
            report = RunReport()
            report.errors.append("another run is still going: nothing done this time")
            return report
        return work(*args)


def send_immediate(progress=None) -> RunReport:
    return _run(_send_immediate, progress)


def send_digests(now: datetime | None = None, progress=None) -> RunReport:
    return _run(_send_digests, now, progress)


def _send_immediate(progress=None) -> RunReport:
    report = RunReport(skipped=skip_unwanted())
    people = _people_with_pending((EmailFrequency.IMMEDIATELY.value,))
    for user, _settings in (progress(people) if progress else people):
        # One row claimed at a time: committing one email must not release the
        # locks on the rest while they are still to be sent.
        for _ in range(MAX_IMMEDIATE_PER_RUN):
            claimed = _pending(user.id, 1, oldest_first=True)
            if not claimed:
                db.session.rollback()
                break
            wanted, unwanted = _split_unwanted(user, claimed)
            if unwanted:
                _set_state([unwanted[0].id], "skipped")
                db.session.commit()
                report.skipped += 1
                continue
            n = wanted[0]
            body = f"Hello {user.display_name},\n\n{_entry(n)}"
            outcome = _deliver(user, [n.id], n.title, body, report)
            if outcome == "server down":
                _server_down(report)
                return report
            if outcome == "failed":
                break
    return report


def _send_digests(now: datetime | None, progress) -> RunReport:
    now = now or utcnow()
    report = RunReport(skipped=skip_unwanted())
    site = current_app.config["SITE_NAME"]
    people = _people_with_pending((EmailFrequency.DAILY.value, EmailFrequency.WEEKLY.value))
    for user, settings in (progress(people) if progress else people):
        frequency = settings.email_frequency if settings is not None else EmailFrequency.DAILY.value
        last = settings.last_digest_at if settings is not None else None
        if last is not None and now - last < DIGEST_PERIODS[frequency] - DIGEST_SLACK:
            continue
        claimed = _pending(user.id, MAX_PER_DIGEST)
        wanted, unwanted = _split_unwanted(user, claimed)
        if unwanted:
            _set_state([n.id for n in unwanted], "skipped")
            report.skipped += len(unwanted)
        if not wanted:  # never an empty digest
            db.session.commit()
            continue
        count = len(wanted)
        subject = f"{site}: {count} update{'s' if count != 1 else ''} ({'today' if frequency == 'daily' else 'this week'})"
        body = _digest_body(user, wanted, frequency)
        outcome = _deliver(user, [n.id for n in wanted], subject, body, report, digest_at=now)
        if outcome == "server down":
            _server_down(report)
            return report
    return report


def _digest_body(user: User, notifications: list[Notification], frequency: str) -> str:
    """Grouped by challenge, then by idea within it; groups and entries newest first."""
    from genius.challenges.models import Challenge
    from genius.ideas.models import Idea

    shown = notifications[:SHOWN_PER_DIGEST]
    challenge_ids = {n.challenge_id for n in shown if n.challenge_id}
    idea_ids = {n.idea_id for n in shown if n.idea_id}
    challenges = {c.id: c.title for c in db.session.scalars(select(Challenge).where(Challenge.id.in_(challenge_ids)))}
    ideas = {i.id: i.title for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))}
    groups: OrderedDict[int | None, OrderedDict[int | None, list[Notification]]] = OrderedDict()
    for n in shown:  # newest first, so each group sits where its newest entry is
        groups.setdefault(n.challenge_id, OrderedDict()).setdefault(n.idea_id, []).append(n)
    period = "day" if frequency == "daily" else "week"
    parts = [f"Hello {user.display_name},\n\nHere is what happened in the last {period} on what you follow."]
    for challenge_id, by_idea in groups.items():
        heading = _one_line(challenges.get(challenge_id, "Other updates"), 150)
        parts.append(f"\n\n{heading}\n" + "=" * min(len(heading), 70))
        for idea_id, items in by_idea.items():
            sub = f"Idea: {_one_line(ideas.get(idea_id, 'an idea'), 150)}" if idea_id else "The challenge"
            parts.append(f"\n{sub}\n" + "-" * min(len(sub), 70) + "\n" + "\n".join(_entry(n) for n in items))
    if len(notifications) > len(shown):
        more = len(notifications) - len(shown)
        parts.append(f"\n…and {more} older update{'s' if more != 1 else ''}: "
                     f"{url_for('notifications.index', _external=True)}")
    return "\n".join(parts)
