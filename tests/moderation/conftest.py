"""Fixtures for moderation tests: the challenge tests' cast, factories and isolated browsers, plus comments."""

from challenges.factories import as_role, cast, count_statements, make_challenge, make_idea  # noqa: F401
from comments.support import make_comment  # noqa: F401
from core.support import client, new_client  # noqa: F401 - a fresh app context per request
from moderation.support import held_idea, reported_idea  # noqa: F401
