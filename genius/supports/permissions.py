"""Who may support an idea, and why not. Each check is safe with an anonymous user.

Supporting your own idea is allowed, as on CONSUL and Decidim: the author's
backing counts like anyone else's, and refusing it would only push authors to
ask a friend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from genius.core.models import utcnow
from genius.core.permissions import is_signed_in
from genius.ideas.permissions import can_view_idea


@dataclass(frozen=True)
class Refusal:
    """Why someone cannot support (or withdraw support from) an idea right now.

    `kind` is one of: sign_in, confirm, hidden, restricted, withdrawn, not_open, closed, limit, duplicate.
    """

    kind: str
    message: str


def supports_refusal(user, idea, now: datetime | None = None) -> Refusal | None:
    """None when the person may support this idea, or withdraw their support, now.

    The same rule for both ways: while the challenge takes ideas (open, between
    its dates), on an idea that has not been withdrawn. A withdrawn idea keeps
    its supports frozen; they stop counting against a per-challenge limit.
    """
    if not is_signed_in(user):
        return Refusal("sign_in", "Sign in to support ideas.")
    if not can_view_idea(user, idea):
        return Refusal("hidden", "Idea not found.")
    if idea.moderation_state != "visible":
        return Refusal("hidden", "This idea is waiting for a moderator or was hidden, so it cannot be supported.")
    if user.is_restricted:
        return Refusal("restricted", "Your account is suspended, so you cannot support ideas.")
    if not user.is_confirmed:
        return Refusal("confirm", "Confirm your email address before you support ideas. "
                                  "We can send the link again from your account page.")
    if idea.is_withdrawn:
        return Refusal("withdrawn", "This idea has been withdrawn, so its supports can no longer change.")
    now = now or utcnow()
    challenge = idea.challenge
    if not challenge.accepts_ideas(now):
        if challenge.status == "open" and now < challenge.opens_at:
            return Refusal("not_open", "This challenge has not opened yet. You can support ideas once it opens.")
        return Refusal("closed", "This challenge has closed, so supports can no longer be given or withdrawn.")
    return None


def duplicate_refusal(idea) -> Refusal | None:
    """An idea accepted as a duplicate takes no new supports (its existing ones stay, and can be withdrawn)."""
    if idea is not None and idea.duplicate_of_id is not None:
        return Refusal("duplicate", "This idea is a duplicate of another idea, so it takes no new supports. "
                                    "Support the original idea instead.")
    return None


def can_support_idea(user, idea, now: datetime | None = None) -> bool:
    return supports_refusal(user, idea, now) is None and duplicate_refusal(idea) is None


def can_withdraw_support(user, idea, now: datetime | None = None) -> bool:
    return supports_refusal(user, idea, now) is None
