"""Issue 4's journey, keyboard only, with JavaScript on: a resident supports an idea
(the count updates in place and is announced), comments on it; the author replies;
the commenter sees the reply in their notifications. axe and vnu on every page.
"""

from __future__ import annotations

from datetime import timedelta

from genius.challenges import services as challenge_services
from genius.core.dates import local_day
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import services as idea_services

from .helpers import check_page, press_button, sign_in_with_keyboard, sign_out_with_keyboard, tab_to, type_into

def test_support_comment_reply_and_see_the_notification(page, make_user):
    champion = make_user(role="staff", name="Chandra Champion", email="champion@example.gov.uk")
    author = make_user(name="Rosa Resident", email="rosa@example.com")
    supporter = make_user(name="Nat Neighbour", email="nat@example.com")
    today = local_day(utcnow())
    challenge = challenge_services.create_challenge(challenge_services.ChallengeData(
        title="Cleaner air near schools", summary="Ideas for cleaner air.", background="Background.",
        champion_id=champion.id, opens_on=today, closes_on=today + timedelta(days=10)), champion)
    challenge_services.change_status(challenge, "open", champion)
    idea = idea_services.propose_idea(challenge, author, idea_services.IdeaData(
        title="Plant hedges along school railings", summary="Hedges trap particles from traffic."))
    db.session.commit()
    idea_url = f"/ideas/{idea.id}"

    # The supporter supports (in place, announced) and comments.
    sign_in_with_keyboard(page, supporter.email)
    page.goto(idea_url)
    check_page(page, "idea page before supporting")
    tab_to(page, text="Support this idea")
    page.keyboard.press("Enter")
    status = page.locator("[data-support-status]")
    status.filter(has_text="support").wait_for()
    assert page.locator("[data-support-count]").inner_text().strip() == "1 support"
    assert page.url.endswith(idea_url)  # no page load: JavaScript did it in place
    check_page(page, "idea page after supporting")

    type_into(page, "Hedges also give birds a home. Which schools first?", label="Add a comment")
    press_button(page, "Post comment")
    assert "Hedges also give birds a home" in page.locator("#comments").inner_text()
    check_page(page, "idea page with a comment")
    sign_out_with_keyboard(page)

    # The author replies to the comment.
    sign_in_with_keyboard(page, author.email)
    page.goto(idea_url)
    tab_to(page, text="Reply to Nat Neighbour")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page, "reply page")
    type_into(page, "The two on Haxby Road, where traffic is worst.", label="Your reply")
    press_button(page, "Post reply")
    assert "The two on Haxby Road" in page.locator("#comments").inner_text()
    check_page(page, "idea page with a reply")
    sign_out_with_keyboard(page)

    # The supporter sees the reply in their notifications.
    sign_in_with_keyboard(page, supporter.email)
    nav = page.locator(".govuk-service-navigation").inner_text()
    assert "Notifications (1" in nav, nav
    tab_to(page, selector="a.govuk-service-navigation__link[href=\"/notifications\"]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert "New reply to your comment" in main and "Plant hedges along school railings" in main
    check_page(page, "notifications page")
    press_button(page, "Mark all as read")
    assert "Notifications (" not in page.locator(".govuk-service-navigation").inner_text()
    check_page(page, "notifications page after marking read")
