"""The roles and challenge states every permission test walks, and their written-out answers.

Permission checks are plain functions of (user, object), so the tables use
unsaved model objects; each permission file also checks its HTTP route for a
representative subset against the real database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin

from genius.accounts.models import User
from genius.challenges.models import Challenge, ChallengeTag
from genius.core.models import utcnow
from genius.ideas.models import Idea

ROLES = ("anonymous", "unconfirmed", "resident", "author", "staff", "champion", "creator", "moderator", "admin")
STATES = ("draft", "open", "not_yet_open", "closed_for_ideas", "reviewing", "decided", "archived")
AUDIENCES = ("public", "staff", "staff_first_before", "staff_first_after")

# The role each cast member has in the users table ("author" wrote the idea; "creator" posted the challenge).
ROLE_OF = {"unconfirmed": "resident", "resident": "resident", "author": "resident", "staff": "staff",
           "champion": "staff", "creator": "staff", "moderator": "moderator", "admin": "admin"}
NAME_OF = {"author": "Avery Author", "champion": "Charlie Champion", "creator": "Casey Creator"}
_IDS = {role: n for n, role in enumerate(ROLES[1:], start=1)}


def state_fields(state: str, now: datetime | None = None) -> dict:
    """Columns that put a challenge in one of the STATES (dates relative to now, with days of margin)."""
    now = now or utcnow()
    day = timedelta(days=1)
    fields = {
        "draft": dict(status="draft", opens_at=now - day, closes_at=now + 30 * day),
        "open": dict(status="open", opens_at=now - day, closes_at=now + 30 * day),
        "not_yet_open": dict(status="open", opens_at=now + 2 * day, closes_at=now + 30 * day),
        "closed_for_ideas": dict(status="open", opens_at=now - 30 * day, closes_at=now - day),
        "reviewing": dict(status="reviewing", opens_at=now - 30 * day, closes_at=now - day),
        "decided": dict(status="decided", opens_at=now - 60 * day, closes_at=now - 30 * day,
                        outcome_source="Decided.", outcome_html='<p class="govuk-body">Decided.</p>'),
        "archived": dict(status="archived", opens_at=now - 90 * day, closes_at=now - 60 * day,
                         outcome_source="Decided.", outcome_html='<p class="govuk-body">Decided.</p>'),
    }
    return fields[state]


def audience_fields(audience: str, now: datetime | None = None) -> dict:
    now = now or utcnow()
    return {
        "public": dict(audience="public", public_from=None),
        "staff": dict(audience="staff", public_from=None),
        "staff_first_before": dict(audience="staff_first", public_from=now + timedelta(days=3)),
        "staff_first_after": dict(audience="staff_first", public_from=now - timedelta(days=1)),
    }[audience]


def transient_user(role: str):
    if role == "anonymous":
        return AnonymousUserMixin()
    return User(id=_IDS[role], email=f"{role}@example.com", display_name=NAME_OF.get(role, role.title()),
                role=ROLE_OF[role], session_version=1,
                email_confirmed_at=None if role == "unconfirmed" else utcnow() - timedelta(days=100))


def transient_challenge(state: str, audience: str = "public") -> Challenge:
    return Challenge(id=1, title="A challenge", summary="Summary", champion_id=_IDS["champion"],
                     created_by_id=_IDS["creator"], ideas_count=1, tags=[ChallengeTag(id=1, name="transport")],
                     **state_fields(state), **audience_fields(audience))


def transient_idea(state: str, audience: str = "public", withdrawn: bool = False, anonymous: bool = False) -> Idea:
    challenge = transient_challenge(state, audience)
    return Idea(id=1, challenge_id=challenge.id, challenge=challenge, author_id=_IDS["author"], title="An idea",
                summary="Summary", status="submitted", anonymous=anonymous,
                withdrawn_at=utcnow() - timedelta(hours=1) if withdrawn else None)


def table(expected: dict[str, str], audience: str = "public", **extra) -> list:
    """pytest params (role, state, audience, answer) from a table: per role, one Y or N per STATES."""
    params = []
    assert set(expected) == set(ROLES), f"every role needs a row: missing {set(ROLES) - set(expected)}"
    for role, row in expected.items():
        answers = row.split()
        assert len(answers) == len(STATES) and set(answers) <= {"Y", "N"}, f"{role}: one Y or N per state"
        for state, answer in zip(STATES, answers):
            params.append(pytest.param(role, state, audience, answer == "Y", id=f"{audience}-{role}-{state}"))
    return params
