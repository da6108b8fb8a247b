"""Account writes. Services flush, never commit: the view commits once."""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import func, select

from genius.accounts import tokens
from genius.accounts.models import STAFF_ROLES, Role, User
from genius.core.mail import send_email
from genius.core.models import utcnow
from genius.core.passwords import hash_password, needs_rehash, verify_password
from genius.core.text import render_markdown
from genius.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user(user_id) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def is_staff_domain(email: str) -> bool:
    domain = normalise_email(email).rpartition("@")[2]
    return domain in current_app.config["STAFF_EMAIL_DOMAINS"]


def create_user(email: str, display_name: str, password: str, role: Role = Role.RESIDENT,
                confirmed: bool = False, granted_by: str | None = None) -> User:
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role.value,
        role_granted_by=granted_by if role != Role.RESIDENT else None,
        password_changed_at=utcnow(),
        # Council staff roles are shown in the network view by default; residents opt in.
        show_in_network=role.value in STAFF_ROLES,
    )
    db.session.add(user)
    db.session.flush()
    if confirmed:
        confirm_email(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None. Takes as long either way."""
    user = find_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_sign_in(user: User) -> None:
    user.last_sign_in_at = utcnow()


def end_all_sessions(user: User) -> None:
    user.session_version = User.session_version + 1
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def confirm_email(user: User) -> None:
    user.email_confirmed_at = utcnow()
    _apply_staff_domain(user)


def _apply_staff_domain(user: User) -> None:
    """Staff by a confirmed email on a council domain (SECURITY.md 8)."""
    if is_staff_domain(user.email):
        if user.role == Role.RESIDENT.value:
            user.role = Role.STAFF.value
            user.role_granted_by = "domain"
            user.show_in_network = True
    elif user.role == Role.STAFF.value and user.role_granted_by == "domain":
        user.role = Role.RESIDENT.value
        user.role_granted_by = None


def set_role(user: User, role: Role, granted_by: str) -> None:
    if role.value in STAFF_ROLES and user.role not in STAFF_ROLES:
        user.show_in_network = True  # staff start shown in the network view; they can opt out
    user.role = role.value
    user.role_granted_by = granted_by if role != Role.RESIDENT else None
    # A change of powers starts fresh sessions.
    end_all_sessions(user)


def change_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)


def update_profile(user: User, display_name: str, bio: str, organisation: str,
                   show_in_network: bool | None = None) -> None:
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.bio_html = render_markdown(user.bio)
    user.organisation = organisation.strip()
    if show_in_network is not None:
        user.show_in_network = bool(show_in_network)


def change_email(user: User, new_email: str) -> None:
    user.email = normalise_email(new_email)
    user.email_confirmed_at = utcnow()
    _apply_staff_domain(user)
    end_all_sessions(user)


def email_in_use(email: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(User).where(User.email == normalise_email(email))) > 0


# Emails. Called after commit by the views.

def _site() -> str:
    return current_app.config["SITE_NAME"]


def send_confirmation(user: User) -> None:
    token = tokens.make_token(user, "confirm-email")
    link = url_for("accounts.confirm", token=token, _external=True)
    send_email(
        user.email,
        f"Confirm your email address for {_site()}",
        f"Hello {user.display_name},\n\nConfirm your email address by opening this link:\n\n{link}\n\n"
        f"The link works for 3 days. If you did not create an account on {_site()}, you can ignore this email.\n",
    )


def send_already_registered(user: User) -> None:
    link = url_for("accounts.sign_in", _external=True)
    reset = url_for("accounts.forgot_password", _external=True)
    send_email(
        user.email,
        f"Someone tried to register with your email on {_site()}",
        f"Hello {user.display_name},\n\nSomeone tried to create an account on {_site()} with this email address, "
        f"but you already have one.\n\nSign in: {link}\nForgotten your password? {reset}\n\n"
        "If this was not you, you can ignore this email. Your account has not changed.\n",
    )


def send_password_reset(user: User) -> None:
    token = tokens.make_token(user, "reset-password")
    link = url_for("accounts.reset_password", token=token, _external=True)
    send_email(
        user.email,
        f"Reset your password for {_site()}",
        f"Hello {user.display_name},\n\nYou (or someone else) asked to reset your password. "
        f"Choose a new one by opening this link:\n\n{link}\n\n"
        "The link works for 1 hour and only once. If you did not ask, you can ignore this email.\n",
    )


def send_email_change(user: User, new_email: str) -> None:
    token = tokens.make_token(user, "change-email", e=normalise_email(new_email))
    link = url_for("accounts.confirm_email_change", token=token, _external=True)
    send_email(
        new_email,
        f"Confirm your new email address for {_site()}",
        f"Hello {user.display_name},\n\nConfirm that you want to use this address for your {_site()} account "
        f"by opening this link:\n\n{link}\n\nThe link works for 1 hour. Until you open it, your account keeps "
        "its current address.\n",
    )
    send_email(
        user.email,
        f"Your email address on {_site()} is being changed",
        f"Hello {user.display_name},\n\nSomeone signed in to your account asked to change its email address to "
        f"{new_email}. The change happens only when the link sent to that address is opened.\n\n"
        "If this was not you, change your password now.\n",
    )
