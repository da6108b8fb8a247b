"""Who may support an idea (and withdraw that support), walked through every role and challenge state.

The answer is the kind of refusal (None = allowed). The same rule covers both
ways, so a person can always undo what they could do.
"""

from __future__ import annotations

import pytest

from challenges.world import ROLES, STATES, transient_idea, transient_user
from genius.supports.permissions import can_support_idea, can_withdraw_support, supports_refusal

STAFF = ("staff", "champion", "creator", "moderator", "admin")

# A public challenge, an idea not withdrawn: role -> state -> refusal kind.
PUBLIC = {
    "anonymous": dict.fromkeys(STATES, "sign_in"),
    "unconfirmed": {"draft": "hidden", **dict.fromkeys(STATES[1:], "confirm")},
    **{role: {"draft": "hidden", "open": None, "not_yet_open": "not_open", "closed_for_ideas": "closed",
              "reviewing": "closed", "decided": "closed", "archived": "closed"} for role in ("resident", "author")},
    **{role: {"draft": "closed", "open": None, "not_yet_open": "not_open", "closed_for_ideas": "closed",
              "reviewing": "closed", "decided": "closed", "archived": "closed"} for role in STAFF},
}


def kind(role, state, **idea_options):
    refusal = supports_refusal(transient_user(role), transient_idea(state, **idea_options))
    return None if refusal is None else refusal.kind


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_public_challenge(role, state):
    assert kind(role, state) == PUBLIC[role][state]
    allowed = PUBLIC[role][state] is None
    user, idea = transient_user(role), transient_idea(state)
    assert can_support_idea(user, idea) is allowed
    assert can_withdraw_support(user, idea) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_withdrawn_idea_keeps_its_supports_frozen(role):
    expected = {"anonymous": "sign_in", "unconfirmed": "confirm"}.get(role, "withdrawn")
    assert kind(role, "open", withdrawn=True) == expected


@pytest.mark.parametrize("role", ROLES)
def test_staff_only_challenge_is_invisible_to_everyone_else(role):
    expected = {"anonymous": "sign_in", "unconfirmed": "hidden", "resident": "hidden", "author": "hidden"}.get(role)
    assert kind(role, "open", audience="staff") == expected


@pytest.mark.parametrize(("audience", "resident"), [("staff_first_before", "hidden"), ("staff_first_after", None)])
def test_staff_first_challenge_opens_to_residents_on_its_public_date(audience, resident):
    assert kind("resident", "open", audience=audience) == resident
    assert kind("staff", "open", audience=audience) is None


def test_authors_may_support_their_own_idea():
    assert kind("author", "open") is None


def test_every_refusal_says_what_to_do_in_plain_english():
    messages = {
        "sign_in": supports_refusal(transient_user("anonymous"), transient_idea("open")).message,
        "confirm": supports_refusal(transient_user("unconfirmed"), transient_idea("open")).message,
        "withdrawn": supports_refusal(transient_user("resident"), transient_idea("open", withdrawn=True)).message,
        "closed": supports_refusal(transient_user("resident"), transient_idea("reviewing")).message,
        "not_open": supports_refusal(transient_user("resident"), transient_idea("not_yet_open")).message,
    }
    assert messages == {
        "sign_in": "Sign in to support ideas.",
        "confirm": "Confirm your email address before you support ideas. We can send the link again from your account page.",
        "withdrawn": "This idea has been withdrawn, so its supports can no longer change.",
        "closed": "This challenge has closed, so supports can no longer be given or withdrawn.",
        "not_open": "This challenge has not opened yet. You can support ideas once it opens.",
    }
