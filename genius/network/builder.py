"""Build the network of a scope from the database in one pass: a handful of GROUP BY queries.

Nodes are people, approved groups and (as an option) challenges; links are
- membership: an active member of an approved group (weight 1);
- on behalf: ideas a person proposed on behalf of a group (weight: how many);
- co-working: one person commented on or supported another person's idea (weight: how many, both
  directions added together, so the link is undirected);
- idea: ideas a person proposed in a challenge, and the council team that owns a challenge (challenge
  nodes only).

Who appears: people with at least one link in the scope (so someone who never took part is not a dot);
every approved group in the whole-site scope (so isolated groups show). Deleted accounts never appear.
People who have not chosen "show my name in the network view" appear without name or page (see
serialise.py for how their ids are made).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from genius.extensions import db
from genius.network import queries
from genius.network.scope import Scope

Key = tuple[str, int]  # ("p", user id) | ("g", group id) | ("c", challenge id)
IN_CHUNK = 5000


@dataclass(frozen=True)
class Within:
    """The part of the site a build keeps to, so the database reads only its rows.

    - the capped site: `people` are the most connected people, `touching` False: only links among them (and
      their memberships and ideas on behalf of groups), and the groups they link to;
    - a neighbourhood (group or person scope): `people`, `groups` and `challenges` are the nodes within
      two steps of the centre, `touching` True: their links to each other, and for the monthly trend
      everything they did, as in the whole-site graph cut down to them.
    """
    people: frozenset[int]
    groups: frozenset[int] | None = None  # None: every approved group...
    linked_groups_only: bool = False  # ...or (True) only those linked to one of the people
    challenges: frozenset[int] | None = None  # None: every visible challenge (when drawn)
    touching: bool = False


@dataclass
class RawNetwork:
    nodes: dict[Key, dict] = field(default_factory=dict)
    links: dict[tuple[Key, Key], dict] = field(default_factory=dict)
    person_groups: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Activity by month, for the flotilla trend.
    month_people: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    month_groups: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    month_pairs: dict[str, set[tuple[int, int]]] = field(default_factory=lambda: defaultdict(set))
    challenge_titles: dict[int, str] = field(default_factory=dict)

    def link(self, a: Key, b: Key, kind: str) -> dict:
        key = (a, b) if a <= b else (b, a)
        found = self.links.get(key)
        if found is None:
            found = self.links[key] = {"kind": kind, "comments": 0, "supports": 0, "ideas": 0, "member": False}
        return found


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def build(viewer, scope: Scope, now: datetime, dialect: str, within: Within | None = None) -> RawNetwork:
    """The raw network for a site or challenge scope, or (`within`) the part of the site given."""
    challenge_id = scope.id if scope.kind == "challenge" else None
    start, end = scope.start_at, scope.end_before
    run = db.session.execute
    chosen = sorted(within.people) if within is not None else None
    touching = within is not None and within.touching
    on_behalf_of = sorted(within.groups) if touching and within.groups is not None else None
    rows = run(queries.activity(viewer, now, dialect, challenge_id, start, end, chosen, touching, on_behalf_of)).all()
    comment_rows = [(a, b, month, n) for what, a, b, _c, month, n in rows if what == "comments"]
    support_rows = [(a, b, month, n) for what, a, b, _c, month, n in rows if what == "supports"]
    idea_rows = [row[1:] for row in rows if row[0] == "ideas"]
    del rows
    member_rows = run(queries.memberships(end, chosen)).all()
    groups = {gid: (name, kind) for gid, name, kind in run(queries.groups(end)).all()}
    challenges = {}
    if scope.challenges or challenge_id is not None:
        challenges = {cid: (title, owner) for cid, title, owner in run(queries.challenges(viewer, now, challenge_id)).all()}
    kept_people = within.people if within is not None else None
    kept_groups = within.groups if within is not None else None
    kept_challenges = within.challenges if within is not None else None

    def keeps(key: Key) -> bool:
        kept = {"p": kept_people, "g": kept_groups, "c": kept_challenges}[key[0]]
        return kept is None or key[1] in kept

    ids = {a for a, _b, _m, _n in comment_rows} | {b for _a, b, _m, _n in comment_rows}
    ids |= {a for a, _b, _m, _n in support_rows} | {b for _a, b, _m, _n in support_rows}
    ids |= {row[0] for row in idea_rows} | {uid for uid, _gid in member_rows}
    ordered = sorted(ids)
    live: dict[int, tuple[str, bool]] = {}
    for i in range(0, len(ordered), IN_CHUNK):
        for uid, name, shown in run(queries.people(ordered[i:i + IN_CHUNK], now)).all():
            live[uid] = (name, bool(shown))

    net = RawNetwork()
    net.challenge_titles = {cid: title for cid, (title, _owner) in challenges.items()}
    people: set[int] = set()

    def person(uid: int) -> Key:
        people.add(uid)
        return ("p", uid)

    for rows, what in ((comment_rows, "comments"), (support_rows, "supports")):
        for a, b, month, n in rows:
            if a not in live or b not in live:
                continue
            keep_a, keep_b = keeps(("p", a)), keeps(("p", b))
            if keep_a and keep_b:
                net.link(person(a), person(b), "co_working")[what] += n
                net.month_pairs[month].add(_pair(a, b))
            if keep_a:
                net.month_people[month].add(a)
            if keep_b:
                net.month_people[month].add(b)
    for uid, gid, cid, month, n in idea_rows:
        if uid not in live:
            continue
        keep = keeps(("p", uid))
        if keep:
            net.month_people[month].add(uid)
        if gid is not None and gid in groups and keeps(("g", gid)):
            if keep:
                net.link(person(uid), ("g", gid), "on_behalf")["ideas"] += n
            net.month_groups[month].add(gid)
        if keep and scope.challenges and cid in challenges and keeps(("c", cid)):
            net.link(person(uid), ("c", cid), "idea")["ideas"] += n

    in_scope_people = set(people) if challenge_id is not None else None
    for uid, gid in member_rows:
        if uid not in live or gid not in groups:
            continue
        net.person_groups[uid].add(gid)
        if in_scope_people is not None and uid not in in_scope_people:
            continue
        if not (keeps(("p", uid)) and keeps(("g", gid))):
            continue
        found = net.link(person(uid), ("g", gid), "membership")
        found["member"] = True
        found["kind"] = "membership"

    for uid in people:
        name, shown = live[uid]
        net.nodes[("p", uid)] = {"kind": "person", "name": name if shown else None, "shown": shown}
    linked_groups = {b[1] for (a, b) in net.links if b[0] == "g"} | {a[1] for (a, b) in net.links if a[0] == "g"}
    for gid, (name, kind) in groups.items():
        every = challenge_id is None and not (within is not None and within.linked_groups_only)
        if (every or gid in linked_groups) and keeps(("g", gid)):
            net.nodes[("g", gid)] = {"kind": "group", "name": name, "group_kind": kind}
    for cid, (title, owner) in challenges.items():
        if not scope.challenges or not keeps(("c", cid)):
            continue
        net.nodes[("c", cid)] = {"kind": "challenge", "name": title}
        if owner is not None and owner in groups and keeps(("g", owner)):
            net.nodes.setdefault(("g", owner), {"kind": "group", "name": groups[owner][0], "group_kind": groups[owner][1]})
            net.link(("g", owner), ("c", cid), "owner")["kind"] = "owner"
    if challenge_id is not None and challenge_id in challenges:
        owner = challenges[challenge_id][1]
        if owner is not None and owner in groups:
            net.nodes.setdefault(("g", owner), {"kind": "group", "name": groups[owner][0], "group_kind": groups[owner][1]})
    for link in net.links.values():
        link["weight"] = link["comments"] + link["supports"] + link["ideas"] + (1 if link["member"] else 0)
    return net


def around(net: RawNetwork, centre: Key, steps: int = 2) -> RawNetwork:
    """The part of `net` within `steps` links of `centre` (the centre alone if it has no links)."""
    adjacency: dict[Key, set[Key]] = defaultdict(set)
    for a, b in net.links:
        adjacency[a].add(b)
        adjacency[b].add(a)
    seen = {centre}
    frontier = {centre}
    for _ in range(steps):
        frontier = {n for f in frontier for n in adjacency[f]} - seen
        seen |= frontier
    cut = RawNetwork()
    cut.nodes = {k: v for k, v in net.nodes.items() if k in seen}
    cut.links = {k: v for k, v in net.links.items() if k[0] in seen and k[1] in seen}
    cut.person_groups = net.person_groups
    for month, who in net.month_people.items():
        kept = {uid for uid in who if ("p", uid) in seen}
        if kept:
            cut.month_people[month] = kept
    for month, which in net.month_groups.items():
        kept = {gid for gid in which if ("g", gid) in seen}
        if kept:
            cut.month_groups[month] = kept
    for month, pairs in net.month_pairs.items():
        kept = {p for p in pairs if ("p", p[0]) in seen and ("p", p[1]) in seen}
        if kept:
            cut.month_pairs[month] = kept
    return cut


def trend(net: RawNetwork) -> list[dict]:
    """The flotilla, month by month: people who took part (proposed, commented on or supported an idea),
    groups that were active (an idea on their behalf, or an active member who took part), and
    cross-group collaborations (co-working pairs of people who each belong to a group but share none)."""
    months = sorted(set(net.month_people) | set(net.month_groups) | set(net.month_pairs))
    rows = []
    for month in months:
        who = net.month_people.get(month, set())
        active_groups = set(net.month_groups.get(month, set()))
        for uid in who:
            active_groups |= net.person_groups.get(uid, set())
        active_groups = {gid for gid in active_groups if ("g", gid) in net.nodes}
        cross = 0
        for a, b in net.month_pairs.get(month, set()):
            ga, gb = net.person_groups.get(a), net.person_groups.get(b)
            if ga and gb and not (ga & gb):
                cross += 1
        rows.append({"month": month, "active_people": len(who), "active_groups": len(active_groups),
                     "cross_group": cross})
    return rows
