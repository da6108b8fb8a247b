"""The notification side of issue 4, keyboard only: a neighbour comments on a
resident's idea (through the comments form); the author sees "Notifications (1)"
in the header, opens the list, follows the link to the comment, marks all as
read and changes their email settings. Every page passes axe-core (WCAG 2.2 AA)
and the Nu HTML Checker.
"""

from __future__ import annotations

import re
from datetime import timedelta

from genius.challenges import services as challenge_services
from genius.core.dates import local_day
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import services as idea_services
from genius.notifications.services import settings_for

from .helpers import (
    check_page,
    follow_link,
    press_button,
    sign_in_with_keyboard,
    sign_out_with_keyboard,
    tab_to,
    type_into,
)



def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def header_notifications(page) -> str:
    """The accessible name of the header's Notifications link: what a screen reader says."""
    link = page.locator('header a[href="/notifications"]')
    assert link.count() == 1
    return page.evaluate("""() => {
        const link = document.querySelector('header a[href="/notifications"]');
        return link.textContent.replace(/\\s+/g, ' ').trim();
    }""")


def test_the_author_hears_about_a_comment_reads_it_and_chooses_emails(page, make_user):
    champion = make_user(role="staff", name="Chandra Champion", email="champion@example.gov.uk")
    author = make_user(name="Rosa Resident", email="rosa@example.com")
    neighbour = make_user(name="Nat Neighbour", email="nat@example.com")
    today = local_day(utcnow())
    challenge = challenge_services.create_challenge(challenge_services.ChallengeData(
        title="Cleaner air near schools", summary="Ideas for cleaner air.", background="Background.",
        champion_id=champion.id, opens_on=today, closes_on=today + timedelta(days=10)), champion)
    challenge_services.change_status(challenge, "open", champion)
    idea = idea_services.propose_idea(challenge, author, idea_services.IdeaData(
        title="Plant hedges along school railings", summary="Hedges trap particles from traffic."))
    db.session.commit()
    idea_url = f"/ideas/{idea.id}"

    # The neighbour comments on the idea, through the comments form.
    sign_in_with_keyboard(page, neighbour.email)
    page.goto(idea_url)
    check_page(page, "idea page (neighbour)")
    type_into(page, "Yes please: **beech** hedges stay green in winter.", label="Add a comment")
    press_button(page, "Post comment")
    assert "Your comment has been posted." in banner(page)
    # Commenting follows the idea (the neighbour's setting is on by default).
    assert page.locator("button", has_text="Stop following this idea").count() == 1
    check_page(page, "idea page after commenting")
    sign_out_with_keyboard(page)

    # The author sees the count in the header.
    sign_in_with_keyboard(page, author.email)
    assert header_notifications(page) == "Notifications (1 unread)"
    # Chromium's accessible name keeps a space where the hidden span ends: "Notifications (1 unread )".
    assert page.get_by_role("link", name=re.compile(r"^Notifications \(1 unread ?\)$")).count() == 1
    assert page.locator('header a[href="/notifications"] .govuk-visually-hidden').inner_text().strip() == "unread"
    check_page(page, "account page with one unread notification")

    follow_link(page, selector='header a[href="/notifications"]')
    assert heading(page) == "Notifications"
    item = page.locator(".genius-notification").first
    assert "New" in item.locator(".govuk-tag").inner_text()
    assert "beech" in item.inner_text()
    check_page(page, "notifications page, one new")

    # The link leads to the comment on the idea's page.
    follow_link(page, text="New comment on your idea ‘Plant hedges along school railings’")
    assert page.url.split("#")[0].endswith(idea_url)
    assert re.search(r"#comment-\d+$", page.url)
    assert "beech" in page.locator(page.url[page.url.index("#"):]).inner_text()
    check_page(page, "idea page at the comment")

    # Back to the list: mark all as read; the count goes.
    follow_link(page, selector='header a[href="/notifications"]')
    press_button(page, "Mark all as read")
    assert "All your notifications are marked as read." in banner(page)
    assert header_notifications(page) == "Notifications"
    assert page.locator(".genius-notification .govuk-tag").count() == 0
    check_page(page, "notifications page, all read")

    # Email settings: a weekly summary, and stop following what I support.
    follow_link(page, text="Choose how often we email you")
    assert heading(page) == "Email notifications"
    check_page(page, "email notification settings")
    tab_to(page, selector="input[type=radio][name=email_frequency]")
    label = "() => document.activeElement.labels[0].textContent.trim()"
    for _ in range(6):
        if page.evaluate(label) == "A weekly summary":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.checked")
    tab_to(page, label="Ideas I support")
    page.keyboard.press("Space")
    assert not page.evaluate("() => document.activeElement.checked")
    press_button(page, "Save settings")
    assert heading(page) == "Your account"
    assert "Your email settings have been saved." in banner(page)
    assert "A weekly summary" in page.locator("main").inner_text()
    check_page(page, "account page after changing email settings")

    db.session.rollback()
    saved = settings_for(author.id)
    assert (saved.email_frequency, saved.follow_what_i_post, saved.follow_what_i_support,
            saved.follow_what_i_comment_on) == ("weekly", True, False, True)
