"""The search page and the similar-ideas JSON: rendering, escaping, hostile input, visibility, paging."""

from __future__ import annotations

import html
import re

import pytest

from genius.extensions import db
from genius.ideas.models import Idea


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def result_titles(response) -> list[str]:
    block = re.search(r'<ul class="govuk-list" id="search-results".*?</ul>', response.get_data(as_text=True), re.S)
    if not block:
        return []
    return [html.unescape(t).strip() for t in re.findall(r'<h3 class="govuk-heading-s[^"]*">\s*<a [^>]*>(.*?)</a>', block.group(0), re.S)]


@pytest.fixture
def travel(make_challenge, make_idea):
    challenge = make_challenge("Travel around town", summary="Getting about without a car", tags=("transport",))
    make_idea(challenge, "Protected cycle lanes", summary="Kerbs between bikes and cars", tags=("transport",))
    make_idea(challenge, "Cycle hire by the station", summary="Bikes by the hour", withdrawn=True)
    return challenge


def test_empty_query_shows_just_the_box(client):
    response = client.get("/search")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<label class="govuk-label" for="q">' in body
    assert 'name="q"' in body and 'type="search"' in body and 'maxlength="200"' in body
    assert "results for" not in body and "search-results" not in body
    assert "<title>Search – " in body


def test_results_page_lists_kind_link_challenge_and_snippet(client, travel):
    response = client.get("/search?q=cycling")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    text = page_text(response)
    assert "2 results for ‘cycling’" in text
    assert "<title>Search results for ‘cycling’ – " in text
    assert sorted(result_titles(response)) == ["Cycle hire by the station", "Protected cycle lanes"]
    idea = db.session.scalar(db.select(Idea).where(Idea.title == "Protected cycle lanes"))
    assert f'href="/ideas/{idea.id}"' in body
    assert f'href="/challenges/{travel.id}"' in body
    assert "Idea for the challenge" in text and "Travel around town" in text
    assert '<strong class="govuk-tag govuk-tag--grey">Idea</strong>' in body
    assert "Kerbs between bikes and cars" in text
    assert '<strong class="govuk-tag govuk-tag--orange">Withdrawn</strong>' in body
    assert 'value="cycling"' in body  # the box keeps the query


def test_challenge_result_and_singular_count(client, travel):
    response = client.get("/search?q=town")
    text = page_text(response)
    assert "1 result for ‘town’" in text
    assert result_titles(response) == ["Travel around town"]
    assert '<strong class="govuk-tag govuk-tag--blue">Challenge</strong>' in response.get_data(as_text=True)
    assert f'href="/challenges/{travel.id}"' in response.get_data(as_text=True)


def test_no_results_gives_advice(client, travel):
    response = client.get("/search?q=submarine")
    assert response.status_code == 200
    assert "0 results for ‘submarine’" in page_text(response)
    assert "checking your spelling" in page_text(response)


