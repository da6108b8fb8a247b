"""The support routes end to end: a plain form POST (redirect and message) or JSON for scripts,
refusals as 4xx with a clear message, sign-in for anonymous visitors, 404 for hidden ideas."""

from __future__ import annotations

import pytest

from challenges.factories import count_rows, main_of
from conftest import TEST_DB, csrf_token
from genius.extensions import db
from genius.ideas.models import Support
from genius.network import cache
from supports.helpers import JSON, flash_text, post, stored


@pytest.fixture
def idea(make_challenge, make_idea):
    return make_idea(make_challenge("open"))


def test_form_post_supports_and_comes_back_to_the_idea_with_a_message(as_role, idea):
    client, _ = as_role("resident")
    response = post(client, idea)
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    assert stored(idea) == (1, 1)
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert flash_text(page) == "You support this idea. It has 1 support."
    assert "Withdraw your support" in page and 'action="/ideas/%d/withdraw-support"' % idea.id in page
    assert "1 support</p>" in page

    response = post(client, idea, "withdraw")
    assert response.status_code == 302
    assert stored(idea) == (0, 0)
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert flash_text(page) == "You have withdrawn your support. It has 0 supports."
    assert "Support this idea" in page


def test_a_double_submit_counts_once(as_role, idea):
    client, _ = as_role("resident")
    token = csrf_token(client, f"/ideas/{idea.id}")
    first, second = post(client, idea, token=token), post(client, idea, token=token)
    assert (first.status_code, second.status_code) == (302, 302)
    assert stored(idea) == (1, 1)
    assert flash_text(client.get(f"/ideas/{idea.id}").get_data(as_text=True)).startswith("You support this idea.")
    assert post(client, idea, json=True, token=token).get_json()["message"].startswith("You already support this idea.")


def test_a_safe_next_path_is_followed_and_others_are_ignored(as_role, idea):
    client, _ = as_role("resident")
    challenge_page = f"/challenges/{idea.challenge_id}?sort=most_supported"
    assert post(client, idea, next=challenge_page).headers["Location"] == challenge_page
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"):
        assert post(client, idea, "withdraw", next=bad).headers["Location"] == f"/ideas/{idea.id}", bad


def test_json_answers_for_scripts(as_role, make_challenge, make_idea):
    idea = make_idea(make_challenge("open", support_limit=5))
    client, _ = as_role("resident")
    token = csrf_token(client, f"/ideas/{idea.id}")
    response = client.post(f"/ideas/{idea.id}/support", headers={"X-CSRFToken": token, **JSON})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {
        "supported": True, "supports_count": 1, "supports_left": 4, "supports_limit": 5,
        "message": "You support this idea. It has 1 support. You have 4 of 5 supports left in this challenge.",
    }
    response = client.post(f"/ideas/{idea.id}/withdraw-support",
                           headers={"X-CSRFToken": token, "X-Requested-With": "fetch"})
    assert response.get_json() == {
        "supported": False, "supports_count": 0, "supports_left": 5, "supports_limit": 5,
        "message": "You have withdrawn your support. It has 0 supports. You have 5 of 5 supports left in this challenge.",
    }


def test_without_a_limit_supports_left_is_null(as_role, idea):
    client, _ = as_role("resident")
    assert post(client, idea, json=True).get_json()["supports_left"] is None


def test_the_limit_is_refused_with_409_and_says_what_to_do(as_role, make_challenge, make_idea):
    challenge = make_challenge("open", support_limit=2)
    ideas = [make_idea(challenge, title=f"Idea {n}") for n in range(3)]
    client, _ = as_role("resident")
    for idea in ideas[:2]:
        assert post(client, idea).status_code == 302
    page = main_of(client.get(f"/ideas/{ideas[2].id}").get_data(as_text=True))
    assert "You have used all 2 of your supports in this challenge. Withdraw one to support this idea instead." in page
    assert "Support this idea</button>" not in page

    message = "You have used all 2 of your supports in this challenge. Withdraw one to support another idea."
    response = post(client, ideas[2])
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    answer = post(client, ideas[2], json=True)
    assert answer.status_code == 409
    assert answer.get_json() == {"supported": False, "supports_count": 0, "supports_left": 0, "supports_limit": 2,
                                 "message": message}
    assert stored(ideas[2]) == (0, 0)

    post(client, ideas[0], "withdraw")
    page = main_of(client.get(f"/ideas/{ideas[2].id}").get_data(as_text=True))
    assert "You have 1 of 2 supports left in this challenge." in page and "Support this idea</button>" in page


