"""Emails: each preference, digests, headers and links, and failures that are
retried on the next run: never lost, never sent twice."""

from __future__ import annotations

import email
import smtplib
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, text, update

from genius.comments.models import Comment
from genius.core.models import utcnow
from genius.extensions import db
from genius.notifications import delivery
from genius.notifications.delivery import read_unsubscribe_token, send_digests, send_immediate
from genius.notifications.models import Notification, NotificationKind

from .conftest import add_notification, notifications_of, set_frequency, settings_row

SITE = "https://ideas.example.gov.uk"


@pytest.fixture(autouse=True)
def site_url(app):
    app.config["SITE_URL"] = SITE


def run(runner, command: str, exit_code: int = 0):
    result = runner.invoke(args=["notifications", command])
    assert result.exit_code == exit_code, result.output
    db.session.rollback()
    db.session.expire_all()
    return result


def states(user) -> list[tuple[str, int]]:
    return [(n.email_state, n.email_attempts) for n in notifications_of(user)]


def body(message) -> str:
    return message.get_content()


def assert_list_unsubscribe(message, user) -> str:
    """RFC 8058 headers; the body's one-click link is the same signed link. Returns it."""
    header = message["List-Unsubscribe"]
    assert header.startswith(f"<{SITE}/unsubscribe/") and header.endswith(">")
    link = header[1:-1]
    assert read_unsubscribe_token(link.rsplit("/", 1)[1]) == user.id
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert f"Stop all emails with one click: {link}" in body(message)
    assert f"Choose how often we email you: {SITE}/account/notifications" in body(message)
    return link


# Immediately: one email per notification, through the cron command

def test_immediately_one_email_per_notification_then_nothing_more(runner, outbox, make_challenge, make_idea, make_user,
                                                                 cast, add_comment):
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    author = cast("author")
    set_frequency(author, "immediately")
    daily = make_user()  # the default is a daily digest: nothing from `send`
    add_notification(daily, challenge=challenge)
    add_notification(author, title="Older: new idea", challenge=challenge, idea=idea, minutes_ago=10,
                     message="A summary\nover two lines.")
    comment = add_comment(cast("resident"), challenge, idea, body="Great idea!")

    result = run(runner, "send")
    assert "Sent 2 emails carrying 2 notifications" in result.output
    assert [m["To"] for m in outbox] == [author.email, author.email]
    first, second = outbox
    assert first["Subject"] == "Older: new idea"  # oldest first
    assert second["Subject"] == "New comment on your idea ‘Bike racks at schools’"
    assert "A summary over two lines." in body(first)
    assert f"{SITE}/ideas/{idea.id}" in body(first)
    assert f"{SITE}/comments/{comment.id}" in body(second)  # the comment's permalink
    assert "Great idea!" in body(second)
    for message in outbox:
        assert_list_unsubscribe(message, author)
    assert states(author) == [("sent", 1), ("sent", 1)]
    assert all(n.emailed_at is not None for n in notifications_of(author))
    assert states(daily) == [("pending", 0)]

    run(runner, "send")
    assert len(outbox) == 2  # never sent twice
    add_notification(author, title="A third thing", challenge=challenge)
    run(runner, "send")
    assert [m["Subject"] for m in outbox[2:]] == ["A third thing"]


