"""Supporting an idea by keyboard only, with JavaScript on: the count and the button change in
place, the result is announced in a polite live region, and focus stays on the button.

Both states of the page pass axe-core (WCAG 2.2 AA) and the Nu HTML Checker.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from genius.challenges import services as challenge_services
from genius.core.dates import local_day
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import services as idea_services
from genius.ideas.models import Idea, Support

from .helpers import check_page, focused, submit_with_enter, tab_to, type_into

PASSWORD = "correct horse battery staple"  # make_user's default


def stored(idea_id: int) -> tuple[int, int]:
    db.session.rollback()
    db.session.expire_all()
    return (db.session.scalar(select(Idea.supports_count).where(Idea.id == idea_id)),
            db.session.scalar(select(func.count()).select_from(Support).where(Support.idea_id == idea_id)))


def test_support_and_withdraw_by_keyboard_update_in_place_and_are_announced(page, make_user):
    champion = make_user(role="staff", email="champion@example.gov.uk")
    resident = make_user(role="resident", email="rosa@example.com", name="Rosa Resident")
    today = local_day(utcnow())
    challenge = challenge_services.create_challenge(challenge_services.ChallengeData(
        title="Cleaner air near schools", summary="Ideas for cleaner air.", background="Background.",
        champion_id=champion.id, opens_on=today, closes_on=today + timedelta(days=10), support_limit=5), champion)
    challenge_services.change_status(challenge, "open", champion)
    idea = idea_services.propose_idea(challenge, champion, idea_services.IdeaData(
        title="Plant hedges along school railings", summary="Hedges trap particles from traffic."))
    db.session.commit()
    idea_id = idea.id

    page.goto("/sign-in")
    type_into(page, resident.email, label="Email address")
    type_into(page, PASSWORD, label="Password")
    submit_with_enter(page)
    page.goto(f"/ideas/{idea_id}")
    box = page.locator("#support")
    status = box.locator("[aria-live=polite]")
    assert box.locator("[data-support-count]").inner_text() == "0 supports"
    assert box.locator("[data-support-left]").inner_text() == "You have 5 of 5 supports left in this challenge."
    check_page(page, "idea page before supporting")
    page.evaluate("() => { window.stillThisPage = true; }")  # gone if the page reloads

    tab_to(page, text="Support this idea")
    page.keyboard.press("Enter")
    expected = "You support this idea. It has 1 support. You have 4 of 5 supports left in this challenge."
    page.wait_for_function("(text) => document.querySelector('#support [aria-live]').textContent === text", arg=expected)
    assert page.evaluate("() => window.stillThisPage === true"), "updated in place, not by a page load"
    assert box.locator("[data-support-count]").inner_text() == "1 support"
    assert box.locator("[data-support-left]").inner_text() == "You have 4 of 5 supports left in this challenge."
    assert box.locator("button").inner_text() == "Withdraw your support"
    assert "Withdraw your support" in focused(page), "focus stays on the button"
    assert status.get_attribute("aria-live") == "polite"
    assert stored(idea_id) == (1, 1)
    check_page(page, "idea page after supporting")

    page.keyboard.press("Enter")
    expected = "You have withdrawn your support. It has 0 supports. You have 5 of 5 supports left in this challenge."
    page.wait_for_function("(text) => document.querySelector('#support [aria-live]').textContent === text", arg=expected)
    assert box.locator("[data-support-count]").inner_text() == "0 supports"
    assert box.locator("button").inner_text() == "Support this idea"
    assert page.evaluate("() => window.stillThisPage === true")
    assert stored(idea_id) == (0, 0)
    check_page(page, "idea page after withdrawing")

    # A reload shows what the database holds.
    page.reload()
    assert page.locator("#support button").inner_text() == "Support this idea"
