"""The moderation blueprint with all its routes, as the app registers it.

The routes are split by who starts them (see `blueprint`); importing the two route modules
here adds them to the one blueprint, so every endpoint name and URL is unchanged.
"""

from genius.moderation import queue_views, report_views  # noqa: F401  (they add their routes to bp)
from genius.moderation.blueprint import bp

__all__ = ["bp"]
