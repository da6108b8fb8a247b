"""Metrics on small graphs with answers worked out by hand."""

from __future__ import annotations

from datetime import datetime, timezone

import networkx as nx
import pytest

from genius.network import metrics
from network.support import comment, show, support

# Two triangles, a-b-c and d-e-f, joined by the bridge c-d.
#   degree: c and d 3, the rest 2.
#   betweenness (normalised by (n-1)(n-2)/2 = 10 pairs): every shortest path from {a, b, c} to {d, e, f}
#   crosses c-d. c lies on the paths a-d, a-e, a-f, b-d, b-e, b-f: 6 pairs -> 0.6; d likewise; the rest 0.
#   communities: the two triangles.
TRIANGLES = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")]


def triangles() -> nx.Graph:
    graph = nx.Graph()
    for a, b in TRIANGLES:
        graph.add_node(a, kind="person")
        graph.add_node(b, kind="person")
        graph.add_edge(a, b, weight=1, kind="co_working")
    return graph


def test_two_triangles_and_a_bridge():
    result = metrics.compute(triangles())
    assert result.degree == {"a": 2, "b": 2, "c": 3, "d": 3, "e": 2, "f": 2}
    assert result.betweenness == pytest.approx({"a": 0, "b": 0, "c": 0.6, "d": 0.6, "e": 0, "f": 0})
    assert result.betweenness_samples is None
    groups = {}
    for node, number in result.community.items():
        groups.setdefault(number, set()).add(node)
    assert sorted(map(sorted, groups.values())) == [["a", "b", "c"], ["d", "e", "f"]]
    assert result.communities == 2


def test_leaves_join_their_neighbours_community():
    graph = triangles()
    for leaf, hub in (("x", "a"), ("y", "e")):
        graph.add_node(leaf, kind="person")
        graph.add_edge(leaf, hub, weight=1, kind="co_working")
    graph.add_node("lonely", kind="person")
    community = metrics.communities(graph)
    assert community["x"] == community["a"] and community["y"] == community["e"]
    assert community["a"] != community["e"]
    assert sum(1 for n in community.values() if n == community["lonely"]) == 1


def test_betweenness_is_sampled_above_the_limit_with_a_fixed_seed():
    graph = nx.path_graph(30)
    first, k = metrics.betweenness(graph, exact_up_to=20, samples=8)
    again, _ = metrics.betweenness(graph, exact_up_to=20, samples=8)
    assert k == 8 and first == again
    exact, none = metrics.betweenness(graph, exact_up_to=50)
    assert none is None and exact[15] == pytest.approx(max(exact.values()))


def test_connectors_and_isolated_groups():
    graph = nx.Graph()
    for node, kind in (("g1", "group"), ("g2", "group"), ("g3", "group"), ("g4", "group"),
                       ("p1", "person"), ("p2", "person"), ("p3", "person"), ("p4", "person")):
        graph.add_node(node, kind=kind)
    # p1 alone links g1-g2; p2 and p3 both link g2-g3 (neither is needed); p4 is only in g4.
    for a, b in (("p1", "g1"), ("p1", "g2"), ("p2", "g2"), ("p2", "g3"), ("p3", "g2"), ("p3", "g3"), ("p4", "g4")):
        graph.add_edge(a, b, weight=1, kind="membership")
    assert metrics.connectors(graph) == {"p1": 1}
    assert metrics.isolated_groups(graph) == {"g4"}


def test_metrics_through_the_database(app, make_user, make_challenge, make_idea, as_role, network_json):
    """The same two triangles, made of people commenting on and supporting each other's ideas."""
    challenge = make_challenge("open")
    people = {name: make_user(name=f"Person {name.upper()}") for name in "abcdef"}
    for person in people.values():
        show(person)
    ideas = {name: make_idea(challenge, author=person, title=f"Idea of {name}") for name, person in people.items()}
    for n, (a, b) in enumerate(TRIANGLES):
        (comment if n % 2 else support)(people[a], ideas[b])
    data = network_json(as_role("anonymous")[0])
    nodes = {node["label"]: node for node in data["nodes"]}
    assert {name: nodes[f"Person {name.upper()}"]["degree"] for name in "abcdef"} == {
        "a": 2, "b": 2, "c": 3, "d": 3, "e": 2, "f": 2}
    assert nodes["Person C"]["betweenness"] == pytest.approx(0.6)
    assert nodes["Person A"]["betweenness"] == 0
    left = {nodes[f"Person {x}"]["community"] for x in "ABC"}
    right = {nodes[f"Person {x}"]["community"] for x in "DEF"}
    assert len(left) == 1 and len(right) == 1 and left != right
    assert data["summary"]["communities"] == 2


def test_the_flotilla_trend(app, make_user, make_challenge, make_idea, make_group, as_role, network_json):
    """Active people, active groups and cross-group collaborations, month by month."""
    challenge = make_challenge("open")
    ann, bob, cat = (make_user(name=n) for n in ("Ann", "Bob", "Cat"))
    make_group("Red", members=[ann])
    make_group("Blue", members=[bob])
    jan = datetime(2026, 1, 15, tzinfo=timezone.utc)
    feb = datetime(2026, 2, 10, tzinfo=timezone.utc)
    idea = make_idea(challenge, author=ann, created_at=jan)
    other = make_idea(challenge, author=cat, title="Cat's idea", created_at=jan)
    comment(bob, idea, at=feb)  # Blue works with Red: cross-group
    support(cat, idea, at=feb)  # Cat is in no group: not cross-group
    support(ann, other, at=feb)  # Red with nobody's group: not cross-group
    data = network_json(as_role("anonymous")[0])
    assert data["trend"] == [
        {"month": "2026-01", "active_people": 2, "active_groups": 1, "cross_group": 0},
        {"month": "2026-02", "active_people": 3, "active_groups": 2, "cross_group": 1},
    ]
    # A window keeps to its months.
    data = network_json(as_role("anonymous")[0], "?from=2026-02&to=2026-02")
    assert [row["month"] for row in data["trend"]] == ["2026-02"]
    assert data["scope"]["from"] == "2026-02"
    page = as_role("anonymous")[0].get("/network").get_data(as_text=True)
    assert "Feb 2026" in page and "Cross-group collaborations" in page


def test_sampled_betweenness_is_networkx_sampled_betweenness():
    """igraph does the counting; the sources and the scaling are networkx's, so the figures agree."""
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=3)
    ours, k = metrics.betweenness(graph, exact_up_to=20, samples=12)
    theirs = nx.betweenness_centrality(graph, k=12, normalized=True, seed=metrics.SEED)
    assert k == 12 and ours == pytest.approx(theirs)
    exact, _ = metrics.betweenness(graph, exact_up_to=100)
    assert exact == pytest.approx(nx.betweenness_centrality(graph, normalized=True))


def test_louvain_finds_planted_communities_and_reports_their_modularity():
    """Four cliques of eight joined in a ring by single links: Louvain finds the four, and the modularity
    reported is networkx's modularity of that split."""
    graph = nx.ring_of_cliques(4, 8)
    nx.set_node_attributes(graph, "person", "kind")
    result = metrics.compute(graph)
    groups = {}
    for node, number in result.community.items():
        groups.setdefault(number, set()).add(node)
    assert sorted(map(sorted, groups.values())) == [list(range(n, n + 8)) for n in range(0, 32, 8)]
    assert result.modularity == pytest.approx(nx.community.modularity(graph, groups.values()))
    assert metrics.compute(graph).community == result.community  # seeded: the same answer again
