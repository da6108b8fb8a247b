"""The profile page links to the person's network (when they show their name), to reporting them
(confirmed people, not about themselves) and, for moderators, to moderating them."""

from __future__ import annotations

from challenges.factories import main_of
from genius.extensions import db


def test_profile_links_follow_the_readers_rights(as_role, make_user, make_group, make_challenge, make_idea):
    shown = make_user(name="Shown Person")
    shown.show_in_network = True
    idle = make_user(name="Idle Person")
    idle.show_in_network = True
    make_idea(make_challenge("open"), author=idle)
    make_group(lead=shown)
    private = make_user(name="Private Person")
    db.session.commit()
    anonymous, _ = as_role("anonymous")
    resident, me = as_role("resident")
    moderator, _ = as_role("moderator")

    html = main_of(anonymous.get(f"/people/{shown.id}").get_data(as_text=True))
    assert f"/network?scope=person:{shown.id}" in html.replace("%3A", ":")
    assert "Report this person" not in html  # only signed-in, confirmed people report
    assert anonymous.get(f"/network?scope=person:{shown.id}").status_code == 200
    # An idea nobody has taken up yet links its author to no one: no link to a page that is not there.
    assert "in the network view" not in main_of(anonymous.get(f"/people/{idle.id}").get_data(as_text=True))

    html = main_of(resident.get(f"/people/{private.id}").get_data(as_text=True))
    assert "in the network view" not in html  # no way into a private person's network
    assert f"/report/person/{private.id}?next=/people/{private.id}" in html.replace("%2F", "/")
    assert f"/moderation/people/{private.id}" not in html
    assert "Report this person" not in main_of(resident.get(f"/people/{me.id}").get_data(as_text=True))

    html = main_of(moderator.get(f"/people/{private.id}").get_data(as_text=True))
    assert f"/moderation/people/{private.id}" in html
    assert moderator.get(f"/moderation/people/{private.id}").status_code == 200


def test_a_group_page_links_to_its_network(as_role, make_group):
    group = make_group()
    client, _ = as_role("anonymous")
    html = main_of(client.get(f"/groups/{group.id}").get_data(as_text=True))
    assert f"/network?scope=group:{group.id}" in html.replace("%3A", ":")
    assert client.get(f"/network?scope=group:{group.id}").status_code == 200
