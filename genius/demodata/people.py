"""Generated people: who they are, and who had joined by a given moment."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from random import Random

from genius.accounts.models import STAFF_ROLES
from genius.demodata import pools


class People:
    """People join at a steady rate, ids in joining order, so 'who existed then' is an id range."""

    def __init__(self, first_id: int, count: int, start: datetime, end: datetime) -> None:
        self.first_id, self.count, self.start, self.span = first_id, count, start, end - start
        self.created: list[datetime] = []
        self.roles: list[str] = []
        self.staff_ids: list[int] = []
        self.organisation: dict[int, str] = {}  # staff only: their team
        self.admin_ids: list[int] = []

    def plan(self, rng: Random, shared_hash: str, fixed: list[tuple]) -> list[dict]:
        """Rows for `users`: ~95% residents; `fixed` (the usual demo sign-ins) come first."""
        rows = []
        step = self.span / self.count
        for index in range(self.count):
            person_id = self.first_id + index
            created = self.start + step * index + step * rng.random()
            first, last = rng.choice(pools.FIRST_NAMES), rng.choice(pools.LAST_NAMES)
            if index < len(fixed):
                email, name, role_enum, organisation, bio = fixed[index]
                role = role_enum.value
            else:
                draw = rng.random()
                role = ("admin" if draw < 0.0005 else "moderator" if draw < 0.0015
                        else "staff" if draw < 0.045 else "resident")
                name = f"{first} {last}"
                if role == "resident":
                    email = f"{first}.{last}.{person_id}@example.com".lower()
                    organisation = rng.choice(pools.GROUPS) if rng.random() < 0.05 else ""
                else:
                    email = f"{first}.{last}.{person_id}@example.gov.uk".lower()
                    organisation = rng.choice(pools.TEAMS)
                bio = rng.choice(pools.BIOS) if rng.random() < 0.2 else ""
            self.created.append(created)
            self.roles.append(role)
            if role in STAFF_ROLES:
                self.staff_ids.append(person_id)
                self.organisation[person_id] = organisation
            if role == "admin":
                self.admin_ids.append(person_id)
            rows.append({
                "id": person_id, "email": email, "display_name": name, "password_hash": shared_hash, "role": role,
                "role_granted_by": None if role == "resident" else "cli",
                "email_confirmed_at": created + timedelta(minutes=5 + rng.randrange(600)),
                "bio": bio, "organisation": organisation, "session_version": 1,
                "created_at": created, "updated_at": created,
            })
        if not self.staff_ids:
            raise ValueError("the generated people include no council staff; use a larger scale")
        self.admin_ids = self.admin_ids or self.staff_ids[:1]
        return rows

    def joined_by(self, moment: datetime) -> int:
        """How many people had joined by then (always a few, so early events have someone)."""
        share = (moment - self.start) / self.span
        return max(min(self.count, 10), min(self.count, int(share * self.count)))

    def staff_joined_by(self, moment: datetime) -> int:
        known = bisect.bisect_left(self.staff_ids, self.first_id + self.joined_by(moment))
        return max(known, min(4, len(self.staff_ids)))

    def anyone(self, rng: Random, moment: datetime) -> int:
        return self.first_id + rng.randrange(self.joined_by(moment))

    def staff(self, rng: Random, moment: datetime) -> int:
        return self.staff_ids[rng.randrange(self.staff_joined_by(moment))]

    def sample(self, rng: Random, moment: datetime, count: int, staff_only: bool) -> list[int]:
        """`count` different people who had joined by then (staff only for staff-only content)."""
        if staff_only:
            return [self.staff_ids[n] for n in rng.sample(range(self.staff_joined_by(moment)), count)]
        return [self.first_id + n for n in rng.sample(range(self.joined_by(moment)), count)]

    def is_staff(self, person_id: int) -> bool:
        return self.roles[person_id - self.first_id] in STAFF_ROLES

    def joined_at(self, person_id: int) -> datetime:
        return self.created[person_id - self.first_id]
