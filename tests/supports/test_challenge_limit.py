"""The challenge form's optional "Supports per person" field sets Challenge.support_limit."""

from __future__ import annotations

import re
from datetime import date

import pytest

from challenges.factories import date_pairs, main_of, reload, submit
from core.support import field_error
from genius.challenges.models import Challenge

OPENS, CLOSES = date(2030, 3, 1), date(2030, 3, 31)
MESSAGE = "Supports per person must be a whole number from 1 to 100, or left empty"


def form(champion, **overrides) -> list[tuple[str, str]]:
    fields = dict(title="Cleaner air", summary="Fewer fumes", background="Background", champion_id=str(champion.id),
                  audience="public", tags="transport")
    fields.update(overrides)
    return list(fields.items()) + date_pairs("opens_on", OPENS) + date_pairs("closes_on", CLOSES)


def created(response) -> Challenge:
    assert response.status_code == 302, main_of(response.get_data(as_text=True))
    return reload(Challenge(id=int(response.headers["Location"].rsplit("/", 1)[1])))


@pytest.mark.parametrize(("typed", "stored"), [("", None), ("5", 5), (" 3 ", 3), ("1", 1), ("100", 100)])
def test_the_limit_is_optional_from_1_to_100(as_role, cast, typed, stored):
    client, _ = as_role("creator")
    assert created(submit(client, "/challenges/new", form(cast("champion"), support_limit=typed))).support_limit == stored


def test_the_field_is_shown_with_a_hint(as_role):
    client, _ = as_role("creator")
    page = client.get("/challenges/new").get_data(as_text=True)
    assert "Supports per person (optional)" in page
    assert 'name="support_limit"' in page and 'inputmode="numeric"' in page


@pytest.mark.parametrize("typed", ["0", "101", "-2", "2.5", "five", "1e3"])
def test_anything_else_is_refused_next_to_the_field(as_role, cast, typed):
    client, _ = as_role("creator")
    response = submit(client, "/challenges/new", form(cast("champion"), support_limit=typed))
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "support_limit") == MESSAGE


def test_editing_changes_or_clears_the_limit(as_role, cast, make_challenge):
    challenge = make_challenge("open", support_limit=5)
    client, _ = as_role("creator")
    page = client.get(f"/challenges/{challenge.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="support_limit"[^>]*value="5"', page)
    path = f"/challenges/{challenge.id}/edit"
    assert submit(client, path, form(cast("champion"), support_limit="2")).status_code == 302
    assert reload(challenge).support_limit == 2
    assert submit(client, path, form(cast("champion"), support_limit="")).status_code == 302
    assert reload(challenge).support_limit is None
