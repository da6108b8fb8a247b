"""Imports every feature's models, so the metadata (and Alembic) sees all tables."""

from genius.accounts.models import User  # noqa: F401
