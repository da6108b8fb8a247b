"""The declarative base every model shares, and common columns."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import CheckConstraint, DateTime, MetaData, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations name them the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime stored; use genius.core.models.utcnow()")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, server_default=func.now())


MODERATION_STATES = ("visible", "held", "hidden")


class ModeratedMixin:
    """Content a moderator can hold back or take down (ideas and comments): 'visible' to everyone it may
    reach, 'held' until a moderator approves it, or 'hidden' with a reason its author is told."""

    # The database refuses any other state (ck_<table>_moderation_state_known): every public list filters on
    # 'visible', so a mistyped state would silently take content down or put it in no queue.
    moderation_state: Mapped[str] = mapped_column(
        String(10), CheckConstraint(f"moderation_state IN {MODERATION_STATES!r}", name="moderation_state_known"),
        default="visible", server_default="visible")
    hidden_reason: Mapped[str] = mapped_column(String(30), default="", server_default="")
    hidden_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    def __init__(self, **kwargs) -> None:
        # New objects are public until moderation says otherwise, before they are flushed too (checks read it).
        kwargs.setdefault("moderation_state", "visible")
        super().__init__(**kwargs)

    @property
    def is_visible(self) -> bool:
        return self.moderation_state == "visible"

    @property
    def is_held(self) -> bool:
        return self.moderation_state == "held"

    @property
    def is_hidden(self) -> bool:
        return self.moderation_state == "hidden"
