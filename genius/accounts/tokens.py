"""Signed, expiring, single-use tokens for email links (SECURITY.md 5).

Each token names its purpose (a separate salt) and carries a fingerprint of
the account state it acts on: once it has been used that state changes, so
the same link cannot work twice.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from genius.accounts.models import User

PURPOSES = {"confirm-email", "reset-password", "change-email"}


class TokenError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    assert purpose in PURPOSES
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"genius.{purpose}")


def _state(user: User, purpose: str) -> str:
    if purpose == "reset-password":
        basis = f"{user.password_hash}|{user.email}"
    elif purpose == "confirm-email":
        basis = f"{user.email}|{user.email_confirmed_at is not None}"
    else:
        basis = user.email
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str, **extra) -> str:
    return _serializer(purpose).dumps({"u": user.id, "s": _state(user, purpose), **extra})


def read_token(token: str, purpose: str, max_age: int, load_user) -> tuple[User, dict]:
    """Return (user, payload) or raise TokenError with a plain-English message."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("This link has expired. Ask for a new one.") from None
    except BadSignature:
        raise TokenError("This link is not valid. Check you copied the whole link from the email, or ask for a new one.") from None
    user = load_user(data.get("u"))
    if user is None or not user.is_active or data.get("s") != _state(user, purpose):
        raise TokenError("This link has already been used or is no longer valid. Ask for a new one if you need it.")
    return user, data
