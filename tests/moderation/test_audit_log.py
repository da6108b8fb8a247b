"""The audit log: every action with who, what, when, why and the content before and after; moderators
and admins read and filter it; no route changes it, and the database refuses UPDATE and DELETE."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from challenges.factories import reload, submit
from genius.extensions import db
from genius.moderation import services
from genius.moderation.models import ModerationAction


def test_an_action_is_logged_with_the_content_before_and_after(make_challenge, make_idea, cast):
    idea = make_idea(make_challenge(), summary="Call 07700 900123")
    moderator = cast("moderator")
    services.edit(reload(idea), moderator, "Removed a phone number", title=idea.title, summary="Call me")
    db.session.commit()
    [entry] = db.session.scalars(select(ModerationAction)).all()
    assert (entry.actor_id, entry.action, entry.target_kind, entry.target_id, entry.note) == \
        (moderator.id, "edit", "idea", idea.id, "Removed a phone number")
    assert json.loads(entry.before)["summary"] == "Call 07700 900123"
    assert json.loads(entry.after)["summary"] == "Call me"
    assert entry.created_at is not None and entry.challenge_id == idea.challenge_id


@pytest.mark.parametrize("statement", [
    "UPDATE moderation_log SET note = 'rewritten'",
    "DELETE FROM moderation_log",
])
def test_the_database_refuses_to_change_or_delete_the_log(make_challenge, make_idea, cast, statement):
    idea = make_idea(make_challenge())
    services.hide(reload(idea), cast("moderator"), "spam")
    db.session.commit()
    with pytest.raises(sa.exc.DBAPIError) as raised:
        with db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert "moderation log cannot be" in str(raised.value)
    db.session.rollback()
    assert [e.note for e in db.session.scalars(select(ModerationAction))] == [""]


def test_no_route_changes_the_log(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/moderation/log"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_moderators_read_and_filter_the_log(make_challenge, make_idea, held_idea, as_role, cast):
    challenge = make_challenge()
    hidden = make_idea(challenge, title="Hidden one")
    services.hide(reload(hidden), cast("moderator"), "abusive")
    held = held_idea(challenge, title="Held one")
    services.approve(reload(held), cast("admin"))
    db.session.commit()
    client, _ = as_role("moderator")
    page = client.get("/moderation/log").get_data(as_text=True)
    assert page.count('<tr class="govuk-table__row">') == 1 + 3  # header + held, hide, approve
    filtered = client.get("/moderation/log?action=hide").get_data(as_text=True)
    assert "Abusive, hateful or threatening language" in filtered and "Approved" not in filtered.split("<tbody")[1]
    by_admin = client.get(f"/moderation/log?actor={cast('admin').id}").get_data(as_text=True)
    assert by_admin.count('<tr class="govuk-table__row">') == 2
    assert client.get("/moderation/log?action=nonsense&kind=nonsense&page=-3").status_code == 200


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("resident", 403), ("staff", 403), ("champion", 403),
                                          ("moderator", 200), ("admin", 200)])
def test_who_reads_the_log(as_role, role, status):
    client, _ = as_role(role)
    assert client.get("/moderation/log").status_code == status


def test_settings_changes_are_logged(as_role):
    admin, _ = as_role("admin")
    submit(admin, "/admin/settings", {"hold_first_contributions": "1", "reports_threshold": "4"})
    db.session.rollback()
    [entry] = db.session.scalars(select(ModerationAction)).all()
    assert entry.action == "settings"
    assert json.loads(entry.after)["reports_threshold"] == 4
