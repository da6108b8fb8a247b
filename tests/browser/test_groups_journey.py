"""Issue 6's groups journey, keyboard only: a resident proposes a group, an admin approves it,
a neighbour joins it and follows a member's name to their profile. Every page on the way passes
axe-core (WCAG 2.2 AA) and the Nu HTML Checker."""

from __future__ import annotations

from challenges.factories import cast, make_challenge  # noqa: F401 - fixtures

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


def choose_radio(page, name: str, label: str) -> None:
    """A radio group takes one Tab stop; arrow keys move the choice within it."""
    tab_to(page, selector=f"input[type=radio][name={name}]")
    current = "() => document.activeElement.labels[0].textContent.trim()"
    for _ in range(12):
        if page.evaluate(current) == label:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate(current) == label
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")


def press_form_button(page, action_ending: str) -> None:
    tab_to(page, selector=f"form[action$='{action_ending}'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_propose_approve_join(page, make_user, app):
    rosa = make_user(role="resident", name="Rosa Resident", email="rosa@example.com")
    admin = make_user(role="admin", name="Ada Admin", email="ada@example.gov.uk")
    nat = make_user(role="resident", name="Nat Neighbour", email="nat@example.com")

    # A resident proposes a group.
    sign_in_with_keyboard(page, rosa.email)
    follow_link(page, "Groups")
    assert heading(page) == "Groups"
    check_page(page, "group index (resident, empty)")
    follow_link(page, "Propose a group")
    assert heading(page) == "Propose a group"
    check_page(page, "propose a group form")
    press_button(page, "Save group")  # nothing filled in: the error summary
    assert "Enter the group's name" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, "propose a group form with errors")
    type_into(page, "Clifton Community Garden", label="Name of the group")
    choose_radio(page, "kind", "Community group")
    type_into(page, "Neighbours growing food together. **Everyone welcome.**", label="About the group (optional)")
    choose_radio(page, "joining", "Anyone can join straight away")
    press_button(page, "Save group")
    assert heading(page) == "Clifton Community Garden", page.locator("main").inner_text()
    assert "sent to the site's administrators" in banner(page)
    assert "waiting for approval" in page.locator("main").inner_text()
    check_page(page, "proposed group page (proposer)")
    group_url = page.url
    page.goto("/account/profile")
    check_page(page, "profile form with the network choice")
    tab_to(page, label="Show my name in the network view")
    page.keyboard.press("Space")
    press_button(page, "Save changes")
    sign_out_with_keyboard(page)

    # Nobody else sees it yet.
    assert page.goto(group_url).status == 404

    # An admin approves it.
    sign_in_with_keyboard(page, admin.email)
    follow_link(page, "Groups")
    follow_link(page, "Groups waiting for approval")
    assert heading(page) == "Groups waiting for approval"
    check_page(page, "group proposals (admin)")
    press_form_button(page, "/approve")
    assert "Clifton Community Garden has been approved." in banner(page)
    assert "No groups are waiting." in page.locator("main").inner_text()
    check_page(page, "group proposals, none left")
    sign_out_with_keyboard(page)

    # A neighbour finds it, joins it, and follows the lead's name to her profile.
    sign_in_with_keyboard(page, nat.email)
    follow_link(page, "Groups")
    check_page(page, "group index (one group)")
    follow_link(page, "Clifton Community Garden")
    assert heading(page) == "Clifton Community Garden"
    check_page(page, "group page before joining")
    press_button(page, "Join this group")
    assert "You have joined Clifton Community Garden." in banner(page)
    assert "2 members" in page.locator("main").inner_text()
    check_page(page, "group page after joining")
    follow_link(page, "Rosa Resident")
    assert heading(page) == "Rosa Resident"
    assert "Clifton Community Garden" in page.locator("#groups + ul").inner_text()
    check_page(page, "profile page")
    page.goto(group_url)
    press_button(page, "Leave this group")
    assert "You have left Clifton Community Garden." in banner(page)
    check_page(page, "group page after leaving")


def test_a_lead_accepts_a_request_and_makes_a_lead(page, make_user, make_challenge, app):
    from genius.extensions import db
    from genius.groups import services

    lead = make_user(role="staff", name="Sam Staff", email="sam@example.gov.uk")
    asker = make_user(role="resident", name="Rosa Resident", email="rosa@example.com")
    group = services.create_group(lead, services.GroupData("Transport team", "council_team", "Roads and buses.", False))
    services.join_group(group, asker)
    db.session.commit()
    challenge = make_challenge("open", title="How might we cut congestion?", champion=lead, creator=lead)

    sign_in_with_keyboard(page, asker.email)
    page.goto(f"/groups/{group.id}")
    assert "You have asked to join this group." in page.locator("main").inner_text()
    check_page(page, "closed group page (asked to join)")
    sign_out_with_keyboard(page)

    sign_in_with_keyboard(page, lead.email)
    page.goto(f"/groups/{group.id}")
    assert "Requests to join" in page.locator("main").inner_text()
    check_page(page, "closed group page with a request (lead)")
    press_form_button(page, "/accept")
    assert "Rosa Resident is now a member." in banner(page)
    check_page(page, "group page with a new member (lead)")
    press_form_button(page, "/make-lead")
    assert "Rosa Resident is now a lead of Transport team." in banner(page)
    assert "Leave this group" in page.locator("main").inner_text()
    check_page(page, "group page with two leads")
    follow_link(page, "Edit this group")
    check_page(page, "edit group form")
    # Staff give the challenge to the team on the challenge form.
    page.goto(f"/challenges/{challenge.id}/edit")
    check_page(page, "challenge form with the owning team")
    tab_to(page, label="Council team group that owns it (optional)")
    page.keyboard.press("ArrowDown")  # from "None" to the first team
    press_button(page, "Save challenge")
    assert "The challenge has been updated." in banner(page)
    assert "Owned by" in page.locator("main").inner_text()
    sign_out_with_keyboard(page)

    # The new member proposes an idea on behalf of the team.
    sign_in_with_keyboard(page, asker.email)
    page.goto(f"/challenges/{challenge.id}/ideas/new")
    check_page(page, "idea form with the group choice")
    type_into(page, "A park and ride from the ring road", label="Title of your idea")
    type_into(page, "Free parking with a bus every ten minutes.", label="Summary")
    tab_to(page, label="Proposed by")
    page.keyboard.press("ArrowDown")  # from "Just me" to the team
    press_button(page, "Post your idea")
    assert "on behalf of Transport team" in page.locator("main").inner_text()
    check_page(page, "idea page on behalf of a group")
    follow_link(page, "Transport team")
    assert "A park and ride from the ring road" in page.locator("#ideas + ul").inner_text()
    assert "How might we cut congestion?" in page.locator("#challenges + ul").inner_text()
    check_page(page, "council team page with an idea and a challenge")