@pytest.mark.parametrize("state", ["closed_for_ideas", "reviewing", "decided", "archived"])
def test_a_closed_challenge_refuses_with_a_clear_message(as_role, make_challenge, make_idea, state):
    idea = make_idea(make_challenge(state))
    client, _ = as_role("resident")
    message = "This challenge has closed, so supports can no longer be given or withdrawn."
    for action in ("support", "withdraw"):
        response = post(client, idea, action)
        page = main_of(response.get_data(as_text=True))
        assert response.status_code == 403 and message in page
        heading = "You cannot support this idea" if action == "support" else "You cannot withdraw your support"
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
        assert post(client, idea, action, json=True).get_json()["message"] == message
    assert stored(idea) == (0, 0)
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert message in page and "Support this idea</button>" not in page


def test_a_withdrawn_idea_refuses(as_role, make_challenge, make_idea):
    idea = make_idea(make_challenge("open"), withdrawn=True)
    client, _ = as_role("resident")
    response = post(client, idea)
    assert response.status_code == 403
    assert "This idea has been withdrawn, so its supports can no longer change." in response.get_data(as_text=True)
    assert count_rows(Support) == 0


def test_an_unconfirmed_person_is_asked_to_confirm(as_role, idea):
    client, _ = as_role("unconfirmed")
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "Confirm your email address to support ideas." in page and "Support this idea</button>" not in page
    response = post(client, idea)
    assert response.status_code == 403 and "Confirm your email address" in response.get_data(as_text=True)
    assert post(client, idea, json=True).status_code == 403
    assert count_rows(Support) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, idea):
    page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert f'href="/sign-in?next=/ideas/{idea.id}"' in page and "Support this idea</button>" not in page
    token = csrf_token(client, "/sign-in")
    response = post(client, idea, token=token)
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next=/ideas/{idea.id}"
    assert "Sign in to support ideas." in client.get(response.headers["Location"]).get_data(as_text=True)
    answer = post(client, idea, json=True, token=token)
    assert answer.status_code == 401 and answer.get_json()["message"] == "Sign in to support ideas."
    assert count_rows(Support) == 0


def test_an_idea_on_a_staff_only_challenge_is_not_found_for_residents(as_role, cast, make_challenge, make_idea):
    idea = make_idea(make_challenge("open", audience="staff"), author=cast("staff"))
    client, _ = as_role("resident")
    token = csrf_token(client, "/challenges")
    assert post(client, idea, token=token).status_code == 404
    answer = post(client, idea, json=True, token=token)
    assert answer.status_code == 404 and answer.get_json() == {"message": "Idea not found."}
    assert count_rows(Support) == 0
    staff, _ = as_role("staff")
    assert post(staff, idea).status_code == 302
    assert stored(idea) == (1, 1)


def test_a_missing_or_wrong_csrf_token_is_refused(as_role, idea):
    client, _ = as_role("resident")
    assert client.post(f"/ideas/{idea.id}/support").status_code == 400
    assert client.post(f"/ideas/{idea.id}/support", data={"csrf_token": "forged"}).status_code == 400
    assert client.post(f"/ideas/{idea.id}/support", headers={"X-CSRFToken": "forged", **JSON}).status_code == 400
    assert count_rows(Support) == 0


def test_get_never_changes_anything(as_role, idea):
    client, _ = as_role("resident")
    assert client.get(f"/ideas/{idea.id}/support").status_code == 405
    assert client.get(f"/ideas/{idea.id}/withdraw-support").status_code == 405
    assert count_rows(Support) == 0


def test_unknown_idea_is_404(as_role, idea):
    client, _ = as_role("resident")
    assert post(client, idea, token=csrf_token(client, "/challenges")).status_code == 302
    token = csrf_token(client, "/challenges")
    assert client.post("/ideas/999999/support", data={"csrf_token": token}).status_code == 404


