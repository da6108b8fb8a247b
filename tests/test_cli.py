"""The `genius users create` command."""

from __future__ import annotations

from sqlalchemy import func, select

from conftest import post_form
from core.support import client  # noqa: F401 - fixture: each request in its own context
from genius.accounts.models import User
from genius.accounts.services import find_by_email
from genius.extensions import db

STRONG = "a long admin passphrase"


def count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def create(runner, *args):
    return runner.invoke(args=["users", "create", *args])


def test_create_an_admin_who_can_then_sign_in_and_administer(runner, client):
    result = create(runner, "--email", "Boss@Example.com", "--role", "admin", "--password", STRONG)
    assert result.exit_code == 0, result.output
    assert "Created admin account boss@example.com" in result.output
    db.session.rollback()
    user = find_by_email("boss@example.com")
    assert (user.role, user.role_granted_by, user.display_name) == ("admin", "cli", "Boss")
    assert user.is_confirmed
    assert user.password_hash.startswith("$argon2id$") and STRONG not in result.output

    assert post_form(client, "/sign-in", {"email": "boss@example.com", "password": STRONG}).status_code == 302
    assert client.get("/admin/people").status_code == 200


def test_a_common_password_is_refused(runner):
    result = create(runner, "--email", "boss@example.com", "--role", "admin", "--password", "password123")
    assert result.exit_code == 2
    assert "too common" in result.output
    assert count() == 0


def test_a_short_password_is_refused(runner):
    result = create(runner, "--email", "boss@example.com", "--password", "short")
    assert result.exit_code == 2
    assert "at least 10 characters" in result.output
    assert count() == 0


def test_a_duplicate_email_is_refused(runner, make_user):
    make_user(email="taken@example.com", role="resident")
    result = create(runner, "--email", "TAKEN@example.com", "--role", "admin", "--password", STRONG)
    assert result.exit_code == 2
    assert "already an account" in result.output
    assert count() == 1
    db.session.rollback()
    assert find_by_email("taken@example.com").role == "resident"


def test_a_bad_email_is_refused(runner):
    result = create(runner, "--email", "not-an-email", "--password", STRONG)
    assert result.exit_code == 2
    assert "--email" in result.output
    assert count() == 0


def test_an_unknown_role_is_refused(runner):
    result = create(runner, "--email", "boss@example.com", "--role", "overlord", "--password", STRONG)
    assert result.exit_code == 2
    assert count() == 0


def test_the_password_is_asked_for_twice_when_not_given(runner):
    result = runner.invoke(args=["users", "create", "--email", "asked@example.com", "--role", "moderator"],
                           input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output  # hidden input
    db.session.rollback()
    assert find_by_email("asked@example.com").role == "moderator"


def test_an_explicit_role_wins_over_the_council_domain_rule(app, runner):
    app.config["STAFF_EMAIL_DOMAINS"] = ["york.gov.uk"]
    assert create(runner, "--email", "chief@york.gov.uk", "--role", "admin", "--password", STRONG).exit_code == 0
    assert create(runner, "--email", "officer@york.gov.uk", "--password", STRONG).exit_code == 0
    db.session.rollback()
    assert find_by_email("chief@york.gov.uk").role == "admin"
    assert find_by_email("officer@york.gov.uk").role == "staff"


def test_a_password_with_spaces_around_it_signs_in_on_the_site(runner, client):
    spaced = "  spaced cli passphrase  "
    assert create(runner, "--email", "spaced@example.com", "--password", spaced).exit_code == 0
    assert post_form(client, "/sign-in", {"email": "spaced@example.com", "password": spaced}).status_code == 302
