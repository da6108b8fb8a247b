"""The network as JSON-ready data: public ids, page links, metrics, positions.

Ids: groups are g<id>, challenges c<id>, people who chose to be shown u<user id> (their profile page
carries the same number). People who did not choose it get a<n>, where n is their place in an order
shuffled afresh with a random seed each time a graph is built: not their user id, not a hash of it,
and not even the same from one scope or build to the next, so it cannot lead back to them.
"""

from __future__ import annotations

import random
import secrets

from flask import url_for
from werkzeug.routing import BuildError

from genius.network.builder import RawNetwork
from genius.network.metrics import Metrics

_PLACEHOLDER = 987654321


def _url_maker(endpoint: str, arg: str):
    try:
        template = url_for(endpoint, **{arg: _PLACEHOLDER})
    except BuildError:  # the page does not exist in this build of the app
        return lambda _ident: None
    head, _, tail = template.partition(str(_PLACEHOLDER))
    return lambda ident: f"{head}{ident}{tail}"


def public_ids(nodes: dict) -> dict:
    hidden = [key for key, node in nodes.items() if node["kind"] == "person" and not node["shown"]]
    random.Random(secrets.randbits(64)).shuffle(hidden)
    ids = {key: f"a{n}" for n, key in enumerate(hidden, start=1)}
    prefix = {"person": "u", "group": "g", "challenge": "c"}
    for key, node in nodes.items():
        if key not in ids:
            ids[key] = f"{prefix[node['kind']]}{key[1]}"
    return ids


def serialise(net: RawNetwork, metrics: Metrics, placed: dict, trend: list[dict]) -> dict:
    ids = public_ids(net.nodes)
    person_url = _url_maker("people.profile", "user_id")
    group_url = _url_maker("groups.show", "group_id")
    challenge_url = _url_maker("challenges.detail", "challenge_id")
    nodes = []
    for key, node in net.nodes.items():
        kind = node["kind"]
        item = {"id": ids[key], "kind": kind, "label": node["name"], "url": None}
        if kind == "person":
            item["anonymous"] = not node["shown"]
            if node["shown"]:
                item["url"] = person_url(key[1])
        elif kind == "group":
            item["group_kind"] = node["group_kind"]
            item["url"] = group_url(key[1])
            item["isolated"] = key in metrics.isolated_groups
        else:
            item["url"] = challenge_url(key[1])
        x, y = placed.get(key, (0.0, 0.0))
        item.update(degree=metrics.degree.get(key, 0), strength=metrics.strength.get(key, 0),
                    betweenness=round(metrics.betweenness.get(key, 0.0), 5), community=metrics.community.get(key, 0),
                    bridges=metrics.bridges.get(key, 0), x=x, y=y)
        nodes.append(item)
    kind_order = {"group": 0, "challenge": 1, "person": 2}
    nodes.sort(key=lambda n: (kind_order[n["kind"]], n["anonymous"] if n["kind"] == "person" else False,
                              (n["label"] or "").casefold(), int(n["id"][1:])))
    links = []
    for (a, b), link in net.links.items():
        if a in ids and b in ids:
            links.append({"source": ids[a], "target": ids[b], "kind": link["kind"], "weight": link["weight"],
                          "comments": link["comments"], "supports": link["supports"], "ideas": link["ideas"],
                          "member": link["member"]})
    links.sort(key=lambda l: (-l["weight"], l["source"], l["target"]))
    connectors = sorted((key for key in metrics.bridges if key in ids), key=lambda k: (-metrics.bridges[k], ids[k]))
    people = [n for n in nodes if n["kind"] == "person"]
    summary = {
        "people": len(people),
        "anonymous_people": sum(1 for n in people if n["anonymous"]),
        "groups": sum(1 for n in nodes if n["kind"] == "group"),
        "challenges": sum(1 for n in nodes if n["kind"] == "challenge"),
        "links": len(links),
        "communities": metrics.communities,
        "modularity": round(metrics.modularity, 4),
        "connectors": [ids[k] for k in connectors],
        "isolated_groups": [n["id"] for n in nodes if n.get("isolated")],
        "betweenness_samples": metrics.betweenness_samples,
    }
    return {"nodes": nodes, "links": links, "summary": summary, "trend": trend}