def test_supports_are_rate_limited_per_person_and_per_address(app, cast, new_client, make_challenge, make_idea):
    from conftest import sign_in

    app.config["SUPPORT_LIMIT"] = "4 per minute"
    idea = make_idea(make_challenge("open"))

    def browser(role, address):
        client = new_client(address)
        assert sign_in(client, cast(role).email).status_code == 302
        return client

    client = browser("resident", "10.7.0.1")
    token = csrf_token(client, f"/ideas/{idea.id}")
    codes = [post(client, idea, action, token=token).status_code
             for action in ("support", "withdraw", "support", "withdraw", "support")]
    assert codes == [302, 302, 302, 302, 429]
    assert post(browser("resident", "10.7.0.2"), idea).status_code == 429, "the same person from elsewhere"
    assert post(browser("author", "10.7.0.1"), idea).status_code == 429, "someone else from the same address"
    assert post(browser("author", "10.7.0.3"), idea).status_code == 302, "someone else, elsewhere"


def test_the_idea_page_shows_supports_left_and_costs_at_most_one_query(as_role, make_challenge, make_idea,
                                                                      count_statements):
    challenge = make_challenge("open", support_limit=5)
    idea = make_idea(challenge)
    other = make_idea(challenge, title="Another")
    client, _ = as_role("resident")
    post(client, other)
    with count_statements() as statements:
        page = main_of(client.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "You have 4 of 5 supports left in this challenge." in page
    assert len([s for s in statements if "supports" in s.lower() and "from supports" in " ".join(s.lower().split())]) == 1


def test_challenge_cards_show_the_stored_count_without_querying_supports(as_role, make_challenge, make_idea,
                                                                       count_statements):
    challenge = make_challenge("open")
    for n in range(5):
        make_idea(challenge, title=f"Idea {n}", supports_count=n)
    client, _ = as_role("resident")
    with count_statements() as statements:
        page = main_of(client.get(f"/challenges/{challenge.id}").get_data(as_text=True))
    for n in range(5):
        assert f">{n} support{'' if n == 1 else 's'}</span>" in page
    assert not [s for s in statements if "from supports" in " ".join(s.lower().split())]


def test_a_support_costs_eight_statements_with_a_limit(as_role, make_challenge, make_idea, count_statements):
    """Sign-in check, the idea with its challenge, the person's lock, standing, insert, counter,
    auto-follow (one statement that reads the person's settings), and the network view's data version
    (its cache): the answer comes from the standing read before the insert, nothing is reloaded after
    the commit, no tags, champion, author or group (make bench measures the same). PostgreSQL inserts,
    counts and follows in one statement: six."""
    idea = make_idea(make_challenge("open", support_limit=5))
    client, _ = as_role("resident")
    token = csrf_token(client, f"/ideas/{idea.id}")
    with count_statements() as statements:
        response = client.post(f"/ideas/{idea.id}/support", headers={"X-CSRFToken": token, **JSON})
    assert response.get_json()["supports_left"] == 4
    assert len(statements) == (6 if TEST_DB == "postgresql" else 8), "\n".join(statements)
    assert not [s for s in statements if "challenge_tags" in s or "groups" in s]
    loaded = " ".join(statements[1].split())
    assert "JOIN challenges" in loaded and "OUTER" not in loaded and "users" not in loaded, loaded


def test_supporting_and_withdrawing_mark_the_network_stale_once_each(as_role, make_challenge, make_idea):
    """The network view links supporters to authors: each change moves its data version (on PostgreSQL
    the insert hides in a CTE the session events cannot see, so the service reports it)."""
    def version() -> int:
        db.session.rollback()
        return int(cache.data_version().split(".")[0])

    idea = make_idea(make_challenge("open"))
    client, _ = as_role("resident")
    token = csrf_token(client, f"/ideas/{idea.id}")
    start = version()
    client.post(f"/ideas/{idea.id}/support", headers={"X-CSRFToken": token, **JSON})
    assert version() == start + 1
    client.post(f"/ideas/{idea.id}/withdraw-support", headers={"X-CSRFToken": token, **JSON})
    assert version() == start + 2
