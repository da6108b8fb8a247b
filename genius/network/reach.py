"""What part of the site a build reads: the most active people (the capped whole site) or the nodes within
two steps of a group or person, both found in SQL, so no request reads or builds the whole site's graph.

The neighbourhood is what `builder.around` cuts from the whole-site graph (the same nodes, links and
trend), found one step at a time with one statement per step: from the nodes reached so far, every node
one link away, under the same rules as the links themselves (visible content, live accounts, approved
groups, the window).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, func, literal, or_, select, true, union_all

from genius.accounts.models import User
from genius.challenges.models import Challenge
from genius.challenges.queries import visible_challenge_clause
from genius.comments.models import Comment
from genius.extensions import db
from genius.groups.models import Group, Membership
from genius.ideas.models import Idea, Support
from genius.network import queries
from genius.network.builder import Key, Within
from genius.network.queries import among
from genius.network.scope import Scope

STEPS = 2


def _step(viewer, now: datetime, scope: Scope, people: list[int], groups: list[int], challenges: list[int],
          seen_people: list[int], room: int | None) -> Select:
    """(kind, id) of every node one link away from the given people, groups and challenges; of the people
    not seen before, at most `room` + 1 (None: all)."""
    start, end = scope.start_at, scope.end_before
    parts = []
    p, g, c = literal("p"), literal("g"), literal("c")
    if people:
        parts += [
            queries._comments(viewer, now, None, start, end, p, Idea.author_id).where(among(Comment.author_id, people)),
            queries._comments(viewer, now, None, start, end, p, Comment.author_id).where(among(Idea.author_id, people)),
            queries._supports(viewer, now, None, start, end, p, Idea.author_id).where(among(Support.user_id, people)),
            queries._supports(viewer, now, None, start, end, p, Support.user_id).where(among(Idea.author_id, people)),
            queries.memberships(end, people).with_only_columns(g, Membership.group_id),
            _ideas(viewer, now, start, end, g, Idea.group_id).join(Group, Group.id == Idea.group_id)
            .where(among(Idea.author_id, people), *queries._approved_groups(end)),
        ]
        if scope.challenges:
            parts.append(_ideas(viewer, now, start, end, c, Idea.challenge_id).where(among(Idea.author_id, people)))
    if groups:
        parts += [
            queries.memberships(end).with_only_columns(p, Membership.user_id).where(among(Membership.group_id, groups)),
            _ideas(viewer, now, start, end, p, Idea.author_id).where(among(Idea.group_id, groups)),
        ]
        if scope.challenges:
            parts.append(select(c, Challenge.id).where(visible_challenge_clause(viewer, now),
                                                       among(Challenge.owner_group_id, groups)))
    if challenges:
        parts += [
            _ideas(viewer, now, start, end, p, Idea.author_id).where(among(Idea.challenge_id, challenges)),
            select(g, Challenge.owner_group_id).join(Group, Group.id == Challenge.owner_group_id)
            .where(among(Challenge.id, challenges), *queries._approved_groups(end)),
        ]
    found = union_all(*parts).subquery()
    kind, ident = found.c[0], found.c[1]
    # A person is a node only with a live account; people already reached are not counted again.
    reached = (
        select(kind.label("kind"), ident.label("id"), func.count().label("n"))
        .outerjoin(User, and_(kind == "p", User.id == ident))
        .where(ident.is_not(None), or_(kind != "p", and_(User.id.is_not(None), User.deleted_at.is_(None),
                                                         ~among(ident, seen_people) if seen_people else true())))
        .group_by(kind, ident)
        .subquery()
    )
    if room is None:
        return select(reached.c.kind, reached.c.id, literal(0))
    # The `room` people most linked to what was reached before (how many links lead to them), and one more
    # to tell whether some were left out: the database ranks them, so no more come back.
    order = func.row_number().over(partition_by=reached.c.kind, order_by=(reached.c.n.desc(), reached.c.id))
    ranked = select(reached.c.kind, reached.c.id, order.label("place")).subquery()
    return (select(ranked.c.kind, ranked.c.id, ranked.c.place)
            .where(or_(ranked.c.kind != "p", ranked.c.place <= room + 1)))


def _ideas(viewer, now, start, end, *columns) -> Select:
    return (
        select(*columns).select_from(Idea)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(*queries._idea_rules(viewer, now, None), *queries._window(Idea.created_at, start, end))
    )


def neighbourhood(viewer, now: datetime, scope: Scope, centre: Key, limit: int = 0) -> tuple[Within, bool]:
    """The nodes within STEPS links of `centre`, as the part of the site a build keeps to, and whether
    people were left out: with a `limit`, at most that many people, the nearest first and, among those as
    near, the most linked to the nodes before them. A whole neighbourhood keeps the trend of the site graph
    cut down to it (`touching`); a cut one is measured on what is shown, like the capped site."""
    seen: dict[str, set[int]] = {"p": set(), "g": set(), "c": set()}
    seen[centre[0]].add(centre[1])
    frontier = {"p": set(seen["p"]), "g": set(seen["g"]), "c": set(seen["c"])}
    cut = False
    for _ in range(STEPS):
        if not any(frontier.values()):
            break
        room = max(limit - len(seen["p"]), 0) if limit else None
        rows = db.session.execute(_step(viewer, now, scope, sorted(frontier["p"]), sorted(frontier["g"]),
                                        sorted(frontier["c"]), sorted(seen["p"]), room)).all()
        frontier = {"p": set(), "g": set(), "c": set()}
        for kind, ident, _place in sorted(rows, key=lambda row: row[2]):
            if ident in seen[kind]:
                continue
            if kind == "p" and room is not None and len(frontier["p"]) >= room:
                cut = True
                continue
            seen[kind].add(ident)
            frontier[kind].add(ident)
    within = Within(frozenset(seen["p"]), groups=frozenset(seen["g"]), challenges=frozenset(seen["c"]),
                    touching=not cut)
    return within, cut


def most_active(viewer, now: datetime, scope: Scope, limit: int) -> tuple[Within | None, int]:
    """The site's `limit` most connected people, and how many people have an account; (None, n) when
    there are no more people than the limit (then everyone is shown, and the ranking is not used).

    One statement, ranking and count together, whatever the site's size: a small site ranks its few people
    for nothing, which costs less than a second round trip would on a large one."""
    rows = db.session.execute(queries.most_active(viewer, now, scope.end_before, limit, with_total=True)).all()
    # No one to rank (no ideas, no memberships yet): the count on its own.
    total = rows[0].total if rows else db.session.execute(queries.live_people()).scalar_one()
    if total <= limit:
        return None, total
    return Within(frozenset(row.uid for row in rows), linked_groups_only=True), total


def most_active_in_challenge(viewer, now: datetime, scope: Scope, limit: int) -> Within | None:
    """A challenge's `limit` most connected people, or None when it cannot hold more people than that."""
    if db.session.execute(queries.challenge_reach(viewer, now, scope.id)).scalar_one() <= limit:
        return None
    rows = db.session.execute(queries.most_active(viewer, now, scope.end_before, limit, scope.id)).all()
    return Within(frozenset(uid for uid, _score in rows))
