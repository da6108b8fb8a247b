"""Fixtures for support tests: isolated browsers, the cast of roles, challenge and idea factories."""

from challenges.factories import as_role, cast, count_statements, make_challenge, make_idea  # noqa: F401
from core.support import client, new_client  # noqa: F401 - a fresh app context per request
