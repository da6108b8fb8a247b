"""The network a reader asks for: from the cache, or built, measured, laid out and cached."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from genius.accounts.models import User
from genius.core.models import utcnow
from genius.core.permissions import is_staff
from genius.extensions import db
from genius.groups.models import Group, GroupStatus
from genius.network import builder, cache, layout, metrics, queries
from genius.network.scope import Scope
from genius.network.serialise import serialise


NOT_FOUND = b"{\"not_found\":true}"


class ScopeNotFound(LookupError):
    """The challenge, group or person of the scope does not exist for this reader."""


@dataclass
class Network:
    raw: bytes  # the JSON answer, as stored
    _data: dict | None = None

    @property
    def data(self) -> dict:
        if self._data is None:
            self._data = json.loads(self.raw)
        return self._data


def audience_of(viewer) -> str:
    return "staff" if is_staff(viewer) else "public"


def _subject(viewer, scope: Scope, now) -> tuple[str, object]:
    """The scope's title for people, and the node it centres on (group and person scopes)."""
    if scope.kind == "site":
        return "The whole site", None
    if scope.kind == "challenge":
        row = db.session.execute(queries.challenges(viewer, now, scope.id)).first()
        if row is None:
            raise ScopeNotFound
        return f"Challenge: {row[1]}", None
    if scope.kind == "group":
        row = db.session.execute(select(Group.name).where(Group.id == scope.id,
                                                          Group.status == GroupStatus.APPROVED.value)).first()
        if row is None:
            raise ScopeNotFound
        return f"Group: {row[0]}", ("g", scope.id)
    # A person who keeps their name out of the network has no neighbourhood to look at either:
    # showing it would say who they work with.
    row = db.session.execute(select(User.display_name).where(User.id == scope.id, User.deleted_at.is_(None),
                                                             User.show_in_network.is_(True))).first()
    if row is None:
        raise ScopeNotFound
    return f"Person: {row[0]}", ("p", scope.id)


def build_network(viewer, scope: Scope) -> dict:
    """Build, measure and lay out a scope's network (no cache). Raises ScopeNotFound."""
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    started = time.perf_counter()
    title, centre = _subject(viewer, scope, now)
    if centre is None:
        net = builder.build(viewer, scope, now, dialect)
    else:
        site = builder.build(viewer, Scope("site", None, scope.start, scope.end, scope.challenges), now, dialect)
        if centre not in site.nodes and centre[0] == "p":
            site.nodes[centre] = {"kind": "person", "name": title.removeprefix("Person: "), "shown": True}
        net = builder.around(site, centre)
    built = time.perf_counter()
    graph = metrics.graph_of(net.nodes, net.links)
    measured = metrics.compute(graph)
    placed = layout.positions(measured.community, measured.degree)
    analysed = time.perf_counter()
    data = serialise(net, measured, placed, builder.trend(net))
    data["scope"] = {"scope": scope.text, "kind": scope.kind, "id": scope.id, "title": title, "from": scope.start,
                     "to": scope.end, "challenges": scope.challenges}
    data["audience"] = audience_of(viewer)
    data["generated_at"] = now.isoformat(timespec="seconds")
    data["timing_ms"] = {"build": round((built - started) * 1000), "metrics": round((analysed - built) * 1000),
                         "total": round((time.perf_counter() - started) * 1000)}
    return data


def network_for(viewer, scope: Scope) -> Network:
    """The network of `scope` as `viewer` may see it: cached per (data version, audience, scope)."""
    store = cache.storage()
    key = cache.cache_key(cache.data_version(), audience_of(viewer), scope.key)
    found = store.get(key)
    if found is None:
        try:
            data = build_network(viewer, scope)
        except ScopeNotFound:
            data = {"not_found": True}
        raw = cache.dumps(data)
        store.set(key, raw, data, current_app.config.get("NETWORK_CACHE_SECONDS", 3600))
        found = (raw, data)
    network = Network(found[0], found[1])
    if network.raw == NOT_FOUND:
        raise ScopeNotFound
    return network
