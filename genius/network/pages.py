"""Shaping a cached network for the page: pages of the node and link tables, the trend chart."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

PER_PAGE = 50
SORTS = {"degree": "Links", "betweenness": "Betweenness", "strength": "Activity", "name": "Name"}
KIND_LABELS = {"person": "Person", "group": "Group", "challenge": "Challenge"}
GROUP_KIND_LABELS = {
    "council_team": "Council team", "community_group": "Community group",
    "voluntary_organisation": "Voluntary organisation", "business": "Business",
    "school_or_university": "School, college or university", "partnership": "Partnership",
}
LINK_LABELS = {"membership": "Member", "on_behalf": "Ideas on behalf of the group", "co_working": "Worked together",
               "idea": "Ideas in the challenge", "owner": "Owns the challenge"}


@dataclass
class ListPage:
    items: list
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2) -> Iterator[int | None]:
        pages_end = self.pages + 1
        left_end = min(1 + left_edge, pages_end)
        yield from range(1, left_end)
        if left_end == pages_end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, pages_end)
        if mid_start - left_end > 0:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == pages_end:
            return
        right_start = max(mid_end, pages_end - right_edge)
        if right_start - mid_end > 0:
            yield None
        yield from range(right_start, pages_end)


def page_of(items: list, number: int) -> ListPage:
    pages = max(1, math.ceil(len(items) / PER_PAGE))
    number = min(max(number, 1), pages)
    start = (number - 1) * PER_PAGE
    return ListPage(items[start:start + PER_PAGE], number, len(items))


def node_label(node: dict) -> str:
    return node["label"] or "A person who keeps their name private"


def sorted_nodes(nodes: list[dict], sort: str) -> list[dict]:
    if sort == "name":
        return sorted(nodes, key=lambda n: (node_label(n).casefold(), n["id"]))
    return sorted(nodes, key=lambda n: (-n[sort], node_label(n).casefold(), n["id"]))


@dataclass
class Bar:
    month: str
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


def month_label(month: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    year, number = month.split("-")
    return f"{names[int(number) - 1]} {year}"


def chart(trend: list[dict], measure: str, width: int = 640, height: int = 160) -> dict:
    """Bars for one measure of the trend, as numbers an SVG template can draw (no inline styles: CSP)."""
    rows = trend[-36:]
    top = max([row[measure] for row in rows] + [1])
    gap = 2
    slot = width / max(len(rows), 1)
    bars = []
    for index, row in enumerate(rows):
        h = round(row[measure] / top * (height - 20), 1)
        bars.append(Bar(row["month"], month_label(row["month"]), row[measure], round(index * slot + gap / 2, 1),
                        round(height - h, 1), round(max(slot - gap, 1), 1), h))
    return {"bars": bars, "top": top, "width": width, "height": height,
            "first": month_label(rows[0]["month"]) if rows else "", "last": month_label(rows[-1]["month"]) if rows else ""}