def test_a_link_in_an_email_unsubscribes_in_one_click(runner, outbox, new_client, make_challenge, make_user):
    person = make_user()
    set_frequency(person, "immediately")
    add_notification(person, challenge=make_challenge("open"))
    run(runner, "send")
    link = assert_list_unsubscribe(outbox[0], person)
    mail_program = new_client()
    response = mail_program.post(link.removeprefix(SITE), data="List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert settings_row(person).email_frequency == "never"
    add_notification(person, title="After unsubscribing")
    run(runner, "send")
    run(runner, "send-digests")
    assert len(outbox) == 1
    assert notifications_of(person)[0].email_state == "skipped"


def test_user_text_in_the_subject_cannot_add_headers(runner, outbox, make_challenge, make_user):
    person = make_user()
    set_frequency(person, "immediately")
    add_notification(person, title="Idea\r\nBcc: victim@example.com\r\n\r\nHello", challenge=make_challenge("open"))
    run(runner, "send")
    [message] = outbox
    assert message["Subject"] == "Idea Bcc: victim@example.com Hello"
    assert message["Bcc"] is None


# Daily and weekly digests

def test_a_daily_digest_groups_by_challenge_and_idea_newest_first(runner, outbox, make_challenge, make_idea, make_user):
    streets = make_challenge("open", title="Safer streets")
    food = make_challenge("open", title="Less food waste")
    racks = make_idea(streets, title="Bike racks")
    fridge = make_idea(food, title="Community fridge")
    person = make_user()  # daily by default, never saved a setting
    add_notification(person, title="Racks: shortlisted", challenge=streets, idea=racks, minutes_ago=50)
    add_notification(person, title="Food: new idea", challenge=food, idea=fridge, minutes_ago=40)
    add_notification(person, title="Streets: closed", challenge=streets, minutes_ago=30)
    add_notification(person, title="Racks: a comment", challenge=streets, idea=racks, minutes_ago=20,
                     kind=NotificationKind.COMMENT_ON_YOUR_IDEA, message="Where would they go?")
    add_notification(person, title="Fridge: a reply", challenge=food, idea=fridge, minutes_ago=10)

    result = run(runner, "send-digests")
    assert "Sent 1 emails carrying 5 notifications" in result.output
    [digest] = outbox
    assert digest["To"] == person.email
    assert digest["Subject"] == "GenIUS: 5 updates (today)"
    text_ = body(digest)
    assert "Here is what happened in the last day on what you follow." in text_
    headings = [line for line in text_.splitlines() if line.startswith(("Safer streets", "Less food waste", "Idea:", "The challenge"))]
    # Challenges, then ideas within them: each group where its newest entry is.
    assert headings == ["Less food waste", "Idea: Community fridge",
                        "Safer streets", "Idea: Bike racks", "The challenge"]
    order = [text_.index(t) for t in ("Fridge: a reply", "Food: new idea", "Racks: a comment", "Racks: shortlisted",
                                      "Streets: closed")]
    assert order == sorted(order)  # newest first within each group
    assert "Where would they go?" in text_
    assert f"{SITE}/ideas/{racks.id}" in text_ and f"{SITE}/challenges/{streets.id}" in text_
    assert_list_unsubscribe(digest, person)
    assert {s for s, _ in states(person)} == {"sent"}
    assert settings_row(person).last_digest_at is not None  # the row is made when first emailed

    run(runner, "send-digests")
    assert len(outbox) == 1  # nothing new: never an empty digest


def test_a_daily_digest_waits_a_day_and_a_weekly_one_a_week(app, outbox, make_challenge, make_user):
    challenge = make_challenge("open")
    daily, weekly = make_user(), make_user()
    set_frequency(weekly, "weekly")
    start = utcnow()
    for person in (daily, weekly):
        add_notification(person, title="First", challenge=challenge)
    send_digests(now=start)
    assert sorted(m["To"] for m in outbox) == sorted([daily.email, weekly.email])
    assert [m["Subject"] for m in outbox if m["To"] == weekly.email] == ["GenIUS: 1 update (this week)"]

    for person in (daily, weekly):
        add_notification(person, title="Second", challenge=challenge)
    sent_to = lambda: [m["To"] for m in outbox[2:]]  # noqa: E731
    send_digests(now=start + timedelta(hours=6))
    assert sent_to() == []
    send_digests(now=start + timedelta(hours=23, minutes=59))  # an hourly cron a few seconds early is on time
    assert sent_to() == [daily.email]
    send_digests(now=start + timedelta(days=3))
    assert sent_to() == [daily.email]  # nothing new for the daily one; the weekly one waits
    send_digests(now=start + timedelta(days=7))
    assert sent_to() == [daily.email, weekly.email]
    assert "Second" in body(outbox[-1]) and "First" not in body(outbox[-1])
    assert {s for s, _ in states(daily) + states(weekly)} == {"sent"}


def test_never_means_no_email_at_all(runner, outbox, make_challenge, make_user):
    person = make_user()
    set_frequency(person, "never")
    add_notification(person, challenge=make_challenge("open"))
    result = run(runner, "send-digests")
    assert "1 skipped" in result.output
    run(runner, "send")
    assert outbox == []
    assert states(person) == [("skipped", 0)]
    # Still on the site.
    assert notifications_of(person)[0].read_at is None


def test_only_confirmed_current_accounts_are_emailed(runner, outbox, make_challenge, make_user):
    challenge = make_challenge("open")
    unconfirmed, deleted = make_user(confirmed=False), make_user()
    for person in (unconfirmed, deleted):
        add_notification(person, challenge=challenge)
    db.session.execute(update(type(deleted)).where(type(deleted).id == deleted.id).values(deleted_at=utcnow()))
    db.session.commit()
    run(runner, "send-digests")
    assert outbox == []
    assert states(unconfirmed) == [("pending", 0)]  # they may confirm their address yet
    assert states(deleted) == [("skipped", 0)]


def test_nothing_about_what_the_person_can_no_longer_see(runner, outbox, make_challenge, make_idea, make_user, cast,
                                                       add_comment):
    """A challenge made staff-only after the event, or a comment deleted since: skipped, and no empty digest."""
    challenge = make_challenge("open")
    idea = make_idea(challenge)
    author = cast("author")
    comment = add_comment(cast("resident"), challenge, idea, body="Oops")
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(deleted_at=utcnow()))
    hidden = make_challenge("open", title="Now internal")
    add_notification(author, title="About the internal one", challenge=hidden)
    db.session.execute(update(type(hidden)).where(type(hidden).id == hidden.id).values(audience="staff"))
    db.session.commit()
    staff = make_user(role="staff")
    add_notification(staff, title="Staff see it", challenge=hidden)

    run(runner, "send-digests")
    assert [m["To"] for m in outbox] == [staff.email]
    assert states(author) == [("skipped", 0), ("skipped", 0)]

    set_frequency(author, "immediately")
    add_notification(author, title="Still internal", challenge=hidden)
    run(runner, "send")
    assert len(outbox) == 1
    assert states(author)[0] == ("skipped", 0)


