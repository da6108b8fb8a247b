"""The search documents: one row per challenge or idea, kept by the services.

The database indexes this table itself, in a way each engine does best (the
migration creates it, not the models, so autogenerate leaves it alone):
- SQLite: an FTS5 table `search_fts` over these rows, kept in step by triggers.
- PostgreSQL: a generated `search_vector` tsvector column with a GIN index.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genius.core.models import Base


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (Index("ix_search_documents_kind_ref", "kind", "ref_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "challenge" or "idea"
    ref_id: Mapped[int]
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell Alembic which database objects are the search engines' own, not the models'."""
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    if type_ == "index" and name == "ix_search_documents_vector":
        return False
    return True
