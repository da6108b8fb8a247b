"""Issue 3's journey, keyboard only: a staff member posts and opens a challenge, a
resident proposes an idea (and is shown a similar one first), staff answer it in public.

Every page on the way passes axe-core (WCAG 2.2 AA) and the Nu HTML Checker.
"""

from __future__ import annotations

from datetime import timedelta

from genius.challenges import services as challenge_services
from genius.core.dates import local_day
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas import services as idea_services

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


def choose_radio(page, label: str, name: str | None = None) -> None:
    """A radio group takes one Tab stop; arrow keys move the choice within it, as people do."""
    if name is None:
        tab_to(page, label=label)
        page.keyboard.press("Space")
        return
    tab_to(page, selector=f"input[type=radio][name={name}]")
    current = "() => document.activeElement.labels[0].textContent.trim()"
    for _ in range(12):
        if page.evaluate(current) == label:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate(current) == label
    assert page.evaluate("() => document.activeElement.checked")


def test_staff_post_and_open_a_challenge_a_resident_proposes_an_idea_staff_respond(page, make_user, app):
    champion = make_user(role="staff", name="Chandra Champion", email="champion@example.gov.uk")
    resident = make_user(role="resident", name="Rosa Resident", email="rosa@example.com")
    neighbour = make_user(role="resident", name="Nat Neighbour", email="nat@example.com")

    # Staff: sign in, post a challenge, open it.
    sign_in_with_keyboard(page, champion.email)
    follow_link(page, "Challenges")
    assert heading(page) == "Challenges"
    check_page(page, "challenge index (staff)")
    follow_link(page, "Post a new challenge")
    assert heading(page) == "Post a new challenge"
    check_page(page, "new challenge form")

    today = local_day(utcnow())
    closes = today + timedelta(days=30)
    type_into(page, "How might we make it easier to cycle to school?", label="Title")
    type_into(page, "Help more children cycle or scoot to school safely.", label="One-line summary")
    type_into(page, "Only **1 in 8** pupils cycle to school.\n\n- routes\n- storage", label="Background")
    type_into(page, "transport, schools", label="Tags (optional)")
    for prefix, day in (("opens_on", today), ("closes_on", closes)):
        type_into(page, str(day.day), id=f"{prefix}-day")
        type_into(page, str(day.month), id=f"{prefix}-month")
        type_into(page, str(day.year), id=f"{prefix}-year")
    press_button(page, "Save challenge")
    assert heading(page) == "How might we make it easier to cycle to school?", page.locator("main").inner_text()
    assert "saved as a draft" in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, "draft challenge page")

    follow_link(page, "Change status of this challenge")
    assert heading(page) == "Change the status"
    check_page(page, "challenge status form")
    choose_radio(page, "Open it: people can post ideas between the opening and closing dates")
    press_button(page, "Change status")
    assert "The challenge is now: Open." in page.locator(".govuk-notification-banner").inner_text()
    assert "Closes in" in page.locator("main").inner_text()
    check_page(page, "open challenge page (staff)")
    challenge_url = page.url

    # A neighbour's existing idea, so the resident's lookalike gets a suggestion.
    from genius.challenges.models import Challenge

    challenge = db.session.scalars(db.select(Challenge)).one()
    idea_services.propose_idea(challenge, neighbour, idea_services.IdeaData(
        title="Covered bike racks at primary schools", summary="Somewhere dry to leave bikes."))
    db.session.commit()
    sign_out_with_keyboard(page)

    # Resident: propose an idea; first submit shows the similar idea.
    sign_in_with_keyboard(page, resident.email)
    page.goto(challenge_url)
    check_page(page, "open challenge page (resident)")
    follow_link(page, "Propose an idea")
    assert heading(page) == "Propose an idea"
    check_page(page, "idea form")
    type_into(page, "Bike racks at every primary school", label="Title of your idea")
    type_into(page, "Covered, secure racks so bikes are not left in the rain.", label="Summary")
    type_into(page, "Racks for **ten** bikes each.", label="Describe your idea (optional)")
    choose_radio(page, "schools")
    press_button(page, "Post your idea")
    banner = page.locator("#similar-ideas")
    assert banner.count() == 1 and "Covered bike racks at primary schools" in banner.inner_text()
    check_page(page, "idea form with similar ideas")
    press_button(page, "Post your idea")
    assert heading(page) == "Bike racks at every primary school", page.locator("main").inner_text()
    assert "Your idea has been posted." in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, "idea page (author)")
    idea_url = page.url
    sign_out_with_keyboard(page)

    # Staff: the dashboard lists the idea; post an official response.
    sign_in_with_keyboard(page, champion.email)
    page.goto("/dashboard/responses")
    assert heading(page) == "Ideas waiting for a response"
    check_page(page, "champion dashboard")
    follow_link(page, "Bike racks at every primary school (respond)")
    assert heading(page) == "Give an official response"
    check_page(page, "official response form")
    choose_radio(page, "Shortlisted", name="status")
    type_into(page, "Thank you. We are costing racks for the ten schools with most requests.", label="Official response")
    press_button(page, "Publish response")
    assert page.url.startswith(idea_url)
    trail = page.locator("#status-trail + ol").inner_text()
    assert "Status changed to Shortlisted" in trail and "We are costing racks" in trail and "Chandra Champion" in trail
    check_page(page, "idea page with the official response")
    sign_out_with_keyboard(page)

    # Anyone: the idea page and the challenge page show the response and the median.
    page.goto(idea_url)
    assert "Shortlisted" in page.locator("main").inner_text()
    check_page(page, "idea page (anonymous reader)")
    page.goto(challenge_url)
    assert "answered" in page.locator("main").inner_text()
    check_page(page, "challenge page (anonymous reader)")


def test_the_idea_form_suggests_similar_ideas_while_typing(page, make_user):
    """With JavaScript, suggestions appear in a live region under the title as people type."""
    from genius.challenges.models import Challenge

    champion = make_user(role="staff", email="champion@example.gov.uk")
    resident = make_user(role="resident", email="rosa@example.com")
    today = local_day(utcnow())
    challenge = challenge_services.create_challenge(challenge_services.ChallengeData(
        title="Cleaner air near schools", summary="Ideas for cleaner air.", background="Background.",
        champion_id=champion.id, opens_on=today, closes_on=today + timedelta(days=10)), champion)
    challenge_services.change_status(challenge, "open", champion)
    idea_services.propose_idea(challenge, champion, idea_services.IdeaData(
        title="Plant hedges along school railings", summary="Hedges trap particles from traffic."))
    db.session.commit()
    assert db.session.get(Challenge, challenge.id).ideas_count == 1

    sign_in_with_keyboard(page, resident.email)
    page.goto(f"/challenges/{challenge.id}/ideas/new")
    type_into(page, "Hedges by the school gates", label="Title of your idea")
    region = page.locator(".genius-similar-live")
    region.locator("a", has_text="Plant hedges along school railings").wait_for()
    assert region.get_attribute("aria-live") == "polite"
    check_page(page, "idea form with live suggestions")
