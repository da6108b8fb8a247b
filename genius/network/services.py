"""The network a reader asks for: from the cache, or built, measured, laid out and cached."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from flask import current_app
from genius.core.models import utcnow
from genius.core.permissions import is_staff
from genius.extensions import db
from genius.network import builder, cache, layout, metrics, reach
from genius.network.scope import Scope
from genius.network.serialise import serialise


NOT_FOUND = b"{\"not_found\":true}"
SITE_MAX_PEOPLE = 500  # NETWORK_SITE_MAX_PEOPLE's default; 0 shows everyone


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


def _title(scope: Scope, net: builder.RawNetwork) -> str:
    """The scope's title for people; ScopeNotFound when its subject is not in the network for this reader:
    a challenge they may not see, a group not approved, a person deleted, unknown, or keeping their name
    out of the network (showing their neighbourhood would say who they work with)."""
    if scope.kind == "site":
        return "The whole site"
    if scope.kind == "challenge":
        if scope.id not in net.challenge_titles:
            raise ScopeNotFound
        return f"Challenge: {net.challenge_titles[scope.id]}"
    node = net.nodes.get(("g" if scope.kind == "group" else "p", scope.id))
    if node is None or (scope.kind == "person" and not node["shown"]):
        raise ScopeNotFound
    return f"{scope.kind.capitalize()}: {node['name']}"


def site_max_people() -> int:
    """How many people the whole-site network shows at most (the most active ones); 0: no limit."""
    return max(0, int(current_app.config.get("NETWORK_SITE_MAX_PEOPLE", SITE_MAX_PEOPLE) or 0))


def build_network(viewer, scope: Scope) -> dict:
    """Build, measure and lay out a scope's network (no cache). Raises ScopeNotFound."""
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    started, cpu = time.perf_counter(), time.process_time()
    limit = None
    if scope.kind == "site":
        most = site_max_people()
        within, total = reach.most_active(viewer, now, scope, most) if most else (None, 0)
        net = builder.build(viewer, scope, now, dialect, within)
        if within is not None:
            limit = {"max_people": most, "people_total": total, "rule": "most_connected",
                     "ranked_by": "comments and supports their ideas drew, their ideas and group memberships",
                     "measured_on": "the people and groups shown"}
    elif scope.kind == "challenge":
        most = site_max_people()
        within = reach.most_active_in_challenge(viewer, now, scope, most) if most else None
        net = builder.build(viewer, scope, now, dialect, within)
        if within is not None:
            limit = {"max_people": most, "people_total": None, "rule": "most_connected",
                     "ranked_by": "comments and supports their ideas in the challenge drew, and those ideas",
                     "measured_on": "the people and groups shown"}
    else:
        # Only the neighbourhood is read (found in SQL), never the whole site.
        centre = ("g" if scope.kind == "group" else "p", scope.id)
        most = site_max_people()
        within, cut = reach.neighbourhood(viewer, now, scope, centre, most)
        net = builder.build(viewer, Scope("site", None, scope.start, scope.end, scope.challenges), now, dialect,
                            within)
        if cut:
            limit = {"max_people": most, "people_total": None, "rule": "nearest",
                     "ranked_by": "nearest first, then most linked",
                     "measured_on": "the people and groups shown"}
    title = _title(scope, net)
    built = time.perf_counter()
    measured = metrics.compute(metrics.compact_of(net.nodes, net.links))
    placed = layout.positions(measured.community, measured.degree)
    analysed = time.perf_counter()
    data = serialise(net, measured, placed, builder.trend(net))
    data["scope"] = {"scope": scope.text, "kind": scope.kind, "id": scope.id, "title": title, "from": scope.start,
                     "to": scope.end, "challenges": scope.challenges}
    if limit is not None:
        limit["people_shown"] = data["summary"]["people"]
    data["limit"] = limit
    data["audience"] = audience_of(viewer)
    data["generated_at"] = now.isoformat(timespec="seconds")
    data["timing_ms"] = {"build": round((built - started) * 1000), "metrics": round((analysed - built) * 1000),
                         "total": round((time.perf_counter() - started) * 1000),
                         "cpu": round((time.process_time() - cpu) * 1000)}
    return data


def network_for(viewer, scope: Scope) -> Network:
    """The network of `scope` as `viewer` may see it: cached per (data version, audience, scope)."""
    store = cache.storage()
    # The limit is part of the key: processes (or a restart) with another limit give other answers.
    key = cache.cache_key(cache.data_version(), audience_of(viewer), f"{scope.key}|{site_max_people()}")
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
