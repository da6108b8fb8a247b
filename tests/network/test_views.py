"""/network and /network/graph.json: shape, bad input, the page without JavaScript, statements per page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genius.extensions import db

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "network-query-counts.json"
NODE_KEYS = {"id", "kind", "label", "url", "degree", "strength", "betweenness", "community", "bridges", "x", "y"}
LINK_KEYS = {"source", "target", "kind", "weight", "comments", "supports", "ideas", "member"}


def test_json_shape(world, as_role, network_json):
    data = network_json(as_role("resident")[0])
    assert set(data) == {"nodes", "links", "summary", "trend", "scope", "limit", "audience", "generated_at",
                         "timing_ms"}
    assert data["limit"] is None, "a site with fewer people than the limit is shown whole"
    assert data["scope"] == {"scope": "site", "kind": "site", "id": None, "title": "The whole site", "from": None,
                             "to": None, "challenges": False}
    ids = set()
    for node in data["nodes"]:
        assert NODE_KEYS <= set(node), node
        assert node["kind"] in {"person", "group", "challenge"}
        assert isinstance(node["x"], float) and isinstance(node["y"], float)
        assert isinstance(node["degree"], int) and 0 <= node["betweenness"] <= 1 and node["community"] >= 1
        ids.add(node["id"])
    assert len(ids) == len(data["nodes"])
    for link in data["links"]:
        assert set(link) == LINK_KEYS and link["source"] in ids and link["target"] in ids and link["weight"] >= 1
    assert set(data["summary"]) == {"people", "anonymous_people", "groups", "challenges", "links", "communities",
                                    "modularity", "connectors", "isolated_groups", "betweenness_samples"}
    assert data["summary"]["links"] == len(data["links"])


@pytest.mark.parametrize("query, field, message", [
    ("?scope=everything", "scope", "Choose what to show"),
    ("?scope=challenge:abc", "scope", "Choose what to show"),
    ("?scope=challenge:0", "scope", "Choose what to show"),
    ("?from=2026-13", "from", "Enter the first month as a year and month, like 2026-03"),
    ("?to=March", "to", "Enter the last month as a year and month"),
    ("?from=2026-05&to=2026-02", "to", "The last month must be the same as or after the first month"),
])
def test_bad_input_gets_a_clear_message_and_a_400(app, as_role, network_json, query, field, message):
    client = as_role("anonymous")[0]
    data = network_json(client, query, status=400)
    assert data["field"] == field and data["error"].startswith(message)
    response = client.get(f"/network{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and f'href="#{field}"' in html and message.split(",")[0] in html
    assert "<title>Error: " in html


def test_unknown_things_answer_404(app, as_role, network_json):
    client = as_role("anonymous")[0]
    for scope in ("challenge:999", "group:999", "person:999"):
        assert "does not exist" in network_json(client, f"?scope={scope}", status=404)["error"]
        assert client.get(f"/network?scope={scope}").status_code == 404


def test_the_page_without_javascript_has_the_tables_and_the_chart(world, as_role):
    client = as_role("resident")[0]
    html = client.get("/network").get_data(as_text=True)
    assert '<table class="govuk-table genius-network-table">' in html
    assert f'href="/people/{world.ann.id}">Ann Archer</a>' in html
    assert f'href="/groups/{world.cycle.id}">Cycle York</a>' in html
    assert "The flotilla by month" in html and "<svg" in html
    assert "Worked together: 1 comment" in html
    assert '<section id="network-drawing"' in html and "hidden" in html.split('<section id="network-drawing"')[1][:60]
    # Scripts carry the page's nonce; none is inline.
    nonce = html.split('nonce="')[1].split('"')[0]
    assert html.count(f'nonce="{nonce}"') >= 4
    assert "<script>" not in html and "onclick" not in html


def test_node_table_pages_and_sorts(app, make_user, make_challenge, make_idea, as_role):
    from network.support import show, support

    challenge = make_challenge("open")
    hub = make_user(name="Hub Person")
    show(hub)
    idea = make_idea(challenge, author=hub)
    for n in range(60):
        fan = make_user(name=f"Fan {n:02d}")
        show(fan)
        support(fan, idea)
    client = as_role("anonymous")[0]
    html = client.get("/network").get_data(as_text=True)
    assert "Showing 1 to 50 of 61, sorted by links." in html
    first_row = html.split('<tbody class="govuk-table__body">')[2].split("</tr>")[0]
    assert "Hub Person" in first_row
    html = client.get("/network?nodes_page=2&sort=name").get_data(as_text=True)
    assert "Showing 51 to 61 of 61, sorted by name." in html
    assert "Fan 00" not in html.split('id="nodes"')[1].split('id="links"')[0]


@pytest.mark.parametrize("role", ["anonymous", "resident", "staff"])
def test_statements_per_page(world, as_role, count_statements, role):
    """Building costs a handful of aggregate queries whatever the size; a cached page costs the version read."""
    client = as_role(role)[0]
    with count_statements() as cold:
        assert client.get("/network").status_code == 200
    with count_statements() as warm:
        assert client.get("/network").status_code == 200
    with count_statements() as scoped:
        assert client.get(f"/network?scope=group:{world.cycle.id}").status_code == 200
    counts = {"cold": len(cold), "warm": len(warm), "group_scope_cold": len(scoped)}
    ARTIFACT.parent.mkdir(exist_ok=True)
    saved = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    saved.setdefault(db.engine.dialect.name, {})[role] = counts
    ARTIFACT.write_text(json.dumps(saved, indent=2, sort_keys=True))
    assert counts["cold"] <= 10 and counts["group_scope_cold"] <= 10, counts
    assert counts["warm"] <= 3, counts