def test_a_long_digest_shows_the_newest_and_counts_the_rest(app, outbox, make_challenge, make_user, monkeypatch):
    monkeypatch.setattr(delivery, "SHOWN_PER_DIGEST", 3)
    challenge = make_challenge("open")
    person = make_user()
    for i in range(5):
        add_notification(person, title=f"Update number {i}", challenge=challenge, minutes_ago=10 - i)
    send_digests()
    [digest] = outbox
    assert digest["Subject"] == "GenIUS: 5 updates (today)"
    assert "Update number 4" in body(digest) and "Update number 2" in body(digest)
    assert "Update number 1" not in body(digest)
    assert f"…and 2 older updates: {SITE}/notifications" in body(digest)
    assert {s for s, _ in states(person)} == {"sent"}


# Failures: retried on the next run, never lost, never sent twice

class Collect:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.mark.parametrize("frequency, command", [("immediately", "send"), ("daily", "send-digests")])
def test_a_failed_send_stays_pending_and_goes_once_on_the_next_run(app, runner, smtp_server, make_challenge, make_user,
                                                                   frequency, command):
    controller, handler = smtp_server
    challenge = make_challenge("open")
    person, later = make_user(), make_user()
    for who in (person, later):
        set_frequency(who, frequency)
        add_notification(who, title=f"News for {who.display_name}", challenge=challenge)

    # 1. The mail server is down (nothing listens on the port).
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False,
                      MAIL_USE_SSL=False, MAIL_USERNAME="")
    result = run(runner, command, exit_code=1)  # non-zero, so cron alerts someone
    assert "Sent 0 emails" in result.output
    assert "the mail server could not be reached: stopped" in result.output
    assert handler.envelopes == []
    assert states(person) == [("pending", 1)]  # one attempt counted
    assert states(later) == [("pending", 0)]  # the run stopped instead of timing out once per person
    assert notifications_of(person)[0].emailed_at is None
    if frequency == "daily":
        assert settings_row(person).last_digest_at is None

    # 2. The server is back: each goes, once.
    app.config["MAIL_PORT"] = controller.port
    result = run(runner, command)
    assert "Sent 2 emails carrying 2 notifications" in result.output
    assert sorted(e.rcpt_tos[0] for e in handler.envelopes) == sorted([person.email, later.email])
    assert states(person) == [("sent", 2)] and states(later) == [("sent", 1)]
    message = email.message_from_bytes(handler.envelopes[0].content, policy=policy.default)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(f"<{SITE}/unsubscribe/")

    # 3. Nothing more to send.
    run(runner, command)
    assert len(handler.envelopes) == 2


