"""Shaping a cached network for the page: pages of the node and link tables, the trend chart."""

from __future__ import annotations

import math
from dataclasses import dataclass

from genius.core.pagination import ListPagination

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


def page_of(items: list, number: int) -> ListPagination:
    """The page of a list; a number past the end gives the last page."""
    pages = max(1, math.ceil(len(items) / PER_PAGE))
    number = min(max(number, 1), pages)
    start = (number - 1) * PER_PAGE
    return ListPagination(items[start:start + PER_PAGE], len(items), number, PER_PAGE)


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
