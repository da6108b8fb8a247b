"""The shape of generated data: phases, status mixes and response paths, and the small
records the planner keeps per challenge and idea (split out of plan.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from genius.core.text import render_markdown

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)

# What a reader sees of a challenge; "opening soon" and "closed" are status open with dates around now.
PHASES = ("open", "opening_soon", "closed", "reviewing", "decided", "archived", "draft")
PHASE_WEIGHTS = (30, 5, 8, 15, 17, 15, 10)
# The first challenges take every phase in turn, and these audiences, so even `small` has them all.
FIRST_AUDIENCES = ("public", "public", "staff_first", "staff", "public", "public", "public")
TAKES_IDEAS = ("open", "closed", "reviewing", "decided", "archived")

# Final idea status by challenge phase, with weights; each status has a path of official responses.
IDEA_STATUS_MIX = {
    "open": (("submitted", 85), ("under_consideration", 15)),
    "closed": (("submitted", 60), ("under_consideration", 40)),
    "reviewing": (("submitted", 25), ("under_consideration", 35), ("shortlisted", 25), ("not_taken_forward", 15)),
    "decided": (("submitted", 5), ("not_taken_forward", 35), ("shortlisted", 25), ("selected", 20),
                ("in_progress", 10), ("implemented", 5)),
    "archived": (("not_taken_forward", 40), ("shortlisted", 15), ("selected", 15), ("in_progress", 10),
                 ("implemented", 20)),
}
PATHS = {
    "submitted": (),
    "under_consideration": ("under_consideration",),
    "shortlisted": ("under_consideration", "shortlisted"),
    "not_taken_forward": ("under_consideration", "not_taken_forward"),
    "selected": ("under_consideration", "shortlisted", "selected"),
    "in_progress": ("under_consideration", "shortlisted", "selected", "in_progress"),
    "implemented": ("under_consideration", "shortlisted", "selected", "in_progress", "implemented"),
}


class Markdown:
    """render_markdown, once per distinct source (the pools make texts repeat)."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, source: str) -> str:
        html = self.cache.get(source)
        if html is None:
            html = self.cache[source] = render_markdown(source)
        return html


@dataclass
class _ChallengePlan:
    phase: str
    topic: int
    opens: datetime
    closes: datetime
    audience: str
    champion: int
    trail: list[tuple[str | None, str, datetime]]
    public_from: datetime | None
    tags: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _IdeaPlan:
    staff_only: bool
    tags: list[str]
    popularity: float
    supports_until: datetime | None = None
