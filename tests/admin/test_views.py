"""The admin pages: only admins see people and change roles (SECURITY.md 6, 8, 9)."""

from __future__ import annotations

import logging

import pytest

from conftest import post_form, sign_in
from genius.core.models import utcnow
from genius.extensions import db

NON_ADMINS = ["resident", "staff", "moderator"]


def reload(user):
    db.session.rollback()
    return db.session.get(type(user), user.id)


@pytest.fixture
def target(make_user):
    return make_user(role="resident", name="Tess Target", email="tess@example.com")


# The role matrix.


@pytest.mark.parametrize("path", ["/admin/people", "/admin/people/{id}/role"])
def test_anonymous_people_are_sent_to_sign_in(client, target, path):
    response = client.get(path.format(id=target.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("role", NON_ADMINS)
@pytest.mark.parametrize("path", ["/admin/people", "/admin/people/{id}/role"])
def test_non_admins_are_refused(signed_in, target, role, path):
    client, _ = signed_in(role)
    assert client.get(path.format(id=target.id)).status_code == 403


@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admins_cannot_post_a_role_change(signed_in, target, role):
    client, user = signed_in(role)
    response = post_form(client, f"/admin/people/{target.id}/role", {"role": "admin"}, token_from="/account")
    assert response.status_code == 403
    assert reload(target).role == "resident"
    # Nor promote themselves.
    response = post_form(client, f"/admin/people/{user.id}/role", {"role": "admin"}, token_from="/account")
    assert response.status_code == 403
    assert reload(user).role == role


@pytest.mark.parametrize("path", ["/admin/people", "/admin/people/{id}/role"])
def test_admins_get_in(signed_in, target, path):
    client, _ = signed_in("admin")
    assert client.get(path.format(id=target.id)).status_code == 200


# What admins can do.


def test_the_people_page_lists_people_with_their_roles(signed_in, make_user, target):
    client, admin = signed_in("admin", name="Ada Admin")
    make_user(role="moderator", name="Mo Moderator", email="mo@example.com")
    gone = make_user(name="Gone Person", email="gone@example.com")
    gone.deleted_at = utcnow()
    db.session.commit()
    html = client.get("/admin/people").get_data(as_text=True)
    for text in ("Tess Target", "tess@example.com", "Mo Moderator", "Moderator", "Ada Admin", "Administrator"):
        assert text in html
    assert "Gone Person" not in html
    assert "3 people found" in html
    # Everyone else has a link to change their role; the admin has none for themselves.
    assert f"/admin/people/{target.id}/role" in html
    assert f"/admin/people/{admin.id}/role" not in html


def test_the_people_page_searches_and_filters(signed_in, make_user, target):
    client, _ = signed_in("admin")
    make_user(role="moderator", name="Mo Moderator", email="mo@example.com")
    html = client.get("/admin/people?q=TESS").get_data(as_text=True)
    assert "Tess Target" in html and "Mo Moderator" not in html
    html = client.get("/admin/people?role=moderator").get_data(as_text=True)
    assert "Mo Moderator" in html and "Tess Target" not in html
    # An unknown role filter is ignored, not an error.
    assert client.get("/admin/people?role=superuser").status_code == 200
    # Search text is data, not a pattern: "%" matches a literal percent sign only.
    assert "0 people found" in client.get("/admin/people?q=%25").get_data(as_text=True)
    assert "0 people found" in client.get("/admin/people?q=t_ss").get_data(as_text=True)
    make_user(name="100% Volunteer", email="pct@example.com")
    html = client.get("/admin/people?q=100%25").get_data(as_text=True)
    assert "1 person found" in html and "100% Volunteer" in html


def test_an_admin_changes_a_role_and_it_ends_the_persons_sessions(signed_in, new_client, target, caplog):
    client, admin = signed_in("admin")
    target_browser = new_client()
    assert sign_in(target_browser, target.email).status_code == 302
    assert target_browser.get("/account").status_code == 200

    caplog.set_level(logging.INFO, logger="genius.security")
    response = post_form(client, f"/admin/people/{target.id}/role", {"role": "moderator"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/people"
    updated = reload(target)
    assert (updated.role, updated.role_granted_by) == ("moderator", "admin")
    assert "Tess Target is now: Moderator." in client.get("/admin/people").get_data(as_text=True)
    assert "event=role_changed" in caplog.text and f"user={target.id}" in caplog.text

    # The person's old session is gone; signing in again gives them the new role.
    assert target_browser.get("/account").status_code == 302
    assert sign_in(target_browser, target.email).status_code == 302
    assert "Moderator" in target_browser.get("/account").get_data(as_text=True)


def test_an_admin_cannot_change_their_own_role(signed_in):
    client, admin = signed_in("admin")
    assert client.get(f"/admin/people/{admin.id}/role").status_code == 403
    response = post_form(client, f"/admin/people/{admin.id}/role", {"role": "resident"}, token_from="/admin/people")
    assert response.status_code == 403
    assert reload(admin).role == "admin"


def test_an_unknown_role_is_refused_with_a_message(signed_in, target):
    client, _ = signed_in("admin")
    response = post_form(client, f"/admin/people/{target.id}/role", {"role": "superuser"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert reload(target).role == "resident"


def test_an_unknown_person_is_404(signed_in):
    client, _ = signed_in("admin")
    assert client.get("/admin/people/999999/role").status_code == 404


def test_a_demoted_admin_loses_access_at_once(signed_in, new_client, make_user):
    client, _ = signed_in("admin")
    other_admin = make_user(role="admin")
    other_browser = new_client()
    sign_in(other_browser, other_admin.email)
    assert other_browser.get("/admin/people").status_code == 200
    assert post_form(client, f"/admin/people/{other_admin.id}/role", {"role": "resident"}).status_code == 302
    assert other_browser.get("/admin/people").status_code == 302
    sign_in(other_browser, other_admin.email)
    assert other_browser.get("/admin/people").status_code == 403
