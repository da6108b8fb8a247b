"""Fixtures for group tests: isolated browsers, the cast of roles (plus "lead" and "member"), and factories."""

from challenges.factories import as_role, count_statements, make_challenge, make_idea  # noqa: F401
from core.support import client, new_client  # noqa: F401 - a fresh app context per request
from groups.support import cast, make_group  # noqa: F401
