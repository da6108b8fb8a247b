"""A person creates an account, confirms it, edits the profile and signs out: keyboard only.

Every page on the way passes axe-core (WCAG 2.2 AA) and the Nu HTML Checker
(check_page). No mouse clicks and no page.fill: Tab to reach, type, Enter to act.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .helpers import check_page, focused, press_button, submit_with_enter, tab_to, type_into

NAME = "Ada Lovelace"
EMAIL = "ada@example.com"
PASSWORD = "analytical engine notes"
CONFIRM_LINK = re.compile(r"https?://\S+/confirm-email/\S+")


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def success_banner(page) -> str:
    return page.locator(".govuk-notification-banner--success").inner_text()


def test_register_confirm_sign_in_edit_profile_and_sign_out_with_the_keyboard(page, mail_outbox):
    page.goto("/")
    assert heading(page).startswith("Ideas for")
    check_page(page, "home")

    # The start button on the home page is a link styled as a button.
    tab_to(page, selector="main a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/register")
    assert heading(page) == "Create an account"
    check_page(page, "register")

    type_into(page, NAME, label="Your name")
    type_into(page, EMAIL, label="Email address")
    type_into(page, PASSWORD, label="Create a password")
    press_button(page, "Create account")
    assert page.url.endswith("/register/check-your-email")
    assert heading(page) == "Check your email"
    check_page(page, "check your email")

    # Confirm through the outbox link.
    assert [m["To"] for m in mail_outbox] == [EMAIL]
    link = CONFIRM_LINK.search(mail_outbox[0].get_content())
    assert link, mail_outbox[0].get_content()
    page.goto(link.group(0))
    assert heading(page) == "Confirm your email address", page.locator("main").inner_text()
    check_page(page, "confirm email")

    press_button(page, "Confirm my email address")
    assert page.url.endswith("/sign-in")
    assert "Your email address is confirmed" in success_banner(page)
    check_page(page, "sign in")

    type_into(page, EMAIL, label="Email address")
    type_into(page, PASSWORD, label="Password")
    submit_with_enter(page)  # Enter in the password field submits the form
    assert page.url.endswith("/account")
    assert heading(page) == "Your account"
    assert "not confirmed" not in page.locator("main").inner_text()
    check_page(page, "your account")

    tab_to(page, text="Change your profile")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Your profile"
    check_page(page, "edit profile")

    type_into(page, "Ada King", label="Your name")
    type_into(page, "Difference Engine Society", label="Organisation (optional)")
    type_into(page, "I write notes on engines.\nAnd poetry.", label="About you (optional)")
    press_button(page, "Save changes", key="Space")
    assert page.url.endswith("/account")
    assert "Your profile has been saved." in success_banner(page)
    main = page.locator("main").inner_text()
    assert "Ada King" in main and "Difference Engine Society" in main and "I write notes on engines." in main
    check_page(page, "your account after saving the profile")

    # The sign-out button sits in the header, under the site navigation.
    tab_to(page, selector="header .genius-account-bar button")
    assert page.locator("header .genius-account-bar button").inner_text().strip() == "Sign out"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/"
    assert "You have signed out." in success_banner(page)
    assert page.locator(".genius-account-bar").count() == 0
    check_page(page, "home after signing out")


def test_an_empty_registration_shows_the_error_summary_and_moves_focus_to_it(page):
    page.goto("/register")
    press_button(page, "Create account")
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    # govuk-frontend moves focus to the summary so screen reader users hear it first.
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')"), focused(page)
    messages = summary.locator("a").all_inner_texts()
    assert "Enter your name" in messages and "Enter your email address" in messages and "Enter a password" in messages
    check_page(page, "register with errors")

    # The first link in the summary takes the keyboard to the field with the problem.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Enter your name"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "display_name"


def test_statutory_pages_and_the_not_found_page(page):
    for path, title, label in [
        ("/accessibility", "Accessibility statement for GenIUS", "accessibility statement"),
        ("/privacy", "Privacy notice", "privacy notice"),
        ("/terms", "Terms of use", "terms of use"),
    ]:
        response = page.goto(path)
        assert response.status == 200
        assert heading(page) == title
        check_page(page, label)

    response = page.goto("/no-such-page")
    assert response.status == 404
    assert heading(page) == "Page not found"
    check_page(page, "page not found")
