"""Network measures with networkx, and what they mean.

- degree: how many others a node is linked to (links, not their weights).
- strength: the sum of its links' weights (how much activity it shares).
- betweenness: the share of shortest paths between other nodes that pass through it (normalised 0-1,
  links unweighted). Exact up to BETWEENNESS_EXACT_UP_TO nodes; above that estimated from
  BETWEENNESS_SAMPLES source nodes picked with a fixed seed, so the same data gives the same answer.
- community: Louvain communities (weighted, fixed seed), numbered 1, 2, ... from the largest. People
  with a single link (most residents who supported one idea) always join their one neighbour's community
  in Louvain, so they are set aside first and placed with that neighbour: the same answer, much faster.
  Above LOUVAIN_EXACT_UP_TO nodes, Louvain's first pass (moving single nodes, which is most of its time
  in networkx: about 2 s of CPU at 11,000 nodes and 50,000 links) is replaced by fast label propagation
  (also seeded), and Louvain then merges those small clusters: the same kind of answer in a fraction of
  the time (see bench/NETWORK.md).
- connector: a person who links two or more groups that nobody else links, by being an active member of
  both or proposing ideas on behalf of both. `bridges` is how many such pairs of groups they alone join.
- isolated group: a group whose part of the network reaches no other group (no member, or members who
  work only with each other and with people in no other group).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

SEED = 42
BETWEENNESS_EXACT_UP_TO = 2000
BETWEENNESS_SAMPLES = 8
LOUVAIN_RESOLUTION = 1.0
LOUVAIN_THRESHOLD = 1e-7
LOUVAIN_EXACT_UP_TO = 2000


@dataclass
class Metrics:
    degree: dict = field(default_factory=dict)
    strength: dict = field(default_factory=dict)
    betweenness: dict = field(default_factory=dict)
    community: dict = field(default_factory=dict)
    bridges: dict = field(default_factory=dict)  # connector -> number of group pairs only they link
    isolated_groups: set = field(default_factory=set)
    betweenness_samples: int | None = None  # None: exact
    communities: int = 0


def graph_of(nodes: dict, links: dict) -> nx.Graph:
    """Nodes and links in sorted order: the seeded algorithms then give the same answer whatever order
    the database returned rows in (SQLite and PostgreSQL alike)."""
    graph = nx.Graph()
    for key in sorted(nodes):
        graph.add_node(key, kind=nodes[key]["kind"])
    for (a, b) in sorted(links):
        link = links[(a, b)]
        if a in nodes and b in nodes:
            graph.add_edge(a, b, weight=link["weight"], kind=link["kind"])
    return graph


def betweenness(graph: nx.Graph, exact_up_to: int = BETWEENNESS_EXACT_UP_TO,
                samples: int = BETWEENNESS_SAMPLES) -> tuple[dict, int | None]:
    n = graph.number_of_nodes()
    if n <= exact_up_to:
        return nx.betweenness_centrality(graph, normalized=True), None
    k = min(samples, n)
    return nx.betweenness_centrality(graph, k=k, normalized=True, seed=SEED), k


def communities(graph: nx.Graph, resolution: float = LOUVAIN_RESOLUTION, threshold: float = LOUVAIN_THRESHOLD) -> dict:
    """Node -> community number (1 = the largest)."""
    leaves = {node: next(iter(graph[node])) for node in graph if graph.degree(node) == 1}
    # A pair of nodes linked only to each other: keep one of them in the core.
    for node, neighbour in list(leaves.items()):
        if neighbour in leaves and node in leaves and leaves.get(neighbour) == node and node < neighbour:
            del leaves[node]
    core = graph.subgraph([node for node in graph if node not in leaves]).copy()  # a view is many times slower
    if core.number_of_nodes() > LOUVAIN_EXACT_UP_TO:
        found = _louvain_on_clusters(core, resolution, threshold)
    else:
        found = nx.community.louvain_communities(core, weight="weight", resolution=resolution, threshold=threshold,
                                                 seed=SEED) if core.number_of_nodes() else []
    member_of = {}
    for index, members in enumerate(found):
        for node in members:
            member_of[node] = index
    groups: dict[int, list] = {}
    for node in graph:
        home = member_of.get(leaves.get(node, node))
        if home is None:
            home = ("alone", node)
        groups.setdefault(home, []).append(node)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), str(min(members, key=str))))
    return {node: number for number, members in enumerate(ordered, start=1) for node in members}


def _louvain_on_clusters(graph: nx.Graph, resolution: float, threshold: float) -> list[set]:
    """Louvain on the graph of label-propagation clusters (each cluster one node, links summed)."""
    clusters = list(nx.community.fast_label_propagation_communities(graph, weight="weight", seed=SEED))
    home = {node: index for index, members in enumerate(clusters) for node in members}
    coarse = nx.Graph()
    coarse.add_nodes_from(range(len(clusters)))
    for a, b, weight in graph.edges(data="weight", default=1):
        ca, cb = home[a], home[b]
        if coarse.has_edge(ca, cb):
            coarse[ca][cb]["weight"] += weight
        else:
            coarse.add_edge(ca, cb, weight=weight)
    merged = nx.community.louvain_communities(coarse, weight="weight", resolution=resolution, threshold=threshold,
                                              seed=SEED)
    return [set().union(*(clusters[index] for index in group)) for group in merged]


def connectors(graph: nx.Graph) -> dict:
    """Person -> how many pairs of groups they alone link (only people with at least one)."""
    pairs: Counter = Counter()
    touching: dict = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] != "person":
            continue
        groups = sorted((n for n in graph[node] if graph.nodes[n]["kind"] == "group"), key=str)
        if len(groups) >= 2:
            touching[node] = list(combinations(groups, 2))
            pairs.update(touching[node])
    bridges = {}
    for node, own in touching.items():
        alone = sum(1 for pair in own if pairs[pair] == 1)
        if alone:
            bridges[node] = alone
    return bridges


def isolated_groups(graph: nx.Graph) -> set:
    found = set()
    for component in nx.connected_components(graph):
        groups = [n for n in component if graph.nodes[n]["kind"] == "group"]
        if len(groups) == 1:
            found.add(groups[0])
    return found


def compute(graph: nx.Graph) -> Metrics:
    """Every measure of `graph`. networkx runs about twice as fast on small integer node labels as on
    ("p", id) tuples, so the work is done on a relabelled copy and mapped back."""
    numbered = nx.convert_node_labels_to_integers(graph, ordering="sorted", label_attribute="key")
    keys = {n: data["key"] for n, data in numbered.nodes(data=True)}
    found = _compute(numbered)
    back = Metrics(betweenness_samples=found.betweenness_samples, communities=found.communities)
    back.degree = {keys[n]: v for n, v in found.degree.items()}
    back.strength = {keys[n]: v for n, v in found.strength.items()}
    back.betweenness = {keys[n]: v for n, v in found.betweenness.items()}
    back.community = {keys[n]: v for n, v in found.community.items()}
    back.bridges = {keys[n]: v for n, v in found.bridges.items()}
    back.isolated_groups = {keys[n] for n in found.isolated_groups}
    return back


def _compute(graph: nx.Graph) -> Metrics:
    result = Metrics()
    result.degree = dict(graph.degree())
    result.strength = dict(graph.degree(weight="weight"))
    result.betweenness, result.betweenness_samples = betweenness(graph)
    result.community = communities(graph)
    result.communities = len(set(result.community.values()))
    result.bridges = connectors(graph)
    result.isolated_groups = isolated_groups(graph)
    return result