def test_titles_snippets_and_queries_are_escaped(client, make_challenge):
    make_challenge("<script>alert(1)</script> {{7*7}} gardens", summary="<b>bold</b> gardens")
    response = client.get("/search", query_string={"q": "gardens"})
    body = response.get_data(as_text=True)
    assert result_titles(response) == ["<script>alert(1)</script> {{7*7}} gardens"]
    assert "<script>alert(1)</script>" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}" in body
    # The snippet shows the text (SQLite escapes the markup; PostgreSQL's ts_headline drops tags).
    assert "bold" in page_text(response)

    response = client.get("/search", query_string={"q": "<img src=x onerror=alert(1)> {{7*7}}"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<img src=x" not in body
    assert "for ‘&lt;img src=x onerror=alert(1)&gt; {{7*7}}’" in body
    assert ">49<" not in body and "‘49’" not in body


HOSTILE = ['"', "*", "OR", "AND", "NOT", "OR AND (", "NEAR(", "NEAR(a b)", "{{7*7}}", "x" * 1000, "cycle " * 300,
           "'; DROP TABLE ideas; --", "%", "_", "\\", "\u0000", "-", ":*", "&|!", '"cycle', "cycle OR", "-cycle",
           "cycle \u0000 lanes", "cycle\x1b[2J", "cycle\r\nlanes"]


def test_hostile_queries_answer_200(client, travel):
    for q in HOSTILE:
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200, q


def test_query_is_cut_to_200_characters(client, travel):
    response = client.get("/search", query_string={"q": "cycle " + "x" * 1000})
    assert response.status_code == 200
    value = re.search(r'name="q" type="search" spellcheck="false" value="([^"]*)"', response.get_data(as_text=True))
    assert value and len(html.unescape(value.group(1))) == 200


def test_pages_link_to_each_other_keeping_the_query(client, make_challenge, make_idea):
    challenge = make_challenge("Benches", summary="Seats")
    for n in range(45):
        make_idea(challenge, f"Bench {n}", summary="Somewhere to sit", commit=False)
    db.session.commit()
    first = client.get("/search?q=somewhere")
    body = first.get_data(as_text=True)
    assert "45 results for" in page_text(first)
    assert len(result_titles(first)) == 20
    assert 'class="govuk-pagination"' in body
    assert "/search?page=2&amp;q=somewhere" in body or "/search?q=somewhere&amp;page=2" in body
    third = client.get("/search?q=somewhere&page=3")
    assert third.status_code == 200 and len(result_titles(third)) == 5
    assert not set(result_titles(first)) & set(result_titles(third))
    assert client.get("/search?q=somewhere&page=4").status_code == 404
    assert client.get("/search?q=somewhere&page=0").status_code == 404
    assert client.get("/search?q=somewhere&page=99999999999999999999").status_code == 404
    assert client.get("/search?q=somewhere&page=two").status_code == 200


def test_one_page_of_results_has_no_pagination(client, travel):
    assert 'class="govuk-pagination"' not in client.get("/search?q=cycle").get_data(as_text=True)


# -- visibility -----------------------------------------------------------------------------------

@pytest.fixture
def hidden_and_public(make_challenge, make_idea):
    public = make_challenge("Public parks", summary="Parks for all")
    draft = make_challenge("Draft parks", summary="Parks", status="draft")
    staff = make_challenge("Staff parks", summary="Parks", audience="staff")
    for challenge in (public, draft, staff):
        make_idea(challenge, f"Idea for {challenge.title}", summary="More parks")
    return {"public": public, "draft": draft, "staff": staff}


def test_anonymous_readers_see_public_results_only(client, hidden_and_public):
    response = client.get("/search?q=parks")
    assert sorted(result_titles(response)) == ["Idea for Public parks", "Public parks"]
    assert "Staff parks" not in page_text(response) and "Draft parks" not in page_text(response)


def test_residents_see_public_results_only(signed_in, hidden_and_public):
    client, _ = signed_in("resident")
    response = client.get("/search?q=parks")
    assert sorted(result_titles(response)) == ["Idea for Public parks", "Public parks"]


def test_staff_see_every_result(signed_in, hidden_and_public):
    client, _ = signed_in("staff")
    response = client.get("/search?q=parks")
    assert "6 results for ‘parks’" in page_text(response)


# -- statement count ------------------------------------------------------------------------------

def test_a_results_page_costs_the_same_statements_for_1000_results_as_for_10(client, make_challenge, add_matching_ideas,
                                                                           count_statements):
    add_matching_ideas(make_challenge("Small", summary="Tiny"), 10)
    with count_statements() as few:
        assert "10 results for" in page_text(client.get("/search?q=bench"))
    add_matching_ideas(make_challenge("Large", summary="Huge"), 990)
    with count_statements() as many:
        response = client.get("/search?q=bench")
        assert "More than 300 results for" in page_text(response)
        assert len(result_titles(response)) == 20
    assert len(few) == len(many) <= 2


# -- similar ideas (JSON) -------------------------------------------------------------------------

def test_similar_ideas_json(client, travel):
    response = client.get("/search/similar-ideas", query_string={"challenge_id": travel.id, "title": "Safer cycle lanes"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    # The withdrawn lookalike cannot be supported, so it is not suggested.
    assert [d["title"] for d in data] == ["Protected cycle lanes"]
    assert set(data[0]) == {"id", "title", "summary", "url", "supports_count"}
    assert data[0]["url"] == f"/ideas/{data[0]['id']}"
    assert data[0]["supports_count"] == 0


def test_similar_ideas_json_is_bounded_and_excludes(client, make_challenge, make_idea):
    challenge = make_challenge("Benches", summary="Seats")
    ideas = [make_idea(challenge, f"Bench by the river {n}", summary="Seat") for n in range(8)]
    data = client.get("/search/similar-ideas", query_string={"challenge_id": challenge.id, "title": "river bench"}).get_json()
    assert len(data) == 5
    data = client.get("/search/similar-ideas", query_string={
        "challenge_id": challenge.id, "title": "river bench", "exclude_id": ideas[0].id}).get_json()
    assert ideas[0].id not in [d["id"] for d in data]


@pytest.mark.parametrize("title", ["", "a an the", '"', "NEAR(", "{{7*7}}", "x" * 1000])
def test_similar_ideas_json_with_nothing_to_match(client, travel, title):
    response = client.get("/search/similar-ideas", query_string={"challenge_id": travel.id, "title": title})
    assert response.status_code == 200
    assert response.get_json() == []


def test_similar_ideas_json_hides_challenges_the_reader_may_not_see(client, signed_in, hidden_and_public):
    for challenge in (hidden_and_public["staff"], hidden_and_public["draft"]):
        url = f"/search/similar-ideas?challenge_id={challenge.id}&title=parks"
        assert client.get(url).status_code == 404
    assert client.get("/search/similar-ideas?challenge_id=999999&title=parks").status_code == 404
    assert client.get("/search/similar-ideas?title=parks").status_code == 404
    assert client.get("/search/similar-ideas?challenge_id=abc&title=parks").status_code == 404
    resident, _ = signed_in("resident")
    assert resident.get(f"/search/similar-ideas?challenge_id={hidden_and_public['staff'].id}&title=parks").status_code == 404


def test_similar_ideas_json_for_staff(signed_in, hidden_and_public):
    client, _ = signed_in("staff")
    staff = hidden_and_public["staff"]
    data = client.get(f"/search/similar-ideas?challenge_id={staff.id}&title=parks").get_json()
    assert [d["title"] for d in data] == ["Idea for Staff parks"]
