"""The network a reader asks for: from the cache, or built, measured, laid out and cached."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from flask import current_app
from genius.core.models import utcnow
from genius.core.permissions import is_staff
from genius.extensions import db
from genius.network import builder, cache, layout, metrics
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


def build_network(viewer, scope: Scope) -> dict:
    """Build, measure and lay out a scope's network (no cache). Raises ScopeNotFound."""
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    started, cpu = time.perf_counter(), time.process_time()
    if scope.kind in ("site", "challenge"):
        net = builder.build(viewer, scope, now, dialect)
        title = _title(scope, net)
    else:
        site = builder.build(viewer, Scope("site", None, scope.start, scope.end, scope.challenges), now, dialect)
        title = _title(scope, site)
        net = builder.around(site, ("g" if scope.kind == "group" else "p", scope.id))
    built = time.perf_counter()
    measured = metrics.compute(metrics.compact_of(net.nodes, net.links))
    placed = layout.positions(measured.community, measured.degree)
    analysed = time.perf_counter()
    data = serialise(net, measured, placed, builder.trend(net))
    data["scope"] = {"scope": scope.text, "kind": scope.kind, "id": scope.id, "title": title, "from": scope.start,
                     "to": scope.end, "challenges": scope.challenges}
    data["audience"] = audience_of(viewer)
    data["generated_at"] = now.isoformat(timespec="seconds")
    data["timing_ms"] = {"build": round((built - started) * 1000), "metrics": round((analysed - built) * 1000),
                         "total": round((time.perf_counter() - started) * 1000),
                         "cpu": round((time.process_time() - cpu) * 1000)}
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
