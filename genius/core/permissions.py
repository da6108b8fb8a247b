"""Permission helpers shared by every feature.

Each feature keeps its own `can_<verb>_<noun>(user, obj) -> bool` checks in its
`permissions.py`; they must be safe to call with an anonymous user. Views load
the object first, then `require(can_x(current_user, obj))`, then act.
"""

from __future__ import annotations

from flask import abort

from genius.core.security import log_event


def require(allowed: bool) -> None:
    if not allowed:
        log_event("forbidden")
        abort(403)


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_staff(user) -> bool:
    return is_signed_in(user) and user.is_staff


def is_moderator(user) -> bool:
    return is_signed_in(user) and user.is_moderator


def is_admin(user) -> bool:
    return is_signed_in(user) and user.is_admin
