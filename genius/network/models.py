"""One row that says when the network's underlying data last changed (see genius/network/cache.py)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from genius.core.models import Base


class NetworkState(Base):
    """A single row (id 1). On SQLite, `data_version` is bumped in the same transaction as any change the
    network view depends on, so every app process knows its cached graphs are stale as soon as that change
    commits. On PostgreSQL the sequence `network_data_version` does this job instead, moved just after the
    commit (see genius/network/cache.py), and this row is not used."""

    __tablename__ = "network_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")
