"""The challenge page's "N ideas" line: taken from the filter labels' counts for no filter or one,
counted separately for a combination, and in every case the number of ideas the filters list."""

from __future__ import annotations

import re

import pytest

from challenges.factories import main_of


@pytest.fixture
def spread(make_challenge, make_idea, app):
    challenge = make_challenge("open")
    area = app.config["AREAS"][0]
    shapes = [("submitted", ("transport",), area, False), ("submitted", (), None, False),
              ("shortlisted", ("transport", "schools"), area, False), ("shortlisted", ("schools",), None, True),
              ("selected", ("transport",), None, False), ("submitted", ("transport",), area, True)]
    for n, (status, tags, where, withdrawn) in enumerate(shapes):
        make_idea(challenge, title=f"Idea {n}", status=status, tags=tags, area=where, withdrawn=withdrawn)
    held = make_idea(challenge, title="Held idea", tags=("transport",), area=area)
    held.moderation_state = "held"
    from genius.extensions import db

    db.session.commit()
    return challenge, {t.name: t.id for t in challenge.tags}, area


def listed(client, challenge, query: str) -> tuple[int, int]:
    html = main_of(client.get(f"/challenges/{challenge.id}?{query}").get_data(as_text=True))
    total = int(re.search(r"(\d+) ideas?( match your filters)?\.", html).group(1))
    return total, len(re.findall(r'href="/ideas/\d+"', html))


def test_totals_match_the_listed_ideas_for_every_filter_and_combination(spread, client):
    challenge, tags, area = spread
    cases = {
        "": 6, "status=submitted": 2, "status=withdrawn": 2, f"tag={tags['transport']}": 4,
        f"area={area}": 3, f"status=submitted&tag={tags['transport']}": 1,
        f"tag={tags['schools']}&area={area}": 1, f"status=selected&area={area}": 0,
    }
    for query, expected in cases.items():
        total, links = listed(client, challenge, query)
        assert (total, links) == (expected, expected), query
