"""Where each node is first drawn: computed on the server in linear time, so the browser can draw at once.

Communities sit on a sunflower (Vogel) spiral, largest in the middle, each a disc whose area grows with
its size; inside a disc its nodes sit on a smaller sunflower, best linked first (in the middle).
networkx's force layouts take minutes at 10,000 nodes (measured, see bench/NETWORK.md); this takes
milliseconds and keeps each community together, which is what a reader looks for.
"""

from __future__ import annotations

import math

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def sunflower(count: int, index: int) -> tuple[float, float]:
    """The index-th of `count` points spread evenly over a unit disc."""
    r = math.sqrt((index + 0.5) / max(count, 1))
    theta = index * GOLDEN_ANGLE
    return r * math.cos(theta), r * math.sin(theta)


def positions(community: dict, degree: dict) -> dict:
    """Node -> (x, y)."""
    members: dict[int, list] = {}
    for node, number in community.items():
        members.setdefault(number, []).append(node)
    placed = {}
    total = sum(len(m) for m in members.values()) or 1
    done = 0
    for order, number in enumerate(sorted(members)):
        nodes = sorted(members[number], key=lambda n: (-degree.get(n, 0), str(n)))
        size = len(nodes)
        # Centre: on an outer sunflower, at the radius that leaves room for everything placed before.
        radius_before = math.sqrt(done + size / 2)
        angle = order * GOLDEN_ANGLE
        cx, cy = (radius_before * math.cos(angle), radius_before * math.sin(angle)) if order else (0.0, 0.0)
        spread = math.sqrt(size) * 0.8
        for index, node in enumerate(nodes):
            x, y = sunflower(size, index)
            placed[node] = (round((cx + x * spread) / math.sqrt(total), 4), round((cy + y * spread) / math.sqrt(total), 4))
        done += size
    return placed
