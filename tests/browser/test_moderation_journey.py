"""Moderation in a real browser, keyboard only: an idea held by a pre-moderated challenge is approved from
the queue; then reported by three people, hidden pending review, and restored. Every page on the way
passes axe-core (WCAG 2.2 AA) and the Nu HTML Checker. Skipped locally without Chromium (failing under
CI=true), like every test in tests/browser."""

from __future__ import annotations

from sqlalchemy import select

from challenges.factories import cast, make_challenge, make_idea  # noqa: F401 - fixtures
from genius.extensions import db
from genius.ideas.models import Idea
from genius.moderation import services

from .helpers import check_page, press_button, tab_to, type_into

PASSWORD = "correct horse battery staple"
TABS = 200  # links and buttons can sit low on long pages


def sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    type_into(page, email, label="Email address")
    type_into(page, PASSWORD, label="Password")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow(page, **target) -> None:
    tab_to(page, max_presses=TABS, **target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press(page, text: str) -> None:
    tab_to(page, text=text, max_presses=TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page, name: str, label: str) -> None:
    """A radio button, as keyboard users pick one: Tab into the group, then arrow keys (which select)."""
    tab_to(page, selector=f'input[name="{name}"]', max_presses=TABS)
    for _ in range(10):
        if page.evaluate("(l) => Array.from(document.activeElement.labels || []).some(x => x.innerText.trim() === l)", label):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), f"could not choose {label!r}"


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").first.inner_text()


def state_of(idea_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(Idea.moderation_state).where(Idea.id == idea_id))


def test_held_then_approved_then_reported_hidden_and_restored(page, make_challenge, make_user):
    champion = make_user(role="staff", name="Chandra Champion", email="champion@example.gov.uk")
    moderator = make_user(role="moderator", name="Mo Moderator", email="mo@example.gov.uk")
    rosa = make_user(name="Rosa Resident", email="rosa@example.com")
    reporters = [make_user(name=f"Reporter {n}", email=f"reporter{n}@example.com") for n in range(3)]
    challenge = make_challenge("open", champion=champion, creator=champion, premoderate_ideas=True)

    # Rosa posts an idea: it waits for a moderator, and she is told so, with the expected wait.
    sign_in(page, rosa.email)
    page.goto(f"/challenges/{challenge.id}/ideas/new")
    check_page(page, "idea form")
    type_into(page, "Play streets on Sundays", id="title")
    type_into(page, "Close quiet streets to traffic on Sunday afternoons.", id="summary")
    press(page, "Post your idea")
    assert "A moderator will check it before anyone else can see it" in banner(page)
    assert "Waiting for a moderator" in page.locator("#moderation-notice").inner_text()
    check_page(page, "held idea, as its author sees it")
    idea_id = db.session.scalar(select(Idea.id).where(Idea.title == "Play streets on Sundays"))
    assert state_of(idea_id) == "held"

    # The moderator approves it from the queue.
    sign_in(page, moderator.email)
    page.goto("/moderation")
    check_page(page, "moderation queue with a held idea")
    follow(page, text="Play streets on Sundays")
    check_page(page, "moderation item: held idea")
    press(page, "Approve: make it public")
    assert "Approved" in banner(page)
    check_page(page, "moderation queue after approving")
    assert state_of(idea_id) == "visible"

    # Three people report it: the third report hides it pending review.
    for n, reporter in enumerate(reporters):
        if n < 2:
            services.report(db.session.get(Idea, idea_id), reporter, "abusive")
            db.session.commit()
            continue
        sign_in(page, reporter.email)
        page.goto(f"/ideas/{idea_id}")
        check_page(page, "public idea")
        follow(page, selector=f'a[href="/report/idea/{idea_id}"]')
        check_page(page, "report form")
        press(page, "Send report")  # no reason chosen: refused, with the error summary
        assert "Choose why you are reporting this" in page.locator(".govuk-error-summary").inner_text()
        check_page(page, "report form with an error")
        choose(page, "reason", "Abusive, hateful or threatening")
        type_into(page, "Insults neighbours.", id="text")
        press(page, "Send report")
        assert "A moderator will look at your report" in banner(page)
    assert state_of(idea_id) == "hidden"
    page.context.clear_cookies()
    response = page.goto(f"/ideas/{idea_id}")
    assert response.status == 404
    check_page(page, "hidden idea: not found for the public")

    # The moderator reviews it and restores it.
    sign_in(page, moderator.email)
    page.goto("/moderation")
    check_page(page, "moderation queue with a reported idea")
    follow(page, text="Play streets on Sundays")
    assert "Insults neighbours." in page.locator("main").inner_text()
    check_page(page, "moderation item: hidden after reports")
    press(page, "Restore: make it public again")
    assert "Restored" in banner(page)
    assert state_of(idea_id) == "visible"
    page.goto("/moderation/log")
    check_page(page, "moderation log")
    assert "Restored" in page.locator("tbody").inner_text()
    page.context.clear_cookies()
    page.goto(f"/ideas/{idea_id}")
    check_page(page, "restored idea, public again")


def test_the_other_moderation_pages_by_keyboard(page, make_challenge, make_idea, make_user):
    """Person view (suspend), edit with a note, duplicates (propose, accept), site settings: keyboard only,
    each page checked."""
    moderator = make_user(role="admin", name="Ada Admin", email="ada@example.gov.uk")
    rosa = make_user(name="Rosa Resident", email="rosa@example.com")
    challenge = make_challenge("open")
    original = make_idea(challenge, title="Secure bike parking", author=make_user(name="Olu Original"))
    duplicate = make_idea(challenge, title="Bike racks at schools", author=rosa, summary="Call 07700 900123")

    sign_in(page, moderator.email)
    page.goto(f"/moderation/idea/{duplicate.id}")
    check_page(page, "moderation item: public idea")
    follow(page, text="Edit it, with a note to the author")
    check_page(page, "moderator edit")
    type_into(page, "Secure racks at every primary school.", id="summary")
    type_into(page, "Removed a phone number.", id="note")
    press(page, "Save edit")
    assert "Your edit has been saved" in banner(page)

    follow(page, text="Mark as a duplicate of another idea")
    check_page(page, "propose a duplicate")
    tab_to(page, id="original", max_presses=TABS)
    page.keyboard.press("ArrowDown")  # the first idea in the list
    press(page, "Propose as duplicate")
    assert "The author has been asked" in banner(page)

    page.goto(f"/moderation/people/{rosa.id}")
    check_page(page, "person view")
    type_into(page, "3", id="suspend-days")
    type_into(page, "Cool off, please.", id="suspend-reason")
    press(page, "Suspend")
    assert "is suspended" in banner(page)
    check_page(page, "person view, suspended")
    type_into(page, "Spoke to them.", id="lift-note")
    press(page, "Lift the suspension or ban")
    assert "can sign in and take part again" in banner(page)

    page.goto("/admin/settings")
    check_page(page, "moderation settings")
    type_into(page, "2", id="hold_first_contributions")
    press(page, "Save settings")
    assert "The settings have been saved." in banner(page)

    sign_in(page, rosa.email)
    page.goto(f"/ideas/{duplicate.id}")
    check_page(page, "idea with a duplicate proposal, as its author sees it")
    follow(page, text="Accept or decline")
    check_page(page, "decide a duplicate")
    choose(page, "decision", "Yes: mark it as a duplicate and point people to the other idea")
    press(page, "Save")
    assert "This idea is a duplicate of" in page.locator("main").inner_text()
    check_page(page, "idea marked as a duplicate")
    assert original.id
