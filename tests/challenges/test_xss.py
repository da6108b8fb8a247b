"""XSS and template injection through every text field of the challenge forms: the stored HTML
is inert, every page that shows the text is inert, and {{7*7}} shows as typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from challenges.factories import XSS_PAYLOADS, assert_inert, assert_page_inert, date_pairs, reload, submit
from genius.challenges.models import Challenge
from genius.extensions import db

PAYLOADS = XSS_PAYLOADS
TEXT_FIELDS = ("title", "summary", "background", "owner_team", "next_steps", "prize_note")


def challenge_pairs(champion_id: int, payload: str) -> list[tuple[str, str]]:
    today = date.today()
    return ([(name, payload) for name in TEXT_FIELDS]
            + [("champion_id", str(champion_id)), ("audience", "public"), ("tags", "transport")]
            + date_pairs("opens_on", today - timedelta(days=1)) + date_pairs("closes_on", today + timedelta(days=9)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_challenge_text_field(as_role, cast, payload):
    staff, _ = as_role("creator")
    response = submit(staff, "/challenges/new", challenge_pairs(cast("champion").id, payload))
    assert response.status_code == 302, response.get_data(as_text=True)
    challenge = db.session.scalar(db.select(Challenge))
    path = f"/challenges/{challenge.id}"
    for status, outcome in (("open", ""), ("reviewing", ""), ("decided", payload)):
        assert submit(staff, f"{path}/status", {"status": status, "outcome": outcome}).status_code == 302
    stored = reload(challenge)
    assert (stored.title, stored.summary, stored.owner_team, stored.prize_note) == (payload,) * 4, "kept as typed"
    assert (stored.background_source, stored.next_steps_source, stored.outcome_source) == (payload,) * 3
    for html in (stored.background_html, stored.next_steps_html, stored.outcome_html):
        assert_inert(html)

    reader, _ = as_role("resident")
    for client in (staff, reader):
        for page in (path, "/challenges", "/challenges?tag=transport"):
            assert_page_inert(client.get(page).get_data(as_text=True))
    for page in (f"{path}/edit", f"{path}/status", "/dashboard/responses"):
        assert_page_inert(staff.get(page).get_data(as_text=True))
    if payload == "{{7*7}}":
        detail = reader.get(path).get_data(as_text=True)
        assert '<h1 class="govuk-heading-xl">{{7*7}}</h1>' in detail
        assert '<p class="govuk-body-l">{{7*7}}</p>' in detail
        assert detail.count("{{7*7}}") >= 6, "title, summary, background, next steps, team, prize, outcome"
        assert 'value="{{7*7}}"' in staff.get(f"{path}/edit").get_data(as_text=True)
    if payload.startswith("{%"):
        assert "looplooploop" not in reader.get(path).get_data(as_text=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_tags_refuse_markup_and_echo_it_inert(as_role, cast, payload):
    staff, _ = as_role("creator")
    pairs = [p for p in challenge_pairs(cast("champion").id, "Fine") if p[0] != "tags"] + [("tags", payload)]
    response = submit(staff, "/challenges/new", pairs)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is not allowed" in html
    assert_page_inert(html)
    assert db.session.scalar(db.select(db.func.count()).select_from(Challenge)) == 0


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bad_input_pages_echo_payloads_inert(as_role, cast, payload):
    """A form shown again with errors repeats what was typed: still inert."""
    staff, _ = as_role("creator")
    pairs = challenge_pairs(cast("champion").id, payload)
    pairs = [(k, v) for k, v in pairs if k != "title"] + [("title", payload * 40)]  # too long: refused
    response = submit(staff, "/challenges/new", pairs)
    assert response.status_code == 400
    assert_page_inert(response.get_data(as_text=True))


@pytest.mark.parametrize("html", [
    "<p><script>alert(1)</script></p>",
    '<p><img src="x" onerror="alert(1)"></p>',
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<p><a href=" JavaScript:alert(1)">x</a></p>',
    '<p><span onmouseover="alert(1)">x</span></p>',
])
def test_the_checks_bite(html):
    for check in (assert_inert, assert_page_inert):
        with pytest.raises(AssertionError):
            check(html)
