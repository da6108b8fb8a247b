"""The network view in a real Chromium: the drawing appears, a person is found by name, their node
opens (from the search, and by clicking their dot), and the link leads to their page; every state passes
axe-core (WCAG 2.2 AA) and the Nu HTML Checker. The search, the details and the link work by keyboard."""

from __future__ import annotations

from challenges.factories import cast, make_challenge, make_idea  # noqa: F401 - fixtures
from network.support import comment, make_group, show, support  # noqa: F401 - make_group is a fixture

from .helpers import check_page, focused, tab_to, type_into


def test_find_a_person_open_their_node_and_follow_it_to_their_page(page, make_user, make_challenge, make_idea,
                                                                   make_group):
    challenge = make_challenge("open", title="Greener streets")
    ann = make_user(name="Ann Archer")
    eve = make_user(name="Eve Evans")
    bob = make_user(name="Bob Private")
    for person in (ann, eve):
        show(person)
    make_group("Cycle York", members=[bob], leads=[ann])
    idea = make_idea(challenge, author=ann, title="Bike racks at every school")
    comment(eve, idea)
    support(bob, idea)

    page.goto("/network")
    page.wait_for_selector("#network-drawing[data-state=drawn]", timeout=20_000)
    assert "Drawn:" in page.locator("#network-status").inner_text()
    assert page.locator("#network-canvas canvas").count() >= 1
    check_page(page, "network view, drawn")

    # Find Ann by name, by keyboard; her node opens and focus moves to its details.
    type_into(page, "ann", label="Find a person or group by name")
    page.wait_for_selector("#network-matches button")
    assert page.locator("#network-matches button").all_inner_texts() == ["Ann Archer (person)"]
    tab_to(page, text="Ann Archer (person)")
    page.keyboard.press("Enter")
    page.wait_for_selector("#network-details-heading")
    assert "Ann Archer" in focused(page)
    details = page.locator("#network-details").inner_text()
    assert "Person" in details and "Links" in details
    check_page(page, "network view, a node open")

    # Back to the whole network, then click Eve's dot on the drawing: her details replace Ann's.
    page.get_by_role("button", name="Show the whole network").click()
    page.locator("#network-canvas").scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # the camera glides back
    x, y = page.evaluate("""() => {
        const r = window.GeniusNetwork.renderer;
        const id = window.GeniusNetwork.data.nodes.find((n) => n.label === 'Eve Evans').id;
        const p = r.graphToViewport(r.getGraph().getNodeAttributes(id)); return [p.x, p.y];
    }""")
    box = page.locator("#network-canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_function("() => document.querySelector('#network-details-heading')?.textContent === 'Eve Evans'")

    # Back to Ann, then follow the link to her page, by keyboard.
    type_into(page, "Ann Arch", label="Find a person or group by name")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#network-details-heading')?.textContent === 'Ann Archer'")
    tab_to(page, text="Go to Ann Archer’s page")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/people/{ann.id}")
    assert "Ann Archer" in page.locator("h1").inner_text()
    check_page(page, "Ann's page, reached from the network view")



def test_links_of_weight_one_are_drawn_once_zoomed_in_on_a_big_network(app, monkeypatch, page, make_user,
                                                                       make_challenge, make_idea):
    """Above NETWORK_LIGHT_LINKS_ABOVE links (20,000 in use; 1 here), links of weight 1 are left out of the
    drawing until the reader zooms in, and go again when they zoom back out; the tables keep every link."""
    challenge = make_challenge("open", title="Greener streets")
    ann, bob, cat = (make_user(name=name) for name in ("Ann Archer", "Bob Baker", "Cat Cole"))
    for person in (ann, bob, cat):
        show(person)
    idea = make_idea(challenge, author=ann, title="Bike racks at every school")
    comment(bob, idea)  # Bob-Ann: weight 2
    support(bob, idea)
    support(cat, idea)  # Cat-Ann: weight 1
    monkeypatch.setitem(app.config, "NETWORK_LIGHT_LINKS_ABOVE", 1)

    page.goto("/network")
    page.wait_for_selector("#network-drawing[data-state=drawn]", timeout=20_000)
    assert "The link of weight 1 is drawn when you zoom in." in page.locator("#network-status").inner_text()
    assert page.evaluate("() => window.GeniusNetwork.graph.size") == 1
    assert page.locator("table >> text=Cat Cole").count() >= 1  # still in the tables
    page.evaluate("() => window.GeniusNetwork.renderer.getCamera().setState({ratio: 0.3})")
    page.wait_for_function("() => window.GeniusNetwork.graph.size === 2")
    page.evaluate("() => window.GeniusNetwork.renderer.getCamera().setState({ratio: 1})")
    page.wait_for_function("() => window.GeniusNetwork.graph.size === 1")
    check_page(page, "network view, links of weight 1 held back")


def test_a_capped_site_network_says_what_it_shows(app, monkeypatch, page, make_user, make_challenge, make_idea):
    """With more people than NETWORK_SITE_MAX_PEOPLE (500 in use; 2 here), the page says which people it
    shows and how to see everyone; the drawing holds the same people as the tables."""
    challenge = make_challenge("open", title="Greener streets")
    ann, bob, cat = (make_user(name=name) for name in ("Ann Archer", "Bob Baker", "Cat Cole"))
    for person in (ann, bob, cat):
        show(person)
    ann_idea = make_idea(challenge, author=ann, title="Bike racks at every school")
    bob_idea = make_idea(challenge, author=bob, title="Planters on every corner")
    support(bob, ann_idea)
    support(cat, ann_idea)
    support(ann, bob_idea)
    from sqlalchemy import update

    from genius.extensions import db
    from genius.ideas.models import Idea

    db.session.execute(update(Idea).where(Idea.id == ann_idea.id).values(supports_count=2))
    db.session.execute(update(Idea).where(Idea.id == bob_idea.id).values(supports_count=1))
    db.session.commit()
    monkeypatch.setitem(app.config, "NETWORK_SITE_MAX_PEOPLE", 2)

    page.goto("/network")
    page.wait_for_selector("#network-drawing[data-state=drawn]", timeout=20_000)
    limit = page.locator("#network-limit").inner_text()
    assert "This shows the 2 most connected of the site’s" in limit and "choose a challenge, group" in limit
    labels = page.evaluate("() => window.GeniusNetwork.data.nodes.map((n) => n.label)")
    assert sorted(labels) == ["Ann Archer", "Bob Baker"], "Cat, whose ideas drew nobody, is left out"
    check_page(page, "network view, the most connected people only")
