"""Bad input to the challenge forms: 400, the GOV.UK error summary, the message next to the
field, and nothing written. Fields a form does not show cannot be set through it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from challenges.factories import count_rows, date_pairs, reload, submit
from core.support import error_summary, field_error
from genius.challenges.models import Challenge, ChallengeStatusChange, ChallengeTag

OPENS, CLOSES = date(2030, 3, 1), date(2030, 3, 31)


def form(champion, *, dates=None, **overrides) -> list[tuple[str, str]]:
    fields = dict(title="Cleaner air", summary="Fewer fumes", background="Background", champion_id=str(champion),
                  audience="public", tags="transport")
    fields.update(overrides)
    pairs = [(k, v) for k, v in fields.items() if v is not None]
    return pairs + (dates if dates is not None else date_pairs("opens_on", OPENS) + date_pairs("closes_on", CLOSES))


DATE_FIELDS = {"opens_on", "closes_on", "public_on"}

CASES = [
    # (id, overrides, dates, field, message)
    ("empty title", dict(title=""), None, "title", "Enter a title"),
    ("blank title", dict(title="   "), None, "title", "Enter a title"),
    ("missing title", dict(title=None), None, "title", "Enter a title"),
    ("long title", dict(title="x" * 121), None, "title", "Title must be 120 characters or fewer"),
    ("empty summary", dict(summary=""), None, "summary", "Enter a one-line summary"),
    ("long summary", dict(summary="x" * 201), None, "summary", "Summary must be 200 characters or fewer"),
    ("blank background", dict(background=" \n "), None, "background", "Enter the background to the challenge"),
    ("long background", dict(background="x" * 20001), None, "background", "Background must be 20,000 characters or fewer"),
    ("long team", dict(owner_team="x" * 121), None, "owner_team", "Council team must be 120 characters or fewer"),
    ("long prize", dict(prize_note="x" * 301), None, "prize_note", "Prize or funding must be 300 characters or fewer"),
    ("long next steps", dict(next_steps="x" * 5001), None, "next_steps", "What happens next must be 5,000 characters or fewer"),
    ("bad tag", dict(tags="transport, <b>bold</b>"), None, "tags", "is not allowed"),
    ("long tag", dict(tags="x" * 41), None, "tags", "is not allowed"),
    ("too many tags", dict(tags=", ".join(f"tag{n}" for n in range(21))), None, "tags", "Use 20 tags or fewer"),
    ("tags too long in all", dict(tags="a" * 601), None, "tags", "Tags must be 600 characters or fewer in all"),
    ("closes before opens", {}, date_pairs("opens_on", OPENS) + date_pairs("closes_on", OPENS - timedelta(days=1)),
     "closes_on", "The closing date must be the same as or after the opening date"),
    ("no opening date", {}, [("opens_on", ""), ("opens_on", ""), ("opens_on", "")] + date_pairs("closes_on", CLOSES),
     "opens_on", "Enter the opening date"),
    ("impossible date", {}, [("opens_on", "31"), ("opens_on", "2"), ("opens_on", "2030")] + date_pairs("closes_on", CLOSES),
     "opens_on", "Not a valid date value"),
    ("no closing date", {}, date_pairs("opens_on", OPENS), "closes_on", "Enter the closing date"),
    ("date in one part", {}, [("opens_on", "1")] + date_pairs("closes_on", CLOSES), "opens_on", "Enter a day, month and year"),
    ("date in four parts", {}, date_pairs("opens_on", OPENS) + [("opens_on", "9")] + date_pairs("closes_on", CLOSES),
     "opens_on", "Enter a day, month and year"),
    ("public date in two parts", dict(audience="staff_first"), date_pairs("opens_on", OPENS) + date_pairs("closes_on", CLOSES)
     + [("public_on", "1"), ("public_on", "4")], "public_on", "Enter a day, month and year"),
    ("unknown audience", dict(audience="everyone-and-their-dog"), None, "audience", "Choose who can see this challenge"),
    ("staff first without a date", dict(audience="staff_first"), None, "public_on", "Enter the date everyone can see this challenge"),
    ("champion not a number", dict(champion_id="abc"), None, "champion_id", "Choose a member of staff as the challenge champion"),
    ("unknown champion", dict(champion_id="987654"), None, "champion_id", "Choose a member of staff as the challenge champion"),
    ("no champion", dict(champion_id=None), None, "champion_id", "Choose a member of staff as the challenge champion"),
]


@pytest.mark.parametrize("overrides, dates, field, message", [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_create_form_refuses_bad_input(as_role, cast, overrides, dates, field, message):
    client, _ = as_role("creator")
    before = count_rows(Challenge), count_rows(ChallengeTag), count_rows(ChallengeStatusChange)
    response = submit(client, "/challenges/new", form(cast("champion").id, dates=dates, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = error_summary(html)
    assert any(message in text for text in summary.values()), summary
    # Date fields link to their first box (day), as the Design System asks.
    anchor = f"#{field}-day" if field in DATE_FIELDS else f"#{field}"
    assert anchor in summary, summary
    assert message in (field_error(html, field) or ""), f"no message next to {field}"
    assert (count_rows(Challenge), count_rows(ChallengeTag), count_rows(ChallengeStatusChange)) == before


@pytest.mark.parametrize("role", ["resident", "author", "unconfirmed"])
def test_a_forged_champion_who_is_not_staff_is_refused(as_role, cast, role):
    client, _ = as_role("creator")
    response = submit(client, "/challenges/new", form(cast(role).id))
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "champion_id")
    assert count_rows(Challenge) == 0


def test_edit_form_refuses_bad_input_and_keeps_the_challenge(as_role, cast, make_challenge):
    challenge = make_challenge("open", title="Original")
    client, _ = as_role("staff")
    dates = date_pairs("opens_on", CLOSES) + date_pairs("closes_on", OPENS)
    response = submit(client, f"/challenges/{challenge.id}/edit", form(cast("resident").id, dates=dates, title="Changed"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert {"#closes_on-day", "#champion_id"} <= set(error_summary(html))
    stored = reload(challenge)
    assert (stored.title, stored.champion_id, stored.tag_names) == ("Original", cast("champion").id, ["schools", "transport"])


@pytest.mark.parametrize("state, status", [
    ("open", "archived"), ("open", "decided"), ("open", "bogus"), ("open", ""), ("draft", "reviewing"), ("reviewing", "draft"),
])
def test_status_form_refuses_values_outside_its_list(as_role, make_challenge, state, status):
    challenge = make_challenge(state)
    client, _ = as_role("champion")
    response = submit(client, f"/challenges/{challenge.id}/status", {"status": status, "outcome": "x"})
    assert response.status_code == 400
    assert "#status" in error_summary(response.get_data(as_text=True))
    assert reload(challenge).status == state
    assert count_rows(ChallengeStatusChange) == 1


def test_status_form_refuses_an_oversized_outcome(as_role, make_challenge):
    challenge = make_challenge("reviewing")
    client, _ = as_role("champion")
    response = submit(client, f"/challenges/{challenge.id}/status", {"status": "decided", "outcome": "x" * 5001})
    assert response.status_code == 400
    assert "Outcome must be 5,000 characters or fewer" in (field_error(response.get_data(as_text=True), "outcome") or "")
    assert reload(challenge).status == "reviewing"


def test_challenge_form_cannot_set_fields_it_does_not_show(as_role, cast):
    client, creator = as_role("creator")
    extra = [("status", "open"), ("ideas_count", "99"), ("created_by_id", str(cast("admin").id)),
             ("median_response_days", "0.1"), ("responded_count", "40"), ("outcome_html", "<script>x</script>"),
             ("background_html", "<script>x</script>"), ("id", "777")]
    response = submit(client, "/challenges/new", form(cast("champion").id) + extra)
    assert response.status_code == 302
    challenge = reload(Challenge(id=int(response.headers["Location"].rsplit("/", 1)[1])))
    assert challenge.id != 777
    assert (challenge.status, challenge.ideas_count, challenge.created_by_id) == ("draft", 0, creator.id)
    assert (challenge.median_response_days, challenge.responded_count, challenge.outcome_html) == (None, 0, "")
    assert "<script" not in challenge.background_html


def test_a_missing_csrf_token_is_refused(as_role, cast):
    client, _ = as_role("creator")
    from werkzeug.datastructures import MultiDict

    response = client.post("/challenges/new", data=MultiDict(form(cast("champion").id)))
    assert response.status_code == 400
    assert count_rows(Challenge) == 0
