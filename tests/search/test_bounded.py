"""Only the newest MAX_RANKED visible matches are ranked: the count says "more than" past that,
hidden and staff-only matches never take a candidate's place, rare words stay exact."""

from __future__ import annotations

import html

from flask_login import AnonymousUserMixin

from genius.extensions import db
from genius.search import queries
from genius.search.queries import search

ANONYMOUS = AnonymousUserMixin()


def _ideas(make_idea, challenge, titles, **kwargs):
    made = [make_idea(challenge, title, summary="Somewhere to sit", commit=False, **kwargs) for title in titles]
    db.session.commit()
    return made


def test_a_common_word_ranks_only_the_newest_matches(make_challenge, make_idea):
    challenge = make_challenge("Parks", summary="Green places")
    # The oldest match is the best one (the word in its title twice), but it is past the newest three.
    _ideas(make_idea, challenge, ["Bench bench bench"])
    newer = _ideas(make_idea, challenge, [f"Seat {n}" for n in range(5)], description="A bench for the park")
    page = search(ANONYMOUS, "bench", max_ranked=3)
    assert (page.total, page.more, page.pages) == (3, True, 1)
    assert {r.id for r in page.items} == {idea.id for idea in newer[-3:]}
    # Without the bound the best match comes first.
    assert search(ANONYMOUS, "bench", max_ranked=100).items[0].title == "Bench bench bench"


def test_a_rare_word_is_counted_exactly(make_challenge, make_idea):
    challenge = make_challenge("Parks", summary="Green places")
    _ideas(make_idea, challenge, ["Bench by the pond", "Bench by the gate", "Swings"])
    page = search(ANONYMOUS, "bench", max_ranked=1)
    assert (page.total, page.more) == (1, True)
    page = search(ANONYMOUS, "bench", max_ranked=2)
    assert (page.total, page.more) == (2, False)
    assert sorted(r.title for r in page.items) == ["Bench by the gate", "Bench by the pond"]


def test_hidden_held_and_staff_only_matches_take_no_place(make_challenge, make_idea, make_user):
    public = make_challenge("Parks", summary="Green places")
    visible = _ideas(make_idea, public, ["Bench one", "Bench two", "Bench three"])
    # Newer than the visible ones: they would fill the candidates if visibility were checked after the bound.
    hidden = _ideas(make_idea, public, ["Bench hidden a", "Bench hidden b", "Bench held"])
    for idea, state in zip(hidden, ("hidden", "hidden", "held")):
        idea.moderation_state = state
    db.session.commit()
    staff_only = make_challenge("Staff benches", summary="Bench audit", audience="staff")
    _ideas(make_idea, staff_only, ["Bench staff a", "Bench staff b"])

    for reader in (ANONYMOUS, make_user(role="resident")):
        page = search(reader, "bench", max_ranked=3)
        assert (page.total, page.more) == (3, False)
        assert {r.id for r in page.items} == {idea.id for idea in visible}

    staff_page = search(make_user(role="moderator"), "bench", max_ranked=3)
    assert (staff_page.total, staff_page.more) == (3, True)
    assert {r.title for r in staff_page.items} == {"Staff benches", "Bench staff a", "Bench staff b"}


def test_the_page_says_there_are_more_and_pages_stop_at_the_bound(client, make_challenge, make_idea, monkeypatch):
    monkeypatch.setattr(queries, "MAX_RANKED", 25)
    challenge = make_challenge("Parks", summary="Green places")
    _ideas(make_idea, challenge, [f"Bench {n}" for n in range(30)])
    response = client.get("/search?q=bench")
    text = html.unescape(response.get_data(as_text=True))
    assert "More than 25 results for ‘bench’" in text
    assert "best matches among the 25 most recent" in text and "add more words" in text
    assert client.get("/search?q=bench&page=2").status_code == 200
    assert client.get("/search?q=bench&page=3").status_code == 404
    # Below the bound: the exact count, no note.
    text = html.unescape(client.get("/search?q=bench+29").get_data(as_text=True))
    assert "1 result for ‘bench 29’" in text and "most recent" not in text
