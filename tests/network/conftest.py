"""Fixtures for network tests: the challenge/idea factories, plus groups, comments, supports and a world."""

from challenges.factories import as_role, cast, count_statements, make_challenge, make_idea  # noqa: F401
from core.support import client, new_client  # noqa: F401 - a fresh app context per request
from network.support import make_group, network_json, world  # noqa: F401
