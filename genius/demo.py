"""A small set of demo data, so `make run` shows a living site.

Everything goes through the real services, so counters, search and status
trails are exactly what the site itself would have made.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

import click
from sqlalchemy import func, select

from genius.accounts import services as accounts
from genius.accounts.models import Role, User
from genius.challenges import services as challenges
from genius.core.dates import local_day
from genius.core.models import utcnow
from genius.groups.models import Membership
from genius.extensions import db
from genius.groups import services as groups
from genius.ideas import services as ideas

DEMO_PASSWORD = "demo-password-york"

DEMO_PEOPLE = [
    ("admin@example.gov.uk", "Ada Admin", Role.ADMIN, "City of York Council", "Runs the innovation team."),
    ("moderator@example.gov.uk", "Mo Moderator", Role.MODERATOR, "City of York Council", "Keeps the discussion civil."),
    ("champion@example.gov.uk", "Chandra Champion", Role.STAFF, "Transport team", "Champion for active travel."),
    ("staff@example.gov.uk", "Sam Staff", Role.STAFF, "Housing team", ""),
    ("resident@example.com", "Rosa Resident", Role.RESIDENT, "Clifton Community Garden", "Gardener and cyclist."),
    ("neighbour@example.com", "Nat Neighbour", Role.RESIDENT, "", ""),
]

# (title, summary, background, champion email, days open so far, days left, audience, tags, final status)
DEMO_CHALLENGES = [
    ("How might we make it easier to cycle to school?",
     "Help more children cycle or scoot to school safely.",
     "Only **1 in 8** primary pupils in York cycle to school, yet most live within two miles of it.\n\n"
     "We want ideas that make the journey safer and more fun: routes, storage, training, events.",
     "champion@example.gov.uk", 10, 30, "public", ["transport", "schools", "health"], "open"),
    ("How can we cut food waste from council events?",
     "Ideas to reduce, redistribute or compost food from council-run events.",
     "Council events throw away an estimated 2 tonnes of food a year. What would you do?",
     "staff@example.gov.uk", 60, -5, "public", ["environment", "events"], "reviewing"),
    ("What should the Clifton community hub offer?",
     "Shape the services in the new community hub.",
     "The hub opens next year. We asked residents what they want in it.",
     "champion@example.gov.uk", 120, -60, "public", ["community", "buildings"], "decided"),
    ("How might staff share vans across departments?",
     "An internal challenge for council staff: fewer vans, better used.",
     "Departments own 140 vans between them; telematics says most are parked 70% of the working week.",
     "staff@example.gov.uk", 5, 20, "staff", ["fleet", "internal"], "open"),
]

# (name, kind, open?, proposer, members, people asking to join, description, reviewed by an admin?)
DEMO_GROUPS = [
    ("Transport team", "council_team", False, "champion@example.gov.uk", ["staff@example.gov.uk"], [],
     "The council team for roads, buses, cycling and walking.", True),
    ("Clifton Community Garden", "community_group", True, "resident@example.com", ["neighbour@example.com"], [],
     "Neighbours growing food together on Bootham Row. **Everyone welcome** on Saturday mornings.", True),
    ("York Cycle Campaign", "voluntary_organisation", False, "neighbour@example.com", [], ["resident@example.com"],
     "Volunteers campaigning for safe cycling across the city.", True),
    ("Holgate Parents' Forum", "community_group", True, "neighbour@example.com", [], [],
     "Parents of children at Holgate's schools.", False),
]

DEMO_IDEAS = [
    (0, "resident@example.com", "Bike racks at every primary school", "Covered, secure racks so bikes are not left in the rain.", ["transport", "schools"], "Clifton"),
    (0, "neighbour@example.com", "School streets on weekday mornings", "Close the road outside schools to cars at drop-off and pick-up.", ["transport", "health"], "Holgate"),
    (0, "resident@example.com", "Bike bus led by parent volunteers", "A group ride that picks children up along a set route.", ["schools"], "Acomb"),
    (1, "neighbour@example.com", "Give leftovers to the food bank", "Arrange a same-day collection by the local food bank.", ["events"], "Guildhall"),
    (1, "resident@example.com", "Order by sign-up, not by guess", "Ask attendees to confirm, and cater to the confirmed number.", ["events"], None),
    (2, "resident@example.com", "A repair café once a month", "Volunteers fix bikes, toasters and clothes, free.", ["community"], "Clifton"),
    (2, "neighbour@example.com", "A seed library", "Borrow seeds in spring, return some from your harvest.", ["community"], "Clifton", "Clifton Community Garden"),
    (3, "champion@example.gov.uk", "A shared booking calendar for vans", "One calendar across departments, with keys in a locker.", ["fleet"], None),
]


def load_demo(force: bool = False, echo: Callable[[str], None] = print) -> bool:
    count = db.session.scalar(select(func.count()).select_from(User))
    if count and not force:
        echo(f"The database already has {count} people; demo data not loaded.")
        return False
    people: dict[str, User] = {}
    with click.progressbar(DEMO_PEOPLE, label="Loading people      ", show_pos=True) as bar:
        for email, name, role, organisation, bio in bar:
            user = accounts.find_by_email(email) or accounts.create_user(email, name, DEMO_PASSWORD, role=role, confirmed=True, granted_by="cli")
            user.role, user.organisation, user.bio = role.value, organisation, bio
            people[email] = user
    people["resident@example.com"].show_in_network = True  # Rosa chose to; Nat did not
    db.session.flush()

    made_groups = {}
    for name, kind, is_open, proposer, members, asking, description, reviewed in DEMO_GROUPS:
        group = groups.create_group(people[proposer], groups.GroupData(name, kind, description, is_open))
        if reviewed and not group.is_approved:
            groups.approve_group(group)
        for email in members + asking:
            groups.join_group(group, people[email])
        for membership in db.session.scalars(select(Membership).where(Membership.group_id == group.id,
                                                                      Membership.state == "requested")):
            if people["resident@example.com"].id != membership.user_id:
                groups.accept_request(group, membership.id)
        made_groups[name] = group

    today = local_day(utcnow())
    made = []
    with click.progressbar(DEMO_CHALLENGES, label="Loading challenges  ", show_pos=True) as bar:
        for title, summary, background, champion, opened, left, audience, tags, final in bar:
            data = challenges.ChallengeData(
                title=title, summary=summary, background=background, champion_id=people[champion].id,
                opens_on=today - timedelta(days=opened), closes_on=today + timedelta(days=left),
                audience=audience, tags=tags, owner_team=people[champion].organisation,
                owner_group_id=made_groups["Transport team"].id if "transport" in tags else None,
                next_steps="A selection panel picks up to three ideas for a workshop, then a pilot.",
            )
            challenge = challenges.create_challenge(data, people["admin@example.gov.uk"])
            challenges.change_status(challenge, "open", people[champion])
            made.append((challenge, final))

    with click.progressbar(DEMO_IDEAS, label="Loading ideas       ", show_pos=True) as bar:
        for index, author, title, summary, tag_names, area, *on_behalf in bar:
            challenge = made[index][0]
            # Post while open (the demo back-dates nothing; closed challenges get their ideas first).
            saved_close = challenge.closes_at
            challenge.closes_at = max(saved_close, utcnow() + timedelta(days=1))
            idea = ideas.propose_idea(challenge, people[author], ideas.IdeaData(
                title=title, summary=summary,
                description=f"{summary}\n\nThis would help families across the district.",
                tag_ids=[t.id for t in challenge.tags if t.name in tag_names], area=area,
                group_id=made_groups[on_behalf[0]].id if on_behalf else None,
            ))
            challenge.closes_at = saved_close
            if index == 0 and title.startswith("Bike racks"):
                ideas.respond(idea, people["champion@example.gov.uk"], "under_consideration",
                              "Thank you. We are costing racks for the ten schools with the most requests.")
            if title.startswith("A repair café"):
                ideas.respond(idea, people["champion@example.gov.uk"], "selected",
                              "Selected for the hub's first year: the hub will host it on the first Saturday of each month.")
    for challenge, final in made:
        if final in ("reviewing", "decided"):
            challenges.change_status(challenge, "reviewing", people["admin@example.gov.uk"])
        if final == "decided":
            challenges.change_status(challenge, "decided", people["admin@example.gov.uk"],
                                     "The hub will host a monthly repair café, chosen by residents and the panel.")
    from genius.ideas.trending import refresh

    refresh()  # the trending sort's stored counts
    db.session.commit()
    echo("")
    echo("Demo sign-ins (password for all: %s):" % DEMO_PASSWORD)
    for email, name, role, *_ in DEMO_PEOPLE:
        echo(f"  {role.label:<14} {email:<28} {name}")
    return True
