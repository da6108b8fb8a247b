"""A small set of demo data, so `make run` shows a living site."""

from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select

from genius.accounts import services
from genius.accounts.models import Role, User
from genius.extensions import db

DEMO_PASSWORD = "demo-password-york"

DEMO_PEOPLE = [
    ("admin@example.gov.uk", "Ada Admin", Role.ADMIN, "City of York Council", "Runs the innovation team."),
    ("moderator@example.gov.uk", "Mo Moderator", Role.MODERATOR, "City of York Council", "Keeps the discussion civil."),
    ("champion@example.gov.uk", "Chandra Champion", Role.STAFF, "Transport team", "Champion for active travel."),
    ("staff@example.gov.uk", "Sam Staff", Role.STAFF, "Housing team", ""),
    ("resident@example.com", "Rosa Resident", Role.RESIDENT, "Clifton Community Garden", "Gardener and cyclist."),
    ("neighbour@example.com", "Nat Neighbour", Role.RESIDENT, "", ""),
]


def load_demo(force: bool = False, echo: Callable[[str], None] = print) -> bool:
    count = db.session.scalar(select(func.count()).select_from(User))
    if count and not force:
        echo(f"The database already has {count} people; demo data not loaded.")
        return False
    with click_progress(DEMO_PEOPLE, "people", echo) as people:
        for email, name, role, organisation, bio in people:
            if services.find_by_email(email):
                continue
            user = services.create_user(email, name, DEMO_PASSWORD, role=role, confirmed=True, granted_by="cli")
            user.role = role.value
            user.organisation = organisation
            user.bio = bio
    db.session.commit()
    echo("")
    echo("Demo sign-ins (password for all: %s):" % DEMO_PASSWORD)
    for email, name, role, *_ in DEMO_PEOPLE:
        echo(f"  {role.label:<14} {email:<28} {name}")
    return True


def click_progress(items, label: str, echo):
    import click

    return click.progressbar(items, label=f"Loading {label}", show_pos=True)
