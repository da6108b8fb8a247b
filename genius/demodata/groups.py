"""Groups, memberships and privacy choices in the scaled demo data.

Planned in memory like the rest (ids assigned here), from a generator of its own
so the other tables come out exactly as before. Roughly: a tenth of the groups
are council teams (one per team first, staff as members, owning the challenges
their champions run); a third of the people belong to one to three groups, the
popular groups far bigger than the rest; some ideas are proposed on behalf of a
group their author belongs to; every member of staff and about 40% of residents
show their name in the network view.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from random import Random

from genius.core.text import render_markdown
from genius.demodata import pools
from genius.demodata.people import People

KINDS = ("community_group", "voluntary_organisation", "business", "school_or_university", "partnership")
KIND_WEIGHTS = (45, 22, 13, 11, 9)
NOUNS = {
    "community_group": ("Residents' Association", "Community Garden", "Friends of the Park", "Youth Club",
                        "Parents' Forum", "Allotment Society", "Litter Pickers", "Walking Group", "Book Club"),
    "voluntary_organisation": ("Food Bank", "Carers' Network", "Repair Café", "Befriending Service", "Credit Union",
                               "Time Bank"),
    "business": ("Traders' Association", "Bakery", "Cycle Shop", "Coffee Roasters", "Co-working Space",
                 "Bookshop"),
    "school_or_university": ("Primary School", "Academy", "Sixth Form College", "Nursery", "University Society"),
    "partnership": ("Health Partnership", "Climate Alliance", "Cycling Partnership", "Safer Streets Partnership"),
}
DESCRIPTIONS = [
    "We meet once a month and welcome anyone who lives or works nearby.",
    "A group of neighbours working on **practical** improvements for the area.",
    "Volunteers who want to make the city greener, fairer and friendlier.",
    "We bring local people, businesses and the council together on shared projects.",
    "",
]
NETWORK_SHARE = 0.4  # residents who choose to show their name in the network view
IN_GROUPS_SHARE = 1 / 3
ON_BEHALF_SHARE = 0.3  # ideas by a group member proposed on behalf of one of their groups


class GroupPlanner:
    def __init__(self, seed: int, anchor: datetime, people: People, next_ids: dict[str, int]) -> None:
        self.rng = Random(f"groups-{seed}")
        self.anchor, self.people = anchor, people
        self.next_group, self.next_membership = next_ids["groups"], next_ids["group_memberships"]
        self.groups: list[dict] = []
        self.memberships: list[dict] = []
        self.team_of: dict[str, int] = {}  # council team name -> group id
        self.active: dict[int, list[tuple[int, datetime]]] = defaultdict(list)  # person -> (group, joined)

    # People ----------------------------------------------------------------------------------------
    def people_rows(self, users: list[dict]) -> None:
        """Privacy choices and bios' sanitised HTML on the planned user rows (each bio rendered once)."""
        rendered: dict[str, str] = {}
        for row in users:
            staff = row["role"] != "resident"
            row["show_in_network"] = staff or self.rng.random() < NETWORK_SHARE
            bio = row.get("bio") or ""
            if bio not in rendered:
                rendered[bio] = render_markdown(bio)
            row["bio_html"] = rendered[bio]

    # Groups ----------------------------------------------------------------------------------------
    def _name(self, kind: str, used: set[str]) -> str:
        rng = self.rng
        for attempt in range(50):
            place = rng.choice(self.areas)
            base = f"{place} {rng.choice(NOUNS[kind])}"
            name = base if attempt < 10 else f"{base} {rng.randint(2, 999)}"
            if name.lower() not in used:
                used.add(name.lower())
                return name
        raise RuntimeError("could not find a free group name")

    def plan(self, count: int, areas: list[str], taken: set[str] = frozenset()) -> tuple[list[dict], list[dict]]:
        """`taken`: names (lower case) already in the database: group names are unique."""
        rng, people = self.rng, self.people
        self.areas = areas or ["Centre"]
        used: set[str] = set(taken)
        teams = max(1, count // 10)
        for index in range(count):
            if index < teams:
                kind = "council_team"
                name = pools.TEAMS[index] if index < len(pools.TEAMS) else f"{rng.choice(pools.TEAMS)} ({rng.choice(self.areas)})"
                while name.lower() in used:
                    name = f"{name.split(' (')[0]} ({rng.choice(self.areas)} {rng.randint(2, 9999)})"
                used.add(name.lower())
            else:
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                name = (pools.GROUPS[index - teams] if index - teams < len(pools.GROUPS) and pools.GROUPS[index - teams].lower() not in used
                        else self._name(kind, used))
                used.add(name.lower())
            created = people.start + (self.anchor - people.start) * (0.05 + 0.9 * rng.random())
            creator = people.staff(rng, created) if kind == "council_team" else people.anyone(rng, created)
            created = max(created, people.joined_at(creator) + timedelta(hours=1))
            draw = rng.random()
            status = "approved" if kind == "council_team" or draw < 0.95 else ("proposed" if draw < 0.98 else "rejected")
            description = rng.choice(DESCRIPTIONS)
            group_id = self.next_group + index
            self.groups.append({
                "id": group_id, "name": name, "kind": kind, "description": description,
                "description_html": render_markdown(description), "is_open": kind != "council_team" and rng.random() < 0.7,
                "status": status, "created_by_id": creator, "created_at": created,
                "approved_at": created + timedelta(days=rng.randint(0, 5)) if status == "approved" else None,
                "members_count": 0,
            })
            if kind == "council_team" and name in pools.TEAMS:
                self.team_of[name] = group_id
            self._member(group_id, creator, "lead", "active", created)
        self._members()
        return self.groups, self.memberships

    def _member(self, group_id: int, person: int, role: str, state: str, moment: datetime) -> None:
        group = self.groups[group_id - self.next_group]
        self.memberships.append({
            "id": self.next_membership + len(self.memberships), "group_id": group_id, "user_id": person, "role": role,
            "state": state, "created_at": moment, "joined_at": moment if state == "active" else None,
        })
        if state == "active":
            group["members_count"] += 1
            if group["status"] == "approved":
                self.active[person].append((group_id, moment))

    def _members(self) -> None:
        rng, people = self.rng, self.people
        taken = {(m["group_id"], m["user_id"]) for m in self.memberships}
        # Staff join their own team's group.
        for person in people.staff_ids:
            team = self.team_of.get(people.organisation.get(person, ""))
            if team and (team, person) not in taken:
                taken.add((team, person))
                group = self.groups[team - self.next_group]
                self._member(team, person, "member", "active", max(group["created_at"], people.joined_at(person)) + timedelta(days=1))
        # A third of everyone in one to three groups; popular groups draw many more (a long tail).
        others = [g for g in self.groups if g["kind"] != "council_team" and g["status"] == "approved"]
        if not others:
            return
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(others))]
        rng.shuffle(others)
        for offset in range(people.count):
            person = people.first_id + offset
            if rng.random() >= IN_GROUPS_SHARE:
                continue
            for group in rng.choices(others, weights, k=rng.choice((1, 1, 1, 2, 2, 3))):
                if (group["id"], person) in taken:
                    continue
                taken.add((group["id"], person))
                start = max(group["created_at"], people.joined_at(person))
                moment = start + (self.anchor - start) * rng.random() * 0.5
                state = "requested" if not group["is_open"] and rng.random() < 0.1 else "active"
                role = "lead" if state == "active" and rng.random() < 0.05 else "member"
                self._member(group["id"], person, role, state, moment)

    # Ideas and challenges --------------------------------------------------------------------------
    def assign(self, challenges: list[dict], ideas: list[dict]) -> None:
        """Challenges to their champion's council team; some ideas on behalf of one of the author's groups."""
        rng = self.rng
        for challenge in challenges:
            team = self.team_of.get(challenge.get("owner_team") or "")
            challenge["owner_group_id"] = team if team and rng.random() < 0.75 else None
        for idea in ideas:
            mine = [g for g, joined in self.active.get(idea["author_id"], ()) if joined <= idea["created_at"]]
            idea["group_id"] = (rng.choice(mine) if mine and not idea["anonymous"] and rng.random() < ON_BEHALF_SHARE
                                else None)
