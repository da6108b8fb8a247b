"""Who is signed in, and for how long (SECURITY.md 6 and 7).

The session cookie holds "<user id>:<session version>". Signing out, changing
the password, a change of role or a suspension bumps the version, so every
cookie issued before stops working at once, on every device.
"""

from __future__ import annotations

import time

from flask import Flask, flash, session
from flask_login import current_user, login_user, logout_user


def sign_in(user) -> None:
    # A fresh session at sign-in: nothing from before it carries over.
    session.clear()
    login_user(user)
    session.permanent = True
    now = int(time.time())
    session["signed_in_at"] = now
    session["seen_at"] = now


def sign_out() -> None:
    logout_user()
    session.clear()


def init_app(app: Flask) -> None:
    from genius.accounts.services import get_user
    from genius.extensions import login_manager

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the session version does this job, without IP pinning

    @login_manager.user_loader
    def load_user(value: str):
        user_id, _, version = (value or "").partition(":")
        user = get_user(user_id)
        # A suspension bumps the version too; checking it here as well closes any gap.
        if user is None or not user.is_active or str(user.session_version) != version or user.is_restricted:
            return None
        return user

    @app.before_request
    def enforce_session_lifetime():
        if "_user_id" not in session:
            return
        now = int(time.time())
        signed_in_at = session.get("signed_in_at", 0)
        seen_at = session.get("seen_at", 0)
        idle_limit = app.config["SESSION_IDLE_MINUTES"] * 60
        absolute_limit = app.config["SESSION_ABSOLUTE_HOURS"] * 3600
        if now - seen_at > idle_limit or now - signed_in_at > absolute_limit:
            sign_out()
            flash("You were signed out because you had not used the site for a while. Sign in again to continue.", "info")
            return
        if now - seen_at >= 60:
            session["seen_at"] = now

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}
