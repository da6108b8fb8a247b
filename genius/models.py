"""Imports every feature's models, so the metadata (and Alembic) sees all tables."""

from genius.accounts.models import User  # noqa: F401
from genius.challenges.models import Challenge, ChallengeStatusChange, ChallengeTag  # noqa: F401
from genius.ideas.models import Idea, IdeaStatusChange, Support, idea_tags  # noqa: F401
from genius.search.models import SearchDocument  # noqa: F401
from genius.comments.models import Comment  # noqa: F401
from genius.notifications.models import Follow, Notification, NotificationSettings  # noqa: F401
from genius.moderation.models import DuplicateProposal, ModerationAction, Report, SiteSetting  # noqa: F401
from genius.groups.models import Group, Membership  # noqa: F401
from genius.network.models import NetworkState  # noqa: F401
from genius.core.pagecache import PageCacheState  # noqa: F401
