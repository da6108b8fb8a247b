from core.support import client, new_client, other_app  # noqa: F401 - fixtures
