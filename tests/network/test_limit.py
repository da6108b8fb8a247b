"""The bound on what one request reads and builds: the whole site shows its N most connected people
(NETWORK_SITE_MAX_PEOPLE), a challenge is shown whole, and a group's or person's neighbourhood is found
in SQL (the same as cutting it from the whole-site graph) and holds at most N people, the nearest first."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, update

from genius.accounts.models import User
from genius.core.models import utcnow
from genius.extensions import db
from genius.ideas.models import Idea, Support
from genius.network import builder, reach
from genius.network.scope import Scope
from network.support import comment, show, support


@dataclass
class Hubs:
    ann: User  # her idea drew 7 supports; member of Makers
    ben: User  # his idea drew 3 supports and a comment; member of Makers; supported Ann
    cal: User  # his idea drew 1 support; commented on Ben's idea
    fans: list  # supporters only
    makers: object
    challenge: object


def recount() -> None:
    """The stored counters the ranking reads, as the supports and comments services keep them."""
    count = select(func.count()).select_from(Support).where(Support.idea_id == Idea.id).scalar_subquery()
    db.session.execute(update(Idea).values(supports_count=count))
    db.session.commit()


@pytest.fixture
def hubs(app, make_user, make_challenge, make_idea, make_group) -> Hubs:
    challenge = make_challenge("open", title="Greener streets")
    ann, ben, cal = (make_user(name=name) for name in ("Ann Hub", "Ben Hub", "Cal Hub"))
    fans = [make_user(name=f"Fan {n}") for n in range(6)]
    for person in (ann, ben, cal, *fans):
        show(person)
    makers = make_group("Makers", members=[ann, ben])
    ann_idea = make_idea(challenge, author=ann, title="Trees")
    ben_idea = make_idea(challenge, author=ben, title="Planters")
    cal_idea = make_idea(challenge, author=cal, title="Benches")
    for fan in fans:
        support(fan, ann_idea)
    support(ben, ann_idea)
    for fan in fans[:3]:
        support(fan, ben_idea)
    support(fans[0], cal_idea)
    comment(cal, ben_idea)
    recount()
    return Hubs(ann, ben, cal, fans, makers, challenge)


def people_in(data: dict) -> set[str]:
    return {node["label"] for node in data["nodes"] if node["kind"] == "person"}


def text_of(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def accounts() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.deleted_at.is_(None)))


def test_the_site_shows_its_most_connected_people_and_says_so(hubs, app, as_role, network_json):
    client = as_role("anonymous")[0]
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 3
    data = network_json(client)
    assert people_in(data) == {"Ann Hub", "Ben Hub", "Cal Hub"}
    assert {node["label"] for node in data["nodes"] if node["kind"] == "group"} == {"Makers"}
    assert data["limit"]["max_people"] == 3 and data["limit"]["people_shown"] == 3
    assert data["limit"]["people_total"] == accounts() > 3
    assert data["summary"]["people"] == 3
    # Measures are worked out on what is shown: Ann links to Ben (support, and Makers) and Makers only.
    ann = next(node for node in data["nodes"] if node["label"] == "Ann Hub")
    assert ann["degree"] == 2
    page = text_of(client.get("/network"))
    assert f"This shows the 3 most connected of the site’s {accounts():,} people" in page
    assert "choose a challenge, group or person above" in page

    app.config["NETWORK_SITE_MAX_PEOPLE"] = 2
    data = network_json(as_role("anonymous")[0])
    assert people_in(data) == {"Ann Hub", "Ben Hub"}, "Cal's idea drew the least: he is left out"


def test_a_site_within_the_limit_is_shown_whole(hubs, app, as_role, network_json):
    app.config["NETWORK_SITE_MAX_PEOPLE"] = accounts()
    client = as_role("anonymous")[0]
    data = network_json(client)
    assert data["limit"] is None
    assert people_in(data) == {"Ann Hub", "Ben Hub", "Cal Hub", *(f"Fan {n}" for n in range(6))}
    assert 'id="network-limit"' not in client.get("/network").get_data(as_text=True)
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 0  # no limit at all
    assert network_json(as_role("anonymous")[0])["limit"] is None


def test_the_site_costs_the_same_statements_capped_or_whole(hubs, app, as_role, count_statements):
    """The people count comes with the ranking (issue 7: the same statements at small and x10 scale)."""
    built = {}
    for most in (accounts(), 3):  # the whole site, then its 3 most connected people
        app.config["NETWORK_SITE_MAX_PEOPLE"] = most
        client = as_role("anonymous")[0]
        with count_statements() as statements:
            data = client.get("/network/graph.json?scope=site").get_json()
        built[most] = len(statements)
        assert (data["limit"] is None) == (most == accounts())
    assert built[accounts()] == built[3], built


def test_a_site_with_no_one_to_rank_still_counts_its_people(app, as_role, make_user, network_json):
    make_user(name="Quiet One")
    make_user(name="Quiet Two")  # two people, no ideas, no groups: nobody to rank
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 1
    data = network_json(as_role("anonymous")[0])
    assert data["limit"]["people_total"] == accounts() > 1
    assert data["limit"]["people_shown"] == 0


def test_a_challenge_is_capped_only_when_it_could_hold_more_people(hubs, app, as_role, network_json):
    # Its ideas drew 11 supports and a comment: with their 3 authors, at most 15 people.
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 15
    data = network_json(as_role("anonymous")[0], f"?scope=challenge:{hubs.challenge.id}")
    assert data["limit"] is None
    assert people_in(data) == {"Ann Hub", "Ben Hub", "Cal Hub", *(f"Fan {n}" for n in range(6))}
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 2
    client = as_role("anonymous")[0]
    data = network_json(client, f"?scope=challenge:{hubs.challenge.id}")
    assert people_in(data) == {"Ann Hub", "Ben Hub"}
    assert data["limit"]["rule"] == "most_connected" and data["limit"]["people_shown"] == 2
    page = text_of(client.get(f"/network?scope=challenge:{hubs.challenge.id}"))
    assert "This shows the 2 most connected people in this challenge (at most 2)" in page


def test_a_neighbourhood_holds_at_most_the_limit_nearest_first(hubs, app, as_role, network_json):
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 2
    data = network_json(as_role("anonymous")[0], f"?scope=group:{hubs.makers.id}")
    assert people_in(data) == {"Ann Hub", "Ben Hub"}, "the members (one step) before anyone two steps away"
    assert data["limit"]["people_shown"] == 2 and data["limit"]["people_total"] is None
    page = text_of(as_role("anonymous")[0].get(f"/network?scope=group:{hubs.makers.id}"))
    assert "This shows the 2 people most closely linked to it (at most 2)" in page
    # With room for them, everyone within two steps.
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 1000
    data = network_json(as_role("anonymous")[0], f"?scope=group:{hubs.makers.id}")
    assert data["limit"] is None
    assert people_in(data) == {"Ann Hub", "Ben Hub", "Cal Hub", *(f"Fan {n}" for n in range(6))}


def _same(a: builder.RawNetwork, b: builder.RawNetwork) -> None:
    assert a.nodes == b.nodes
    assert a.links == b.links
    assert builder.trend(a) == builder.trend(b)


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_a_neighbourhood_found_in_sql_is_the_one_cut_from_the_site(world, hubs, app, cast, role):
    """Every group and person, with and without challenges drawn: the same nodes, links and trend as
    `builder.around` cuts from the whole-site graph (what was done before, reading the whole site)."""
    viewer = cast(role)
    now = utcnow()
    dialect = db.engine.dialect.name
    groups = [world.cycle, world.transport, world.quiet, hubs.makers]
    people = [world.ann, world.bob, world.cat, world.eve, world.sam, hubs.ann, hubs.cal, hubs.fans[0]]
    for challenges in (False, True):
        site_scope = Scope("site", None, None, None, challenges)
        site = builder.build(viewer, site_scope, now, dialect)
        centres = [("g", g.id) for g in groups] + [("p", p.id) for p in people]
        for centre in centres:
            scope = Scope("group" if centre[0] == "g" else "person", centre[1], None, None, challenges)
            within, cut = reach.neighbourhood(viewer, now, scope, centre, 1000)
            assert not cut
            _same(builder.build(viewer, site_scope, now, dialect, within), builder.around(site, centre))


def test_the_build_command_fills_the_cache(hubs, app, as_role, count_statements):
    app.config["NETWORK_SITE_MAX_PEOPLE"] = 2
    result = app.test_cli_runner().invoke(args=["network", "build"])
    assert result.exit_code == 0, result.output
    assert "2 people (limited to 2 people), 1 groups" in result.output
    with count_statements() as statements:
        assert as_role("anonymous")[0].get("/network/graph.json").status_code == 200
    assert len(statements) <= 2, "served from the cache the command filled"
    result = app.test_cli_runner().invoke(args=["network", "build", "--scope", "group:99999"])
    assert result.exit_code != 0 and "There is no network to show for group:99999" in result.output
