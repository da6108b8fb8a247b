"""Account services on the real database: users, sign-in checks, staff by council domain, sessions."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from accounts.conftest import link_in, reload
from conftest import PASSWORD, post_form, sign_in
from core.test_passwords import argon2_parameters
from genius.accounts import services
from genius.accounts.models import Role
from genius.core.models import utcnow
from genius.extensions import db


@pytest.fixture
def council_domain(app):
    app.config["STAFF_EMAIL_DOMAINS"] = ["york.gov.uk"]
    return "york.gov.uk"


def test_create_user_normalises_and_hashes(app):
    user = services.create_user("  Jo.Bloggs@Example.COM ", "  Jo Bloggs ", PASSWORD)
    db.session.commit()
    user = reload(user)
    assert user.email == "jo.bloggs@example.com"
    assert user.display_name == "Jo Bloggs"
    assert user.role == "resident" and user.role_granted_by is None
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert not user.is_confirmed and user.session_version == 1


def test_authenticate(make_user):
    user = make_user(email="jo@example.com")
    assert services.authenticate("JO@example.com", PASSWORD).id == user.id
    assert services.authenticate("jo@example.com", PASSWORD + "x") is None
    assert services.authenticate("nobody@example.com", PASSWORD) is None
    user.deleted_at = utcnow()
    db.session.commit()
    assert services.authenticate("jo@example.com", PASSWORD) is None


def test_a_weak_old_hash_is_upgraded_at_sign_in(client, make_user):
    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert sign_in(client, user.email).status_code == 302
    params = argon2_parameters(reload(user).password_hash)
    assert params["m"] >= 19456 and params["t"] >= 2


def test_end_all_sessions_bumps_the_version(make_user):
    user = make_user()
    services.end_all_sessions(user)
    services.end_all_sessions(user)
    db.session.commit()
    assert reload(user).session_version == 3


def test_set_role_records_who_granted_it_and_ends_sessions(make_user):
    user = make_user()
    services.set_role(user, Role.MODERATOR, granted_by="admin")
    db.session.commit()
    user = reload(user)
    assert (user.role, user.role_granted_by, user.session_version) == ("moderator", "admin", 2)
    services.set_role(user, Role.RESIDENT, granted_by="admin")
    db.session.commit()
    assert (reload(user).role, reload(user).role_granted_by) == ("resident", None)


# Staff by a confirmed email on a council domain (SECURITY.md 8).


def test_staff_only_after_confirming_a_council_email(client, council_domain, outbox):
    response = post_form(client, "/register", {"display_name": "Officer", "email": "Officer@YORK.gov.uk", "password": PASSWORD})
    assert response.status_code == 302
    user = services.find_by_email("officer@york.gov.uk")
    assert user.role == "resident"
    link = link_in(outbox[-1])
    client.get(link)
    assert reload(user).role == "resident"  # opening the link is not confirming
    assert sign_in(client, "officer@york.gov.uk").status_code == 302
    assert "Resident" in client.get("/account").get_data(as_text=True)
    assert post_form(client, link).status_code == 302
    user = reload(user)
    assert (user.role, user.role_granted_by) == ("staff", "domain")


@pytest.mark.parametrize("email", [
    "someone@notyork.gov.uk", "someone@york.gov.uk.example.com", "someone@mail.york.gov.uk", "york.gov.uk@example.com",
])
def test_lookalike_domains_do_not_make_staff(app, council_domain, email):
    user = services.create_user(email, "Someone", PASSWORD, confirmed=True)
    assert user.is_confirmed and user.role == "resident"


def test_no_council_domains_means_nobody_is_staff_by_email(app):
    app.config["STAFF_EMAIL_DOMAINS"] = []
    assert services.create_user("someone@york.gov.uk", "Someone", PASSWORD, confirmed=True).role == "resident"


def test_moving_off_the_council_domain_ends_domain_staff(app, council_domain):
    user = services.create_user("officer@york.gov.uk", "Officer", PASSWORD, confirmed=True)
    db.session.commit()
    assert (user.role, user.role_granted_by) == ("staff", "domain")
    services.change_email(user, "officer@example.com")
    db.session.commit()
    user = reload(user)
    assert (user.role, user.role_granted_by) == ("resident", None)
    services.change_email(user, "officer@york.gov.uk")
    db.session.commit()
    assert reload(user).role == "staff"


def test_roles_an_admin_granted_are_not_taken_by_the_domain_rule(app, make_user, council_domain):
    staff = services.create_user("granted@example.com", "Granted", PASSWORD, role=Role.STAFF, confirmed=True, granted_by="admin")
    moderator = make_user(role="moderator", email="mod@york.gov.uk")
    db.session.commit()
    services.change_email(staff, "granted2@example.com")
    services.change_email(moderator, "mod@example.com")
    db.session.commit()
    assert reload(staff).role == "staff"
    assert reload(moderator).role == "moderator"
