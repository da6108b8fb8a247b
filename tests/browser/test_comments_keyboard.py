"""Comments in a real browser, keyboard only: post, edit, reply, delete, ask the champion, and a
refused empty comment. Every page on the way passes axe-core (WCAG 2.2 AA) and the Nu HTML Checker.
Skipped locally without Chromium (failing under CI=true), like every test in tests/browser."""

from __future__ import annotations


from challenges.factories import cast, make_challenge, make_idea  # noqa: F401 - fixtures

from .helpers import check_page, press_button, tab_to, type_into
PASSWORD = "correct horse battery staple"
TABS = 150  # the comment links sit at the foot of long pages


def sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    type_into(page, email, label="Email address")
    type_into(page, PASSWORD, label="Password")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow(page, text: str) -> None:
    tab_to(page, text=text, max_presses=TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def test_a_discussion_with_the_keyboard_only(page, make_challenge, make_idea, make_user):
    champion = make_user(role="staff", name="Chandra Champion", email="champion@example.gov.uk")
    rosa = make_user(name="Rosa Resident", email="rosa@example.com")
    avery = make_user(name="Avery Author", email="avery@example.com")
    challenge = make_challenge("open", champion=champion, creator=champion)
    idea = make_idea(challenge, author=avery)

    sign_in(page, rosa.email)
    page.goto(f"/ideas/{idea.id}")
    check_page(page, "idea page, no comments")
    press_button(page, "Post comment")  # empty: refused, with the GOV.UK error summary
    assert page.locator(".govuk-error-summary").inner_text().count("Enter your comment") == 1
    check_page(page, "comment form with an error")
    type_into(page, "Great idea. Racks at **every** school?", label="Add a comment")
    press_button(page, "Post comment")
    assert "Your comment has been posted." in banner(page)
    assert page.url.endswith("#comment-1")
    check_page(page, "idea page with a comment")
    follow(page, "Edit your comment")
    check_page(page, "edit comment")
    type_into(page, "Great idea. Racks at **every** primary school?", label="Your comment")
    press_button(page, "Save changes")
    assert "(edited)" in page.locator("#comment-1").inner_text()

    sign_in(page, avery.email)
    page.goto(f"/ideas/{idea.id}")
    follow(page, "Reply to Rosa Resident")
    check_page(page, "reply page")
    type_into(page, "Yes, every primary school.", label="Your reply")
    press_button(page, "Post reply")
    reply = page.locator("#comments ol ol article")
    assert reply.count() == 1 and "in reply to Rosa Resident" in reply.inner_text()
    check_page(page, "idea page with a reply")
    follow(page, "Delete your comment")
    check_page(page, "delete comment confirmation")
    press_button(page, "Delete comment")
    assert "This comment was deleted." in page.locator("#comments").inner_text()
    check_page(page, "idea page with a deleted reply")

    sign_in(page, champion.email)
    page.goto(f"/challenges/{challenge.id}")
    type_into(page, "We will decide in *March*.", label="Ask a question or comment on this challenge")
    press_button(page, "Post comment")
    assert "Official response from the council" in page.locator("#comments").inner_text()
    check_page(page, "challenge page with an official answer")