def test_a_message_refused_for_one_person_does_not_stop_the_others(app, outbox, make_challenge, make_user, monkeypatch):
    challenge = make_challenge("open")
    refused, fine = make_user(email="refused@example.com"), make_user()
    for person in (refused, fine):
        set_frequency(person, "immediately")
        add_notification(person, challenge=challenge)
    real_send = delivery.send_email

    def picky_send(to, *args, **kwargs):
        if to == refused.email:
            raise smtplib.SMTPRecipientsRefused({to: (550, b"No such mailbox")})
        return real_send(to, *args, **kwargs)

    monkeypatch.setattr(delivery, "send_email", picky_send)
    report = send_immediate()
    assert (report.emails_sent, report.failed_people) == (1, 1)
    assert [m["To"] for m in outbox] == [fine.email]
    assert states(refused) == [("pending", 1)]
    # Retried on each run, then given up after MAX_ATTEMPTS (it stays on the site).
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        send_immediate()
    assert states(refused) == [("skipped", delivery.MAX_ATTEMPTS)]
    send_immediate()
    assert states(refused) == [("skipped", delivery.MAX_ATTEMPTS)]


def test_an_unexpected_error_for_one_person_is_logged_and_the_run_goes_on(app, outbox, make_challenge, make_user,
                                                                         monkeypatch, caplog):
    challenge = make_challenge("open")
    broken, fine = make_user(), make_user()
    for person in (broken, fine):
        add_notification(person, challenge=challenge)
    real_send = delivery.send_email

    def send(to, *args, **kwargs):
        if to == broken.email:
            raise ValueError("cannot build this message")
        return real_send(to, *args, **kwargs)

    monkeypatch.setattr(delivery, "send_email", send)
    report = send_digests()
    assert [m["To"] for m in outbox] == [fine.email]
    assert report.errors == [f"user {broken.id}: ValueError"]
    assert states(broken) == [("pending", 1)]
    assert "could not be made or sent" in caplog.text


def test_rows_another_sender_holds_are_left_to_it(app, outbox, make_challenge, make_user):
    """Two runs at once never send the same notification: PostgreSQL skips rows another
    run has locked; SQLite lets only one run go at a time."""
    challenge = make_challenge("open")
    person = make_user()
    set_frequency(person, "immediately")
    held = add_notification(person, title="Held by the other run", challenge=challenge, minutes_ago=5)
    add_notification(person, title="Free", challenge=challenge)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as other:
            other.execute(text("SELECT id FROM notifications WHERE id = :id FOR UPDATE"), {"id": held.id})
            send_immediate()
            assert [m["Subject"] for m in outbox] == ["Free"]
            other.rollback()
        send_immediate()
        assert [m["Subject"] for m in outbox] == ["Free", "Held by the other run"]
    else:
        with app.app_context(), delivery._one_run_at_a_time() as mine:
            assert mine
            report = send_immediate()
        assert outbox == [] and report.errors == ["another run is still going: nothing done this time"]
        send_immediate()
        assert [m["Subject"] for m in outbox] == ["Held by the other run", "Free"]
    assert {s for s, _ in states(person)} == {"sent"}


def test_staff_only_notifications_are_emailed_to_staff_only(runner, outbox, make_challenge, make_user, cast):
    """End to end: the event makes none for residents, and the sender re-checks anyway."""
    from genius.ideas import services as idea_services
    from genius.notifications.services import follow

    challenge = make_challenge("open", audience="staff")
    resident, staff = make_user(), make_user(role="staff")
    for person in (resident, staff):
        follow(person.id, "challenge", challenge.id)
        set_frequency(person, "immediately")
    idea_services.propose_idea(db.session.merge(challenge), cast("champion"),
                               idea_services.IdeaData(title="Internal idea", summary="Staff only."))
    db.session.commit()
    run(runner, "send")
    assert [m["To"] for m in outbox] == [staff.email]
    assert db.session.scalars(select(Notification.user_id)).all() == [staff.id]
